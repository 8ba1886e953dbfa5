package db

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"dashapp/db/shop"
)

func customerID(t testing.TB, d *DB, ref string) int64 {
	t.Helper()
	var id int64
	if err := d.read.QueryRow(`SELECT id FROM customers WHERE ref = ?`, ref).Scan(&id); err != nil {
		t.Fatalf("customer %s: %v", ref, err)
	}
	return id
}

func refsOf(customers []shop.Customer) []string {
	var refs []string
	for _, c := range customers {
		refs = append(refs, c.Ref)
	}
	return refs
}

func TestMatch(t *testing.T) {
	d := openDemoDB(t)
	tests := []struct {
		name     string
		identity shop.Identity // as the host sent it, not normalised
		key      shop.MatchKey
		refs     []string
	}{
		{"customer ref", shop.Identity{CustomerRef: " C-1002 "}, shop.KeyCustomerRef, []string{"C-1002"}},
		{"customer ref beats contact id", shop.Identity{CustomerRef: "C-1003", ContactID: 1}, shop.KeyCustomerRef, []string{"C-1003"}},
		{"unknown customer ref falls through to contact id", shop.Identity{CustomerRef: "C-9999", ContactID: 1}, shop.KeyContactID, []string{"C-1001"}},
		{"contact id", shop.Identity{ContactID: 1}, shop.KeyContactID, []string{"C-1001"}},
		{"identifier", shop.Identity{Identifier: " cust-1001 "}, shop.KeyIdentifier, []string{"C-1001"}},
		{"email, any case and spaces", shop.Identity{Email: " LAYLA@Example.COM "}, shop.KeyEmail, []string{"C-1001"}},
		{"phone with plus and spaces", shop.Identity{Phone: "+966 50 000 0001"}, shop.KeyPhone, []string{"C-1001"}},
		{"phone as digits", shop.Identity{Phone: "966500000001"}, shop.KeyPhone, []string{"C-1001"}},
		{"phone with 00 prefix", shop.Identity{Phone: "00966500000001"}, shop.KeyPhone, []string{"C-1001"}},
		{"contact id beats email", shop.Identity{ContactID: 1, Email: "james.carter@example.com"}, shop.KeyContactID, []string{"C-1001"}},
		{"identifier beats email", shop.Identity{Identifier: "cust-1003", Email: "layla@example.com"}, shop.KeyIdentifier, []string{"C-1003"}},
		{"email beats phone", shop.Identity{Email: "layla@example.com", Phone: DemoSharedPhone}, shop.KeyEmail, []string{"C-1001"}},
		{"unknown contact id falls through to identifier", shop.Identity{ContactID: 999999, Identifier: "cust-1001"}, shop.KeyIdentifier, []string{"C-1001"}},
		{"James by email (contact 2 has no customer)", shop.Identity{ContactID: 2, Email: "James.Carter@Example.com", Phone: "+1 415 555 0123"}, shop.KeyEmail, []string{"C-1002"}},
		{"shared phone is ambiguous", shop.Identity{Phone: "+966 55 512 3456"}, shop.KeyPhone, []string{"C-1004", "C-1005"}},
		{"anonymous visitor", shop.Identity{ContactID: 3}, "", nil},
		{"anonymous visitor with unknown email", shop.Identity{ContactID: 3, Email: "visitor@example.org"}, "", nil},
		{"empty identity", shop.Identity{}, "", nil},
		{"blank fields", shop.Identity{CustomerRef: " ", Identifier: "  ", Email: " ", Phone: " + "}, "", nil},
		{"too short a phone", shop.Identity{Phone: "123"}, "", nil},
		{"negative contact id", shop.Identity{ContactID: -1}, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := shop.Resolve(context.Background(), d, tt.identity)
			if err != nil {
				t.Fatal(err)
			}
			if m.Key != tt.key || !slices.Equal(refsOf(m.Customers), tt.refs) {
				t.Errorf("Match(%+v) = key %q %v, want key %q %v", tt.identity, m.Key, refsOf(m.Customers), tt.key, tt.refs)
			}
			if tt.refs == nil && m.Customers != nil {
				t.Errorf("no match returned non-nil customers %v", m.Customers)
			}
		})
	}
}

func TestMatchReturnsWholeCustomer(t *testing.T) {
	d := openDemoDB(t)
	m, err := shop.Resolve(context.Background(), d, shop.Identity{ContactID: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := shop.Customer{ID: customerID(t, d, "C-1001"), Ref: "C-1001", Name: "Layla Al-Harbi", Email: "layla@example.com",
		Phone: "966500000001", Identifier: "cust-1001", ContactID: 1, CreatedAt: seedBase.AddDate(-3, 0, 0)}
	if len(m.Customers) != 1 || m.Customers[0] != want {
		t.Errorf("got %+v, want %+v", m.Customers, want)
	}
}

func TestMatchCapsAmbiguousResults(t *testing.T) {
	d := openTestDB(t)
	var csv strings.Builder
	csv.WriteString("customer_ref,name,phone\n")
	for i := range shop.MaxMatches + 3 {
		fmt.Fprintf(&csv, "F-%02d,Family member %d,+971 50 123 4567\n", i, i)
	}
	if _, err := Import(context.Background(), d, csvSources(csv.String(), "", "")); err != nil {
		t.Fatal(err)
	}
	m, err := shop.Resolve(context.Background(), d, shop.Identity{Phone: "971501234567"})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Customers) != shop.MaxMatches || m.Customers[0].Ref != "F-00" || m.Customers[shop.MaxMatches-1].Ref != fmt.Sprintf("F-%02d", shop.MaxMatches-1) {
		t.Errorf("got %v, want the first %d by id", refsOf(m.Customers), shop.MaxMatches)
	}
}

// expectedSummary computes a customer's summary in Go from the raw rows,
// independently of the SQL aggregation under test.
func expectedSummary(t *testing.T, d *DB, customerID int64) shop.Summary {
	t.Helper()
	var s shop.Summary
	rows, err := d.read.Query(`SELECT kind, status, currency, amount_minor FROM payments WHERE customer_id = ?`, customerID)
	if err != nil {
		t.Fatal(err)
	}
	spend, refunded := map[string]int64{}, map[string]int64{}
	for rows.Next() {
		var kind, status, currency string
		var amount int64
		if err := rows.Scan(&kind, &status, &currency, &amount); err != nil {
			t.Fatal(err)
		}
		switch {
		case status == shop.PaymentFailed:
			s.FailedPayments++
		case status == shop.PaymentSucceeded && kind == shop.KindCharge:
			spend[currency] += amount
		case status == shop.PaymentSucceeded && kind == shop.KindRefund:
			spend[currency] -= amount
			refunded[currency] += amount
			s.RefundCount++
		}
	}
	rows.Close()
	sorted := func(m map[string]int64) []shop.Money {
		var out []shop.Money
		for _, c := range slices.Sorted(maps.Keys(m)) {
			out = append(out, shop.Money{Minor: m[c], Currency: c})
		}
		return out
	}
	s.LifetimeSpend, s.Refunded = sorted(spend), sorted(refunded)

	s.OrderCount = len(allOrders(t, d, customerID))
	return s
}

// allOrders reads a customer's orders newest first, sorting in Go.
func allOrders(t *testing.T, d *DB, customerID int64) []shop.Order {
	t.Helper()
	rows, err := d.read.Query(`SELECT `+orderColumns+` FROM orders WHERE customer_id = ?`, customerID)
	orders, err := scanAll(rows, err, func(rows *sql.Rows) (shop.Order, error) { return scanOrder(rows, false) })
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(orders, func(a, b shop.Order) int {
		if c := b.PlacedAt.Compare(a.PlacedAt); c != 0 {
			return c
		}
		return int(b.ID - a.ID)
	})
	return orders
}

// allPayments reads a customer's payments newest first, sorting in Go.
func allPayments(t *testing.T, d *DB, customerID int64) []shop.Payment {
	t.Helper()
	rows, err := d.read.Query(`SELECT p.id, p.ref, p.customer_id, coalesce(o.number, ''), p.kind, p.method, p.card_brand, p.card_last4,
		p.status, p.currency, p.amount_minor, p.created_at FROM payments p LEFT JOIN orders o ON o.id = p.order_id WHERE p.customer_id = ?`, customerID)
	payments, err := scanAll(rows, err, scanPayment)
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(payments, func(a, b shop.Payment) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return int(b.ID - a.ID)
	})
	return payments
}

func summariesEqual(a, b shop.Summary) bool {
	return slices.Equal(a.LifetimeSpend, b.LifetimeSpend) && slices.Equal(a.Refunded, b.Refunded) &&
		a.OrderCount == b.OrderCount && a.RefundCount == b.RefundCount && a.FailedPayments == b.FailedPayments
}

// TestSummaryOfEveryDemoCustomer checks the SQL aggregates against the
// ones computed in Go, for every demo customer (no orders, one currency,
// mixed currencies).
func TestSummaryOfEveryDemoCustomer(t *testing.T) {
	d := openDemoDB(t)
	customers, err := d.Customers(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range customers {
		got, err := d.Summary(context.Background(), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := expectedSummary(t, d, c.ID); !summariesEqual(got, want) {
			t.Errorf("%s: Summary = %+v, want %+v", c.Ref, got, want)
		}
	}
}

// TestSummaryLayla checks the numbers derivable from the seed's design.
func TestSummaryLayla(t *testing.T) {
	d := openDemoDB(t)
	s, err := d.Summary(context.Background(), customerID(t, d, "C-1001"))
	if err != nil {
		t.Fatal(err)
	}
	refundedOrders := 0 // every status with a refund has one
	for _, status := range laylaStatuses {
		if status == shop.OrderRefunded || status == shop.OrderReturned || status == shop.OrderPartiallyRefunded {
			refundedOrders++
		}
	}
	if s.OrderCount != len(laylaStatuses) {
		t.Errorf("OrderCount = %d, want %d", s.OrderCount, len(laylaStatuses))
	}
	if s.RefundCount != refundedOrders {
		t.Errorf("RefundCount = %d, want one per refunded order: %d", s.RefundCount, refundedOrders)
	}
	if s.FailedPayments < len(laylaFailedFirst) {
		t.Errorf("FailedPayments = %d, want at least %d", s.FailedPayments, len(laylaFailedFirst))
	}
	// The newest order, which the panel's summary shows, heads the list.
	page, err := d.Orders(context.Background(), customerID(t, d, "C-1001"), "", 1)
	if err != nil || len(page.Orders) != 1 || page.Orders[0].Status != shop.OrderPending || !page.Orders[0].PlacedAt.Equal(seedBase.Add(-2*time.Hour)) {
		t.Errorf("newest order = %+v, %v; want the pending order placed two hours before the seed's base time", page.Orders, err)
	}
	if len(s.LifetimeSpend) != 1 || s.LifetimeSpend[0].Currency != "SAR" || s.LifetimeSpend[0].Minor <= 0 {
		t.Errorf("LifetimeSpend = %v, want one positive SAR amount", s.LifetimeSpend)
	}
	if len(s.Refunded) != 1 || s.Refunded[0].Currency != "SAR" {
		t.Errorf("Refunded = %v, want one SAR amount", s.Refunded)
	}
}

func TestSummaryOfUnknownCustomer(t *testing.T) {
	d := openDemoDB(t)
	s, err := d.Summary(context.Background(), 987654)
	if err != nil {
		t.Fatal(err)
	}
	if !summariesEqual(s, shop.Summary{}) || s.LifetimeSpend != nil || s.Refunded != nil {
		t.Errorf("Summary = %+v, want zero", s)
	}
}

// TestPagination walks every demo customer's orders and payments page by
// page: the pages must add up to the full list, in order, without overlap.
func TestPagination(t *testing.T) {
	ctx := context.Background()
	d := openDemoDB(t)
	customers, err := d.Customers(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, limit := range []int{1, 7, 20} {
		for _, c := range customers {
			var orders []shop.Order
			for cursor, pages := "", 0; ; pages++ {
				page, err := d.Orders(ctx, c.ID, cursor, limit)
				if err != nil {
					t.Fatal(err)
				}
				if len(page.Orders) > limit || (page.Next != "" && len(page.Orders) != limit) {
					t.Fatalf("%s: page of %d orders with limit %d, next %q", c.Ref, len(page.Orders), limit, page.Next)
				}
				orders = append(orders, page.Orders...)
				if cursor = page.Next; cursor == "" || pages > 1000 {
					break
				}
			}
			if want := allOrders(t, d, c.ID); !slices.Equal(orders, want) {
				t.Errorf("%s, limit %d: paged orders %d differ from the %d expected", c.Ref, limit, len(orders), len(want))
			}

			var payments []shop.Payment
			for cursor, pages := "", 0; ; pages++ {
				page, err := d.Payments(ctx, c.ID, cursor, limit)
				if err != nil {
					t.Fatal(err)
				}
				if len(page.Payments) > limit || (page.Next != "" && len(page.Payments) != limit) {
					t.Fatalf("%s: page of %d payments with limit %d, next %q", c.Ref, len(page.Payments), limit, page.Next)
				}
				payments = append(payments, page.Payments...)
				if cursor = page.Next; cursor == "" || pages > 1000 {
					break
				}
			}
			if want := allPayments(t, d, c.ID); !slices.Equal(payments, want) {
				t.Errorf("%s, limit %d: paged payments %d differ from the %d expected", c.Ref, limit, len(payments), len(want))
			}
		}
	}
}

// TestPaginationAcrossEqualTimes pages through orders that share one
// timestamp: only the id tells them apart.
func TestPaginationAcrossEqualTimes(t *testing.T) {
	ctx := context.Background()
	d := openTestDB(t)
	orders := "order_number,customer_ref,status,currency,total,placed_at\n"
	for i := range 11 {
		at := "2026-10-01T10:00:00Z"
		if i%4 == 0 {
			at = "2026-10-02T10:00:00Z"
		}
		orders += fmt.Sprintf("T-%02d,K-1,paid,SAR,1.00,%s\n", i, at)
	}
	if _, err := Import(ctx, d, csvSources(fixtureCustomers, orders, "")); err != nil {
		t.Fatal(err)
	}
	id := customerID(t, d, "K-1")
	var got []string
	for cursor := ""; ; {
		page, err := d.Orders(ctx, id, cursor, 3)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page.Orders {
			got = append(got, o.Number)
		}
		if cursor = page.Next; cursor == "" {
			break
		}
	}
	want := []string{"T-08", "T-04", "T-00", "T-10", "T-09", "T-07", "T-06", "T-05", "T-03", "T-02", "T-01"}
	if !slices.Equal(got, want) {
		t.Errorf("pages = %v, want %v", got, want)
	}
}

func TestPageSize(t *testing.T) {
	ctx := context.Background()
	d := openTestDB(t)
	var orders strings.Builder
	orders.WriteString("order_number,customer_ref,status,currency,total,placed_at\n")
	for i := range MaxPageSize + 5 {
		fmt.Fprintf(&orders, "P-%03d,K-1,paid,SAR,1.00,2026-10-01T10:%02d:%02dZ\n", i, i/60, i%60)
	}
	if _, err := Import(ctx, d, csvSources(fixtureCustomers, orders.String(), "")); err != nil {
		t.Fatal(err)
	}
	id := customerID(t, d, "K-1")
	for _, tt := range []struct{ limit, want int }{{0, DefaultPageSize}, {-5, DefaultPageSize}, {3, 3}, {MaxPageSize * 10, MaxPageSize}} {
		page, err := d.Orders(ctx, id, "", tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Orders) != tt.want || page.Next == "" {
			t.Errorf("limit %d: %d orders (next %q), want %d and a next page", tt.limit, len(page.Orders), page.Next, tt.want)
		}
	}
}

func TestBadCursor(t *testing.T) {
	ctx := context.Background()
	d := openDemoDB(t)
	id := customerID(t, d, "C-1001")
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for _, cursor := range []string{"!!!", "not base64?", b64("1793000000"), b64("abc:1"), b64("1793000000:x"), b64("1793000000:0"), b64(":")} {
		_, err := d.Orders(ctx, id, cursor, 20)
		if !errors.Is(err, ErrBadCursor) || !errors.Is(err, shop.ErrBadCursor) {
			t.Errorf("Orders with cursor %q: err = %v, want ErrBadCursor", cursor, err)
		}
		_, err = d.Payments(ctx, id, cursor, 20)
		if !errors.Is(err, ErrBadCursor) {
			t.Errorf("Payments with cursor %q: err = %v, want ErrBadCursor", cursor, err)
		}
	}
}

func TestCustomers(t *testing.T) {
	d := openDemoDB(t)
	customers, err := d.Customers(context.Background(), 3)
	if err != nil {
		t.Fatal(err)
	}
	if got := refsOf(customers); !slices.Equal(got, []string{"C-1001", "C-1002", "C-1003"}) {
		t.Errorf("Customers(3) = %v", got)
	}
}
