package db

import (
	"context"
	"database/sql"
	"testing"

	"dashapp/db/shop"
	"dashapp/db/storetest"
)

// TestStoreContract runs the contract every customer store passes against
// the SQLite store, seeded with the contract's fixture.
func TestStoreContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T, f storetest.Fixture) storetest.Store {
		d := openTestDB(t)
		if err := seedFixture(context.Background(), d, f); err != nil {
			t.Fatal(err)
		}
		return d
	})
}

// seedFixture writes the fixture's rows with their own ids.
func seedFixture(ctx context.Context, d *DB, f storetest.Fixture) error {
	return d.inWriteTx(ctx, func(tx *sql.Tx) error {
		w, err := newSeedWriter(ctx, tx)
		if err != nil {
			return err
		}
		defer w.close()
		orderIDs := map[string]int64{}
		for _, c := range f.Customers {
			if err := w.addCustomer(ctx, c); err != nil {
				return err
			}
		}
		for _, o := range f.Orders {
			orderIDs[o.Number] = o.ID
			if err := w.addOrder(ctx, o); err != nil {
				return err
			}
		}
		for _, p := range f.Payments {
			if err := w.addPayment(ctx, p, orderIDs[p.OrderNumber], shop.SourceCSV); err != nil {
				return err
			}
		}
		for orderID, items := range f.Items {
			for _, it := range items {
				if err := w.items.add(ctx, it.ID, orderID, it.SKU, it.Name, it.Quantity, it.UnitPrice.Minor, it.LineTotal.Minor); err != nil {
					return err
				}
			}
		}
		for _, s := range f.Shipments {
			if err := w.addShipment(ctx, s); err != nil {
				return err
			}
		}
		return w.flush(ctx)
	})
}

var _ storetest.Lister = (*DB)(nil)
var _ storetest.Detailer = (*DB)(nil)
var _ storetest.Detailer = (*Live)(nil)
var _ shop.CustomerFinder = (*DB)(nil)
