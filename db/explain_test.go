package db

import (
	"slices"
	"strings"
	"testing"

	"dashapp/db/shop"
)

// isFullScan reports whether a plan line reads a whole table, in table or
// index order: "SCAN t USING INDEX i" still visits every row, so only
// searches pass. "SCAN CONSTANT ROW" reads no table.
func isFullScan(planLine string) bool {
	return strings.HasPrefix(planLine, "SCAN ") && planLine != "SCAN CONSTANT ROW"
}

// TestPanelQueriesUseIndexes runs EXPLAIN QUERY PLAN on every query the
// panel runs and fails on any full scan, both before and after ANALYZE has
// given the planner statistics.
func TestPanelQueriesUseIndexes(t *testing.T) {
	d := openDemoDB(t)
	queries := []struct {
		name  string
		query string
		args  []any
	}{
		{"match by customer ref", matchByRefSQL, []any{"C-1001", shop.MaxMatches}},
		{"match by contact_id", matchByContactIDSQL, []any{1, shop.MaxMatches}},
		{"match by identifier", matchByIdentifierSQL, []any{"cust-1001", shop.MaxMatches}},
		{"match by email", matchByEmailSQL, []any{"layla@example.com", shop.MaxMatches}},
		{"match by phone", matchByPhoneSQL, []any{"966500000001", shop.MaxMatches}},
		{"summary", summarySQL, []any{1}},
		{"orders first page", ordersFirstSQL, []any{1, 21}},
		{"orders after cursor", ordersAfterSQL, []any{1, 1793000000, 10, 21}},
		{"payments first page", paymentsFirstSQL, []any{1, 21}},
		{"payments after cursor", paymentsAfterSQL, []any{1, 1793000000, 10, 21}},
		{"order detail", orderSQL, []any{5, 1}},
		{"order items", orderItemsSQL, []any{5}},
		{"order shipments", orderShipmentsSQL, []any{5}},
		{"order payments", orderPaymentsSQL, []any{5}},
		// The customer search and the mention scan (search.go).
		{"mentioned orders", mentionedOrdersSQL, mentionArgs("ORD-000001", "ORD-000002")},
		{"search by order number", searchByOrderSQL, []any{"ORD-000001"}},
		{"search by name prefix", searchByNamePrefixSQL, []any{"lay", "lay\U0010FFFF", 11}},
		{"customer by id", customerByIDSQL, []any{1}},
		// The write side's lookups and deletes.
		{"prune deliveries", pruneDeliveriesSQL, []any{"shopify", 1793000000}},
		{"find customer by ref", findCustomerSQL, []any{"C-1001"}},
		{"find order by number", findOrderByNumberSQL, []any{"ORD-000001"}},
		{"find order by platform id", findOrderByExternalSQL, []any{"salla", "7000001"}},
		{"prune delivery log", pruneDeliveryLogSQL, []any{"shopify", "accepted", DeliveryLogKeep}},
		{"last accepted delivery", lastAcceptedSQL, []any{"shopify"}},
		{"last refused delivery", lastRefusedSQL, []any{"shopify"}},
		{"delete replaced items", deleteItemsSQL(2), []any{1, 2}},
		{"recount items", recountItemsSQL(2), []any{1, 2}},
		{"refresh an order's tracking", refreshTrackingSQL(1), []any{5}},
		{"refresh orders' tracking", refreshTrackingSQL(2), []any{5, 6}},
	}
	// Every prepared panel query must be explained here (customersSQL
	// serves the simulator's preset list, not the panel, and reads in id
	// order by design).
	for _, pq := range append(panelQueries, writeQueries...) {
		// Upserts and inserts search nothing but their conflict key.
		// Savepoints search nothing.
		explained := pq == customersSQL || strings.HasPrefix(pq, "INSERT") || pq == savepointSQL || pq == releaseSQL || pq == rollbackSQL
		for _, q := range queries {
			explained = explained || q.query == pq
		}
		if !explained {
			t.Errorf("panel query not explained:\n%s", pq)
		}
	}
	for _, stats := range []string{"without statistics", "after ANALYZE"} {
		if stats == "after ANALYZE" {
			if _, err := d.write.Exec(`ANALYZE`); err != nil {
				t.Fatal(err)
			}
		}
		for _, q := range queries {
			t.Run(stats+"/"+q.name, func(t *testing.T) {
				plan := explain(t, d, q.query, q.args...)
				if len(plan) == 0 {
					t.Fatal("empty query plan")
				}
				for _, line := range plan {
					if isFullScan(line) {
						t.Errorf("full scan %q in plan:\n%s\nquery:\n%s", line, strings.Join(plan, "\n"), q.query)
					}
				}
			})
		}
	}
}

// TestFullScanDetector makes sure isFullScan notices the scans SQLite
// reports, so that the test above can fail.
func TestFullScanDetector(t *testing.T) {
	d := openTestDB(t)
	tests := []struct {
		query string
		scan  bool
	}{
		{`SELECT * FROM orders WHERE total_minor = 5`, true},
		{`SELECT id FROM orders ORDER BY customer_id, placed_at DESC, id DESC`, true}, // index order, every row
		{`SELECT 1`, false},
		{`SELECT * FROM orders WHERE id = 5`, false},
	}
	for _, tt := range tests {
		found := false
		for _, line := range explain(t, d, tt.query) {
			found = found || isFullScan(line)
		}
		if found != tt.scan {
			t.Errorf("full scan in %q: detected %v, want %v", tt.query, found, tt.scan)
		}
	}
}

func explain(t *testing.T, d *DB, query string, args ...any) []string {
	t.Helper()
	rows, err := d.read.Query("EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatalf("explain %s: %v", query, err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan
}

// TestPanelListsReadOneIndex: a page of the panel's orders reads only
// the covering index orders_customer_placed, and a page of its payments
// only payments_customer_created plus each payment's order by id
// (migration 0012); the tables' wide rows are not read.
func TestPanelListsReadOneIndex(t *testing.T) {
	d := openDemoDB(t)
	for _, tc := range []struct {
		name, query string
		args        []any
		want        []string
	}{
		{"orders first page", ordersFirstSQL, []any{1, 21}, []string{"SEARCH orders USING COVERING INDEX orders_customer_placed (customer_id=?)"}},
		{"orders after cursor", ordersAfterSQL, []any{1, 1793000000, 10, 21}, []string{"SEARCH orders USING COVERING INDEX orders_customer_placed (customer_id=? AND placed_at<?)"}},
		{"payments first page", paymentsFirstSQL, []any{1, 21}, []string{
			"SEARCH p USING COVERING INDEX payments_customer_created (customer_id=?)",
			"SEARCH o USING COVERING INDEX orders_id_number (id=?) LEFT-JOIN"}},
	} {
		if plan := explain(t, d, tc.query, tc.args...); !slices.Equal(plan, tc.want) {
			t.Errorf("%s: plan\n%s\nwant\n%s", tc.name, strings.Join(plan, "\n"), strings.Join(tc.want, "\n"))
		}
	}
}
