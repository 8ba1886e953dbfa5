package db

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"dashapp/db/shop"
)

// The multi-row upserts of a batch's payments and shipments write what
// one statement a record writes, and count the same records stale: on a
// database where some refs are already stored newer, with more rows than
// one statement takes.
func TestIngestRowsAgreeWithOneByOne(t *testing.T) {
	const n = 2*batchRows + 7
	batch := func(updated time.Time) shop.Batch {
		var b shop.Batch
		b.Customers = []shop.CustomerRecord{{Ref: "api:c1", Name: "Sara", Email: "sara@example.com"}}
		for i := range n / 10 {
			o := liveOrder(t, fmt.Sprintf("R-%d", i), ingestBase)
			o.Customer, o.CustomerRef, o.Shipments = nil, "api:c1", nil
			b.Orders = append(b.Orders, o)
		}
		for i := range n {
			order := fmt.Sprintf("R-%d", i%(n/10))
			b.Payments = append(b.Payments, shop.PaymentRecord{Ref: fmt.Sprintf("api:p%d", i), OrderNumber: order, Kind: shop.KindCharge,
				Method: "card", Status: shop.PaymentSucceeded, Amount: money(t, "215.50", "SAR"), CreatedAt: ingestBase, UpdatedAt: updated})
			b.Shipments = append(b.Shipments, shop.ShipmentRecord{Ref: fmt.Sprintf("api:s%d", i), OrderNumber: order, Carrier: "Aramex",
				TrackingNumber: fmt.Sprintf("AX%d", i), TrackingURL: fmt.Sprintf("https://aramex.example/t/AX%d", i),
				Status: shop.ShipmentInTransit, StatusAt: updated, UpdatedAt: updated})
		}
		return b
	}
	// Both databases first hold every third payment and shipment, newer.
	newer := batch(ingestBase.Add(time.Hour))
	var seed shop.Batch
	seed.Customers, seed.Orders = newer.Customers, newer.Orders
	for i := 0; i < n; i += 3 {
		seed.Payments = append(seed.Payments, newer.Payments[i])
		seed.Shipments = append(seed.Shipments, newer.Shipments[i])
	}
	rows, oneByOne := openTestDB(t), openTestDB(t)
	ingest(t, rows, shop.Delivery{Source: shop.SourceAPI}, seed)
	ingest(t, oneByOne, shop.Delivery{Source: shop.SourceAPI}, seed)

	b := batch(ingestBase)
	got := ingest(t, rows, shop.Delivery{Source: shop.SourceAPI}, b)

	ctx := context.Background()
	check := b
	if err := checkBatch(shop.Delivery{Source: shop.SourceAPI}, &check); err != nil {
		t.Fatal(err)
	}
	var want shop.IngestResult
	err := oneByOne.inWriteTx(ctx, func(tx *sql.Tx) error {
		in := oneByOne.newIngester(ctx, tx, &check)
		defer in.close()
		if _, err := in.upsertCustomers([]*shop.CustomerRecord{&check.Customers[0]}); err != nil {
			return err
		}
		in.applied = 1
		if err := in.upsertOrders(1); err != nil {
			return err
		}
		if err := in.items.flush(ctx); err != nil {
			return err
		}
		for i := range check.Payments {
			applied, err := in.payment(&check.Payments[i])
			if err != nil {
				return err
			}
			in.count(applied)
		}
		for i := range check.Shipments {
			applied, err := in.shipment(&check.Shipments[i])
			if err != nil {
				return err
			}
			in.count(applied)
		}
		want = shop.IngestResult{Applied: in.applied, Stale: in.stale}
		return in.refreshTracking()
	})
	if err != nil {
		t.Fatal(err)
	}
	if got != want || got.Stale != 2*((n+2)/3) {
		t.Errorf("multi-row ingest: %+v, one statement a record: %+v (want %d stale)", got, want, 2*((n+2)/3))
	}
	if a, b := dumpDB(t, rows), dumpDB(t, oneByOne); a != b {
		t.Error("multi-row upserts wrote another database than one statement a record")
	}
}
