package db

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"dashapp/db/shop"
)

// createSchema0002 writes a database as the program before live shop data
// left it: migrations 0001 and 0002 applied, with a customer, orders,
// items and payments.
func createSchema0002(t *testing.T, path string) {
	t.Helper()
	raw, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(createMigrationsTableSQL); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"0001_init.sql", "0002_payments_summary_index.sql"} {
		body, err := fs.ReadFile(migrationFiles, "migrations/"+name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := raw.Exec(`INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, i+1, name); err != nil {
			t.Fatal(err)
		}
	}
	_, err = raw.Exec(`
INSERT INTO customers (id, ref, name, email, phone, created_at) VALUES (7, 'C-7', 'Old Customer', 'old@example.com', '966500000777', 1700000000);
INSERT INTO orders (id, number, customer_id, status, currency, total_minor, item_count, placed_at) VALUES
	(40, 'OLD-40', 7, 'delivered', 'SAR', 9000, 2, 1700000100),
	(41, 'OLD-41', 7, 'refunded', 'KWD', 12345, 1, 1700000200);
INSERT INTO order_items (id, order_id, sku, name, quantity, unit_minor) VALUES (5, 40, 'TEA', 'Tea', 2, 4500), (6, 41, 'OUD', 'Oud', 1, 12345);
INSERT INTO payments (id, ref, customer_id, order_id, kind, status, currency, amount_minor, created_at) VALUES
	(9, 'P-9', 7, 41, 'charge', 'succeeded', 'KWD', 12345, 1700000300),
	(10, 'P-10', 7, 41, 'refund', 'succeeded', 'KWD', 12345, 1700000400);`)
	if err != nil {
		t.Fatal(err)
	}
}

func TestUpgradeFromSchema0002(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	createSchema0002(t, path)
	d := openTestDBAt(t, path)

	orders, err := d.Orders(ctx, 7, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []shop.Order{
		{ID: 41, Number: "OLD-41", CustomerID: 7, Status: "refunded", Total: shop.Money{Minor: 12345, Currency: "KWD"}, ItemCount: 1, PlacedAt: time.Unix(1700000200, 0).UTC()},
		{ID: 40, Number: "OLD-40", CustomerID: 7, Status: "delivered", Total: shop.Money{Minor: 9000, Currency: "SAR"}, ItemCount: 2, PlacedAt: time.Unix(1700000100, 0).UTC()},
	}
	if !slices.Equal(orders.Orders, want) {
		t.Errorf("orders after the upgrade = %+v, want %+v", orders.Orders, want)
	}
	detail, err := d.OrderDetail(ctx, 7, 41)
	if err != nil {
		t.Fatal(err)
	}
	if len(detail.Items) != 1 || detail.Items[0].LineTotal != (shop.Money{Minor: 12345, Currency: "KWD"}) || len(detail.Payments) != 2 {
		t.Errorf("order 41 after the upgrade = %+v", detail)
	}
	var sources []string
	rows, err := d.read.Query(`SELECT source FROM customers UNION ALL SELECT source FROM orders UNION ALL SELECT source FROM payments`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		rows.Scan(&s)
		sources = append(sources, s)
	}
	rows.Close()
	if len(sources) != 5 || slices.ContainsFunc(sources, func(s string) bool { return s != "" }) {
		t.Errorf("sources of old rows = %q, want all unknown", sources)
	}
	// The rebuilt table kept its indexes (and took 0012's), and every child its parent.
	indexes := queryStrings(t, d, `SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'orders' AND sql IS NOT NULL ORDER BY name`)
	if wantIdx := []string{"orders_customer_placed", "orders_id_number", "orders_source_external"}; !slices.Equal(indexes, wantIdx) {
		t.Errorf("indexes on orders = %v, want %v", indexes, wantIdx)
	}
	if n := queryInt(t, d, `SELECT count(*) FROM pragma_foreign_key_check`); n != 0 {
		t.Errorf("%d foreign key violations after the upgrade", n)
	}
	if ok := queryStrings(t, d, `PRAGMA integrity_check`); !slices.Equal(ok, []string{"ok"}) {
		t.Errorf("integrity check: %v", ok)
	}
	// The new statuses and live fields are accepted, and an old order takes them.
	res, err := d.Ingest(ctx, shop.Delivery{Source: shop.SourceSalla}, shop.Batch{Orders: []shop.OrderRecord{{
		Number: "OLD-40", CustomerRef: "C-7", Status: shop.OrderOnHold, PlatformStatus: "معلق", Total: shop.Money{Minor: 9000, Currency: "SAR"},
		PlacedAt: time.Unix(1700000100, 0), UpdatedAt: ingestBase,
	}}})
	if err != nil || res.Applied != 1 {
		t.Fatalf("ingest into the upgraded database: %+v, %v", res, err)
	}
	if detail, err := d.OrderDetail(ctx, 7, 40); err != nil || detail.Order.Status != "on_hold" || len(detail.Items) != 1 || detail.Order.Source != "salla" {
		t.Errorf("order 40 after ingest = %+v, %v", detail, err)
	}
}
