package db

import (
	"context"
	"errors"
	"slices"
	"testing"

	"dashapp/db/shop"
)

func TestSeedDemoIsDeterministic(t *testing.T) {
	a, b := dumpDB(t, openDemoDB(t)), dumpDB(t, openDemoDB(t))
	if a != b {
		t.Error("two SeedDemo runs produced different data")
	}
}

func TestSeedDemoRefusesNonEmptyDatabase(t *testing.T) {
	d := openDemoDB(t)
	before := dumpDB(t, d)
	if err := SeedDemo(context.Background(), d); !errors.Is(err, ErrNotEmpty) {
		t.Errorf("second SeedDemo: err = %v, want ErrNotEmpty", err)
	}
	if dumpDB(t, d) != before {
		t.Error("refused SeedDemo changed the database")
	}
}

// queryInts runs a query returning one integer per row.
func queryInts(t *testing.T, d *DB, query string, args ...any) []int64 {
	t.Helper()
	rows, err := d.read.Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

func queryStrings(t *testing.T, d *DB, query string, args ...any) []string {
	t.Helper()
	rows, err := d.read.Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func queryInt(t *testing.T, d *DB, query string, args ...any) int64 {
	t.Helper()
	values := queryInts(t, d, query, args...)
	if len(values) != 1 {
		t.Fatalf("%s: %d rows, want 1", query, len(values))
	}
	return values[0]
}

// TestSeedDemoContents checks what the panel's demo relies on.
func TestSeedDemoContents(t *testing.T) {
	d := openDemoDB(t)
	layla := customerID(t, d, "C-1001")
	james := customerID(t, d, "C-1002")

	checks := []struct {
		name  string
		query string
		args  []any
		ok    func(n int64) bool
	}{
		{"Layla has more than 20 orders", `SELECT count(*) FROM orders WHERE customer_id = ?`, []any{layla}, func(n int64) bool { return n > 20 }},
		{"Layla has more than 20 payments", `SELECT count(*) FROM payments WHERE customer_id = ?`, []any{layla}, func(n int64) bool { return n > 20 }},
		{"Layla's orders cover every status", `SELECT count(DISTINCT status) FROM orders WHERE customer_id = ?`, []any{layla}, func(n int64) bool { return n == int64(len(shop.OrderStatuses)) }},
		{"Layla pays only in SAR", `SELECT count(*) FROM orders WHERE customer_id = ? AND currency <> 'SAR'`, []any{layla}, func(n int64) bool { return n == 0 }},
		{"Layla has a succeeded refund of a refunded order", `SELECT count(*) FROM payments p JOIN orders o ON o.id = p.order_id
			WHERE p.customer_id = ? AND p.kind = 'refund' AND p.status = 'succeeded' AND o.status = 'refunded'`, []any{layla}, func(n int64) bool { return n >= 1 }},
		{"Layla has a failed payment", `SELECT count(*) FROM payments WHERE customer_id = ? AND status = 'failed'`, []any{layla}, func(n int64) bool { return n >= 1 }},
		{"Layla paid with visa 4242", `SELECT count(*) FROM payments WHERE customer_id = ? AND card_brand = 'visa' AND card_last4 = '4242'`, []any{layla}, func(n int64) bool { return n >= 1 }},
		{"Layla paid with mada 1234", `SELECT count(*) FROM payments WHERE customer_id = ? AND card_brand = 'mada' AND card_last4 = '1234'`, []any{layla}, func(n int64) bool { return n >= 1 }},
		{"Layla paid with Apple Pay", `SELECT count(*) FROM payments WHERE customer_id = ? AND method = 'apple_pay'`, []any{layla}, func(n int64) bool { return n >= 1 }},
		{"James has USD orders only", `SELECT count(*) FROM orders WHERE customer_id = ? AND currency <> 'USD'`, []any{james}, func(n int64) bool { return n == 0 }},
		{"James has orders", `SELECT count(*) FROM orders WHERE customer_id = ?`, []any{james}, func(n int64) bool { return n > 0 }},
		{"James has no contact id or identifier", `SELECT count(*) FROM customers WHERE id = ? AND contact_id IS NULL AND identifier IS NULL`, []any{james}, func(n int64) bool { return n == 1 }},
		{"nobody has contact id 2 or 3", `SELECT count(*) FROM customers WHERE contact_id IN (2, 3)`, nil, func(n int64) bool { return n == 0 }},
		{"about 50 more customers", `SELECT count(*) FROM customers`, nil, func(n int64) bool { return n >= 50 }},
		{"some customers have no orders", `SELECT count(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)`, nil, func(n int64) bool { return n >= 2 }},
		{"some customers have no contact id", `SELECT count(*) FROM customers WHERE contact_id IS NULL`, nil, func(n int64) bool { return n >= 5 }},
		{"some customers pay in two currencies", `SELECT count(*) FROM (SELECT customer_id FROM orders GROUP BY customer_id HAVING count(DISTINCT currency) > 1)`, nil, func(n int64) bool { return n >= 2 }},
		{"contact ids are unique", `SELECT count(*) FROM (SELECT contact_id FROM customers WHERE contact_id IS NOT NULL GROUP BY contact_id HAVING count(*) > 1)`, nil, func(n int64) bool { return n == 0 }},
		{"emails are unique", `SELECT count(*) FROM (SELECT email FROM customers WHERE email IS NOT NULL GROUP BY email HAVING count(*) > 1)`, nil, func(n int64) bool { return n == 0 }},
		{"exactly one phone is shared, by two customers", `SELECT count(*) FROM customers WHERE phone IN (SELECT phone FROM customers GROUP BY phone HAVING count(*) > 1)`, nil, func(n int64) bool { return n == 2 }},
		{"every customer can be matched", `SELECT count(*) FROM customers WHERE coalesce(contact_id, identifier, email, phone) IS NULL`, nil, func(n int64) bool { return n == 0 }},
		{"item counts add up", `SELECT count(*) FROM orders o WHERE item_count <> (SELECT sum(quantity) FROM order_items i WHERE i.order_id = o.id)`, nil, func(n int64) bool { return n == 0 }},
		{"totals add up", `SELECT count(*) FROM orders o WHERE total_minor <> (SELECT sum(quantity * unit_minor) FROM order_items i WHERE i.order_id = o.id)`, nil, func(n int64) bool { return n == 0 }},
		{"payments match their order's customer and currency", `SELECT count(*) FROM payments p JOIN orders o ON o.id = p.order_id
			WHERE p.customer_id <> o.customer_id OR p.currency <> o.currency`, nil, func(n int64) bool { return n == 0 }},
		{"nothing lies in the future", `SELECT count(*) FROM payments WHERE created_at > ?`, []any{seedBase.Unix()}, func(n int64) bool { return n == 0 }},
	}
	for _, c := range checks {
		if n := queryInt(t, d, c.query, c.args...); !c.ok(n) {
			t.Errorf("%s: got %d", c.name, n)
		}
	}

	currencies := queryStrings(t, d, `SELECT DISTINCT currency FROM orders ORDER BY currency`)
	if want := []string{"AED", "BHD", "KWD", "SAR", "USD"}; !slices.Equal(currencies, want) {
		t.Errorf("currencies = %v, want %v", currencies, want)
	}
	names := queryStrings(t, d, `SELECT name FROM customers WHERE name LIKE '%<%' AND name LIKE '%&%' AND name LIKE '%"%'`)
	if len(names) == 0 {
		t.Error("no customer name with markup characters")
	}
	arabic := queryStrings(t, d, `SELECT name FROM customers WHERE name GLOB '*[ء-ي]*'`)
	if len(arabic) < 3 {
		t.Errorf("%d names in Arabic script, want several", len(arabic))
	}
	shared := queryStrings(t, d, `SELECT ref FROM customers WHERE phone = ? ORDER BY id`, DemoSharedPhone)
	if !slices.Equal(shared, []string{"C-1004", "C-1005"}) {
		t.Errorf("customers sharing %s = %v", DemoSharedPhone, shared)
	}
}

func TestSeedScale(t *testing.T) {
	ctx := context.Background()
	opt := SeedOptions{Customers: 300, RandSeed: 7}
	a, b := openTestDB(t), openTestDB(t)
	counts, err := Seed(ctx, a, opt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Seed(ctx, b, opt); err != nil {
		t.Fatal(err)
	}
	if dumpDB(t, a) != dumpDB(t, b) {
		t.Error("two Seed runs with the same options produced different data")
	}
	if got := tableCounts(t, a); got["customers"] != counts.Customers || got["orders"] != counts.Orders ||
		got["order_items"] != counts.OrderItems || got["payments"] != counts.Payments {
		t.Errorf("Seed reported %+v, tables hold %v", counts, got)
	}
	if counts.Customers != opt.Customers {
		t.Errorf("%d customers, want %d", counts.Customers, opt.Customers)
	}
	// About 10 orders and 12 payments per customer.
	if perCustomer := float64(counts.Orders) / float64(counts.Customers); perCustomer < 8 || perCustomer > 12 {
		t.Errorf("%.1f orders per customer, want about 10", perCustomer)
	}
	if perOrder := float64(counts.Payments) / float64(counts.Orders); perOrder < 1.05 || perOrder > 1.35 {
		t.Errorf("%.2f payments per order, want about 1.2", perOrder)
	}

	if n := queryInt(t, a, `SELECT count(*) FROM payments WHERE created_at > ?`, seedBase.Unix()); n != 0 {
		t.Errorf("%d payments after the seed's base time", n)
	}

	// A different seed gives different data.
	c := openTestDB(t)
	if _, err := Seed(ctx, c, SeedOptions{Customers: 300, RandSeed: 8}); err != nil {
		t.Fatal(err)
	}
	if dumpDB(t, a) == dumpDB(t, c) {
		t.Error("different RandSeed produced the same data")
	}
}

func TestSeedScaleAfterDemoAndTwice(t *testing.T) {
	ctx := context.Background()
	d := openDemoDB(t)
	demoCustomers := tableCounts(t, d)["customers"]
	for range 2 {
		if _, err := Seed(ctx, d, SeedOptions{Customers: 20, RandSeed: 1}); err != nil {
			t.Fatal(err)
		}
	}
	if got := tableCounts(t, d)["customers"]; got != demoCustomers+40 {
		t.Errorf("%d customers, want %d", got, demoCustomers+40)
	}
	// The demo's matches are not disturbed by scale customers.
	m, err := shop.Resolve(ctx, d, shop.Identity{Phone: DemoSharedPhone})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Customers) != 2 {
		t.Errorf("shared phone matches %v", refsOf(m.Customers))
	}
	if _, err := Seed(ctx, d, SeedOptions{Customers: 0}); err == nil {
		t.Error("Seed of 0 customers succeeded")
	}
}
