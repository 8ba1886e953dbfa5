package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dashapp/db"
	"dashapp/db/shop"
)

func TestStatusCommand(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "shop.db")
	out, err := runCLI(t, nil, "status", "-db", dbPath)
	if err != nil || !strings.Contains(out, "no deliveries yet") {
		t.Fatalf("status of a new database: %q, %v", out, err)
	}

	ctx := context.Background()
	store, err := db.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for _, l := range []shop.DeliveryLog{
		{Source: "shopify", DeliveryID: "wh-1", Topic: "orders/create", Outcome: shop.OutcomeAccepted, Records: 2, At: at},
		{Source: "shopify", DeliveryID: "wh-1", Topic: "orders/create", Outcome: shop.OutcomeDuplicate, At: at.Add(time.Second)},
		{Source: "shopify", DeliveryID: "wh-2", Topic: "orders/updated", Outcome: shop.OutcomeRefused, Reason: "bad signature\x1b[2J", At: at.Add(2 * time.Second)},
		{Source: "zid", Topic: "order.create", Outcome: shop.OutcomeMalformed, Reason: "body is not JSON", At: at.Add(3 * time.Second)},
	} {
		if err := store.LogDelivery(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	store.Close()

	out, err = runCLI(t, nil, "status", "-db", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"shopify\n  deliveries     accepted 1, duplicate 1, refused 1\n",
		"  last accepted  2026-12-01T10:00:00Z  orders/create  id wh-1  2 records\n",
		"  last refused   2026-12-01T10:00:02Z  orders/updated  id wh-2  refused: bad signature[2J\n",
		"zid\n  deliveries     malformed 1\n  last accepted  none\n  last refused   2026-12-01T10:00:03Z  order.create  malformed: body is not JSON\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("status output lacks %q:\n%s", want, out)
		}
	}
	if strings.ContainsRune(out, '\x1b') {
		t.Error("status printed a control character from a delivery's reason")
	}
}

func TestImportItemsAndShipmentsCommand(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "shop.db")
	customers := writeFile(t, dir, "customers.csv", "customer_ref,name\nC-9,Sara\n")
	orders := writeFile(t, dir, "orders.csv", "order_number,customer_ref,status,currency,total,placed_at\nO-1,C-9,shipped,KWD,12.345,2026-11-01T09:00:00Z\n")
	items := writeFile(t, dir, "items.csv", "order_number,name,quantity,unit_price\nO-1,Oud oil,3,3.115\nO-1,Gift wrap,1,3.000\n")
	shipments := writeFile(t, dir, "shipments.csv", "shipment_ref,order_number,carrier,tracking_number,status\nSH-1,O-1,Aramex,41234567890,in_transit\n")
	out, err := runCLI(t, nil, "import", "-db", dbPath, "-customers", customers, "-orders", orders, "-items", items, "-shipments", shipments)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if !strings.Contains(out, "imported 1 customers, 1 orders, 0 payments, 2 order items, 1 shipments") {
		t.Errorf("import printed %q", out)
	}
	bad := writeFile(t, dir, "bad-items.csv", "order_number,name,quantity,unit_price\nO-1,Oud oil,1,3.115\nO-1,Gift wrap,1,3.0001\n")
	_, err = runCLI(t, nil, "import", "-db", dbPath, "-items", bad)
	if err == nil {
		t.Fatal("a price with a fourth decimal was imported")
	}
	for _, want := range []string{"bad-items.csv", "line 3", `"unit_price"`, "nothing was imported"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("import error %q does not say %q", err, want)
		}
	}
}
