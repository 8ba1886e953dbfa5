package db

import (
	"context"
	"errors"
	"testing"
)

// fingerprint summarises the database cheaply enough to compare on every
// fuzz input: a failed import must leave it exactly as it was.
const fingerprintSQL = `SELECT
	(SELECT count(*) || ':' || coalesce(sum(length(name) + coalesce(contact_id, 0) + length(coalesce(email, ''))), 0) FROM customers) || '|' ||
	(SELECT count(*) || ':' || coalesce(sum(total_minor + item_count + placed_at + customer_id), 0) || ':' || coalesce(group_concat(status, ''), '') FROM orders) || '|' ||
	(SELECT count(*) || ':' || coalesce(sum(amount_minor + created_at + coalesce(order_id, 0)), 0) || ':' || coalesce(group_concat(status || kind, ''), '') FROM payments)`

func fingerprint(t *testing.T, d *DB) string {
	t.Helper()
	var s string
	if err := d.read.QueryRow(fingerprintSQL).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// FuzzImport feeds arbitrary files to Import on a database that already
// holds the fixtures (so references can resolve): it must never panic,
// and an import that fails must change nothing.
func FuzzImport(f *testing.F) {
	f.Add(fixtureCustomers, fixtureOrders, fixturePayments)
	f.Add("customer_ref,name\nK-1,Renamed\n", "", "")
	f.Add("", "order_number,customer_ref,status,currency,total,placed_at\nX-1,K-2,paid,BHD,1.005,2026-01-01T00:00:00Z\n", "")
	d := openTestDB(f)
	importFixtures(f, d)
	f.Fuzz(func(t *testing.T, customers, orders, payments string) {
		before := fingerprint(t, d)
		counts, err := Import(context.Background(), d, csvSources(customers, orders, payments))
		if err == nil {
			return
		}
		if counts != (ImportCounts{}) {
			t.Errorf("failed import reported counts %+v", counts)
		}
		var ie *ImportError
		if errors.As(err, &ie) {
			if ie.Line < 0 || (ie.File != "customers.csv" && ie.File != "orders.csv" && ie.File != "payments.csv") {
				t.Errorf("error %q points at file %q line %d", err, ie.File, ie.Line)
			}
		}
		if after := fingerprint(t, d); after != before {
			t.Errorf("failed import (%v) changed the database: %s → %s", err, before, after)
		}
	})
}
