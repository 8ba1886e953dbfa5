package db

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"dashapp/db/shop"
)

const (
	fixtureCustomers = `customer_ref,name,email,phone,identifier,contact_id,created_at
K-1,Aisha Haddad, Aisha@Example.com ,+965 5000 0001,imp-1,501,2025-01-01T00:00:00Z
K-2,"Omar ""The <Best>"" & Sons",omar@example.com,,,,2025-02-01T00:00:00Z
`
	fixtureOrders = `order_number,customer_ref,status,currency,total,placed_at
IO-1,K-1,delivered,KWD,12.345,2026-10-01T10:00:00Z
IO-2,K-1,refunded,kwd,1.5,2026-10-02T10:00:00+03:00
IO-3,K-2,paid,SAR,149.50,2026-10-03T10:00:00Z
`
	fixturePayments = `payment_ref,customer_ref,order_number,kind,method,card_brand,card_last4,status,amount,currency,created_at
IP-1,K-1,IO-1,charge,card,visa,4242,succeeded,12.345,KWD,2026-10-01T10:02:00Z
IP-2,K-1,IO-2,charge,card,visa,4242,succeeded,1.500,KWD,2026-10-02T07:02:00Z
IP-3,K-1,IO-2,refund,card,visa,4242,succeeded,1.5,KWD,2026-10-05T07:02:00Z
IP-4,K-2,,charge,bank_transfer,,,failed,149.50,SAR,2026-10-03T10:01:00Z
`
)

// csvSources names and wraps CSV texts; "" means the file is not given.
func csvSources(customers, orders, payments string) ImportSources {
	named := func(name, text string) NamedReader {
		if text == "" {
			return NamedReader{}
		}
		return NamedReader{Name: name, R: strings.NewReader(text)}
	}
	return ImportSources{
		Customers: named("customers.csv", customers),
		Orders:    named("orders.csv", orders),
		Payments:  named("payments.csv", payments),
	}
}

func importFixtures(t testing.TB, d *DB) {
	t.Helper()
	if _, err := Import(context.Background(), d, csvSources(fixtureCustomers, fixtureOrders, fixturePayments)); err != nil {
		t.Fatalf("import fixtures: %v", err)
	}
}

// matchOne finds the single customer for an identity.
func matchOne(t *testing.T, d *DB, id shop.Identity) shop.Customer {
	t.Helper()
	m, err := d.Match(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Customers) != 1 {
		t.Fatalf("match %+v: %d customers, want 1", id, len(m.Customers))
	}
	return m.Customers[0]
}

func TestImportAndReimport(t *testing.T) {
	ctx := context.Background()
	d := openTestDB(t)
	counts, err := Import(ctx, d, csvSources(fixtureCustomers, fixtureOrders, fixturePayments))
	if err != nil {
		t.Fatal(err)
	}
	if want := (ImportCounts{Customers: 2, Orders: 3, Payments: 4}); counts != want {
		t.Errorf("counts = %+v, want %+v", counts, want)
	}

	aisha := matchOne(t, d, shop.Identity{Email: "aisha@example.com"})
	wantAisha := shop.Customer{ID: aisha.ID, Ref: "K-1", Name: "Aisha Haddad", Email: "aisha@example.com", Phone: "96550000001",
		Identifier: "imp-1", ContactID: 501, CreatedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	if aisha != wantAisha {
		t.Errorf("customer K-1 = %+v, want %+v", aisha, wantAisha)
	}
	omar := matchOne(t, d, shop.Identity{Email: "omar@example.com"})
	if omar.Name != `Omar "The <Best>" & Sons` || omar.Phone != "" || omar.ContactID != 0 || omar.Identifier != "" {
		t.Errorf("customer K-2 = %+v", omar)
	}

	orders, err := d.Orders(ctx, aisha.ID, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	wantOrders := []shop.Order{
		{ID: orders.Orders[0].ID, Number: "IO-2", CustomerID: aisha.ID, Status: "refunded", Total: shop.Money{Minor: 1500, Currency: "KWD"},
			PlacedAt: time.Date(2026, 10, 2, 7, 0, 0, 0, time.UTC)},
		{ID: orders.Orders[1].ID, Number: "IO-1", CustomerID: aisha.ID, Status: "delivered", Total: shop.Money{Minor: 12345, Currency: "KWD"},
			PlacedAt: time.Date(2026, 10, 1, 10, 0, 0, 0, time.UTC)},
	}
	if len(orders.Orders) != 2 || orders.Orders[0] != wantOrders[0] || orders.Orders[1] != wantOrders[1] || orders.Next != "" {
		t.Errorf("orders of K-1 = %+v, want %+v", orders, wantOrders)
	}

	payments, err := d.Payments(ctx, omar.ID, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(payments.Payments) != 1 {
		t.Fatalf("payments of K-2 = %+v", payments)
	}
	if p := payments.Payments[0]; p.Ref != "IP-4" || p.OrderNumber != "" || p.Status != "failed" || p.Method != "bank_transfer" ||
		p.Amount != (shop.Money{Minor: 14950, Currency: "SAR"}) {
		t.Errorf("payment IP-4 = %+v", p)
	}

	summary, err := d.Summary(ctx, aisha.ID)
	if err != nil {
		t.Fatal(err)
	}
	// 12.345 + 1.500 charged, 1.500 refunded.
	if len(summary.LifetimeSpend) != 1 || summary.LifetimeSpend[0] != (shop.Money{Minor: 12345, Currency: "KWD"}) ||
		summary.RefundCount != 1 || len(summary.Refunded) != 1 || summary.Refunded[0].Minor != 1500 || summary.OrderCount != 2 {
		t.Errorf("summary of K-1 = %+v", summary)
	}

	// Re-import: changed rows are updated in place, nothing is duplicated,
	// and a column the file lacks (email, phone, ...) keeps its value.
	before := tableCounts(t, d)
	counts, err = Import(ctx, d, csvSources(
		"customer_ref,name\nK-1,Aisha Al-Haddad\n",
		strings.Replace(fixtureOrders, "IO-3,K-2,paid", "IO-3,K-2,shipped", 1),
		strings.Replace(fixturePayments, "IP-4,K-2,,charge,bank_transfer,,,failed", "IP-4,K-2,IO-3,charge,bank_transfer,,,succeeded", 1),
	))
	if err != nil {
		t.Fatal(err)
	}
	if want := (ImportCounts{Customers: 1, Orders: 3, Payments: 4}); counts != want {
		t.Errorf("re-import counts = %+v, want %+v", counts, want)
	}
	if after := tableCounts(t, d); after["customers"] != before["customers"] || after["orders"] != before["orders"] || after["payments"] != before["payments"] {
		t.Errorf("re-import changed row counts: %v → %v", before, after)
	}
	aisha2 := matchOne(t, d, shop.Identity{ContactID: 501})
	wantAisha.Name = "Aisha Al-Haddad"
	if aisha2 != wantAisha {
		t.Errorf("re-imported K-1 = %+v, want %+v", aisha2, wantAisha)
	}
	orders, err = d.Orders(ctx, omar.ID, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(orders.Orders) != 1 || orders.Orders[0].Status != shop.OrderShipped {
		t.Errorf("re-imported IO-3 = %+v", orders.Orders)
	}
	payments, err = d.Payments(ctx, omar.ID, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(payments.Payments) != 1 || payments.Payments[0].OrderNumber != "IO-3" || payments.Payments[0].Status != shop.PaymentSucceeded {
		t.Errorf("re-imported IP-4 = %+v", payments.Payments)
	}
}

// TestImportHeaderOrder imports the fixtures with their columns reversed,
// upper-cased and behind a byte order mark: the rows must be the same.
func TestImportHeaderOrder(t *testing.T) {
	reverse := func(text string) string {
		var out []string
		for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
			fields := splitSimpleCSV(line)
			for i, j := 0, len(fields)-1; i < j; i, j = i+1, j-1 {
				fields[i], fields[j] = fields[j], fields[i]
			}
			out = append(out, strings.Join(fields, ","))
		}
		out[0] = "\ufeff" + strings.ToUpper(out[0])
		return strings.Join(out, "\n") + "\n"
	}
	canonical, reordered := openTestDB(t), openTestDB(t)
	importFixtures(t, canonical)
	if _, err := Import(context.Background(), reordered, csvSources(reverse(fixtureCustomers), reverse(fixtureOrders), reverse(fixturePayments))); err != nil {
		t.Fatal(err)
	}
	if a, b := dumpDB(t, canonical), dumpDB(t, reordered); a != b {
		t.Errorf("reordered columns imported differently:\n%s\nvs\n%s", a, b)
	}
}

// splitSimpleCSV splits a line whose only quoted field may hold commas
// in doubled quotes, enough for the fixtures above.
func splitSimpleCSV(line string) []string {
	var fields []string
	var cur strings.Builder
	quoted := false
	for _, r := range line {
		switch {
		case r == '"':
			quoted = !quoted
			cur.WriteRune(r)
		case r == ',' && !quoted:
			fields = append(fields, cur.String())
			cur.Reset()
		default:
			cur.WriteRune(r)
		}
	}
	return append(fields, cur.String())
}

// A key twice in one file is a mistake in the export: the error names both
// lines and nothing is imported (the last row used to win silently).
func TestImportDuplicateRefIsAnError(t *testing.T) {
	d := openTestDB(t)
	for _, tt := range []struct{ customers, orders, want string }{
		{"customer_ref,name,email\nK-9,First,k9@example.com\nK-8,Other,\nK-9,Second,k9@example.com\n", "", `customers.csv line 4, column "customer_ref": customer_ref "K-9" is on line 2 and on line 4`},
		{"customer_ref,name\nK-9,First\n", "order_number,customer_ref,status,currency,total,placed_at\nO-1,K-9,paid,SAR,1.00,2026-11-01T09:00:00Z\nO-1,K-9,paid,SAR,2.00,2026-11-01T09:00:00Z\n", `orders.csv line 3, column "order_number": order_number "O-1" is on line 2 and on line 3`},
	} {
		_, err := Import(context.Background(), d, csvSources(tt.customers, tt.orders, ""))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("error %v, want %q", err, tt.want)
		}
		if empty, err := d.IsEmpty(context.Background()); err != nil || !empty {
			t.Errorf("a file with a duplicate key imported rows (empty %v, %v)", empty, err)
		}
	}
}

func TestImportNoFiles(t *testing.T) {
	d := openTestDB(t)
	_, err := Import(context.Background(), d, ImportSources{})
	var ie *ImportError
	if err == nil || errors.As(err, &ie) {
		t.Errorf("err = %v, want a plain error", err)
	}
}

// TestImportErrors feeds one bad row (or header) per case, after good rows
// of every file, and checks where the error points and that the database
// is exactly as before.
func TestImportErrors(t *testing.T) {
	const ordersHeader = "order_number,customer_ref,status,currency,total,placed_at\n"
	const paymentsHeader = "payment_ref,customer_ref,order_number,kind,method,card_brand,card_last4,status,amount,currency,created_at\n"
	newCustomers := "customer_ref,name,email\nN-1,New Customer,new@example.com\n"
	goodOrder := "NO-1,N-1,paid,SAR,10.00,2026-10-01T10:00:00Z\n"
	tests := []struct {
		name                        string
		customers, orders, payments string
		file                        string
		line                        int
		column                      string
		wantMsg                     string
	}{
		{name: "too many decimals", customers: newCustomers, orders: ordersHeader + goodOrder + "NO-2,N-1,paid,SAR,1.00,2026-10-01T10:00:00Z\n" +
			"NO-3,N-1,paid,SAR,12.345,2026-10-01T10:00:00Z\n",
			file: "orders.csv", line: 4, column: "total", wantMsg: `orders.csv line 4, column "total": amount "12.345" has 3 decimals, SAR allows 2`},
		{name: "amount not a number", orders: ordersHeader + "NO-1,K-1,paid,SAR,1,000.00,2026-10-01T10:00:00Z\n",
			file: "orders.csv", line: 2, wantMsg: "the row has 7 fields, the header has 6"},
		{name: "amount with a comma", orders: ordersHeader + `NO-1,K-1,paid,SAR,"1,000.00",2026-10-01T10:00:00Z` + "\n",
			file: "orders.csv", line: 2, column: "total", wantMsg: `amount "1,000.00" is not a decimal number`},
		{name: "negative amount", payments: paymentsHeader + "NP-1,K-1,,refund,card,visa,4242,succeeded,-1.000,KWD,2026-10-01T10:00:00Z\n",
			file: "payments.csv", line: 2, column: "amount", wantMsg: "negative"},
		{name: "unknown currency", orders: ordersHeader + "NO-1,K-1,paid,XYZ,1.00,2026-10-01T10:00:00Z\n",
			file: "orders.csv", line: 2, column: "currency", wantMsg: `unknown currency "XYZ"`},
		{name: "unknown order status", orders: ordersHeader + "NO-1,K-1,lost,SAR,1.00,2026-10-01T10:00:00Z\n",
			file: "orders.csv", line: 2, column: "status", wantMsg: `"lost" is not one of pending, paid, shipped, delivered, cancelled, refunded`},
		{name: "unknown payment status", payments: paymentsHeader + "NP-1,K-1,,charge,card,visa,4242,done,1.000,KWD,2026-10-01T10:00:00Z\n",
			file: "payments.csv", line: 2, column: "status", wantMsg: `"done" is not one of succeeded, failed, pending`},
		{name: "unknown payment kind", payments: paymentsHeader + "NP-1,K-1,,chargeback,card,visa,4242,succeeded,1.000,KWD,2026-10-01T10:00:00Z\n",
			file: "payments.csv", line: 2, column: "kind", wantMsg: `"chargeback" is not one of charge, refund`},
		{name: "bad time", orders: ordersHeader + "NO-1,K-1,paid,SAR,1.00,01/10/2026 10:00\n",
			file: "orders.csv", line: 2, column: "placed_at", wantMsg: `time "01/10/2026 10:00" is not RFC 3339`},
		{name: "time without zone", payments: paymentsHeader + "NP-1,K-1,,charge,card,visa,4242,succeeded,1.000,KWD,2026-10-01T10:00:00\n",
			file: "payments.csv", line: 2, column: "created_at", wantMsg: "is not RFC 3339"},
		{name: "unknown customer", customers: newCustomers, orders: ordersHeader + goodOrder + "NO-2,K-404,paid,SAR,1.00,2026-10-01T10:00:00Z\n",
			file: "orders.csv", line: 3, column: "customer_ref", wantMsg: `unknown customer "K-404"`},
		{name: "unknown order", payments: paymentsHeader + "NP-1,K-1,IO-404,charge,card,visa,4242,succeeded,1.000,KWD,2026-10-01T10:00:00Z\n",
			file: "payments.csv", line: 2, column: "order_number", wantMsg: `unknown order "IO-404"`},
		{name: "order of another customer", payments: paymentsHeader + "NP-1,K-2,IO-1,charge,card,visa,4242,succeeded,1.000,KWD,2026-10-01T10:00:00Z\n",
			file: "payments.csv", line: 2, column: "order_number", wantMsg: `order "IO-1" belongs to another customer`},
		{name: "bad card last4", payments: paymentsHeader + "NP-1,K-1,,charge,card,visa,42x2,succeeded,1.000,KWD,2026-10-01T10:00:00Z\n",
			file: "payments.csv", line: 2, column: "card_last4", wantMsg: "not 4 digits"},
		{name: "bad contact id", customers: "customer_ref,name,contact_id\nN-1,New,-4\n",
			file: "customers.csv", line: 2, column: "contact_id", wantMsg: "not a positive integer"},
		{name: "bad email", customers: "customer_ref,name,email\nN-1,New,not-an-address\n",
			file: "customers.csv", line: 2, column: "email", wantMsg: "has no @"},
		{name: "bad phone", customers: "customer_ref,name,phone\nN-1,New,+12\n",
			file: "customers.csv", line: 2, column: "phone", wantMsg: "is not a phone number"},
		{name: "empty name", customers: "customer_ref,name\nN-1,  \n",
			file: "customers.csv", line: 2, column: "name", wantMsg: "value is empty"},
		{name: "bad item count", orders: "order_number,customer_ref,status,currency,total,placed_at,item_count\nNO-1,K-1,paid,SAR,1.00,2026-10-01T10:00:00Z,two\n",
			file: "orders.csv", line: 2, column: "item_count", wantMsg: "not a whole number"},
		{name: "too few fields", customers: newCustomers + "N-2,Short\n",
			file: "customers.csv", line: 3, wantMsg: "the row has 2 fields, the header has 3"},
		{name: "unknown column", customers: "customer_ref,name,nickname\nN-1,New,Nn\n",
			file: "customers.csv", line: 1, column: "nickname", wantMsg: "unknown column; known columns are customer_ref, name, email"},
		{name: "repeated column", customers: "customer_ref,name,name\nN-1,New,New\n",
			file: "customers.csv", line: 1, column: "name", wantMsg: "column appears twice"},
		{name: "missing columns", orders: "order_number,customer_ref,status,currency\nNO-1,K-1,paid,SAR\n",
			file: "orders.csv", line: 1, wantMsg: `missing required columns "total", "placed_at"`},
		{name: "empty file", payments: "\n",
			file: "payments.csv", line: 0, wantMsg: "payments.csv: the file is empty"},
		{name: "stray quote", customers: "customer_ref,name\nN-1,New\nN-2,Ne\"w\n",
			file: "customers.csv", line: 3, wantMsg: `bare " in non-quoted-field`},
		// A quoted name spanning lines 2-4: the bad row after it is on line 5.
		{name: "line numbers count physical lines", customers: "customer_ref,name,contact_id\nN-1,\"Multi\nLine\nName\",7\nN-2,New,x\n",
			file: "customers.csv", line: 5, column: "contact_id", wantMsg: `contact id "x"`},
		// Good customers and orders, then a bad payment: nothing may remain.
		{name: "bad last file rolls back the others", customers: newCustomers, orders: ordersHeader + goodOrder,
			payments: paymentsHeader + "NP-1,N-1,NO-1,charge,card,visa,4242,succeeded,10.00,SAR,2026-10-01T10:00:00Z\n" +
				"NP-2,N-1,NO-1,charge,card,visa,4242,succeeded,10.001,SAR,2026-10-01T10:00:00Z\n",
			file: "payments.csv", line: 3, column: "amount", wantMsg: `amount "10.001" has 3 decimals, SAR allows 2`},
	}
	ctx := context.Background()
	d := openTestDB(t)
	importFixtures(t, d)
	before := dumpDB(t, d)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			counts, err := Import(ctx, d, csvSources(tt.customers, tt.orders, tt.payments))
			var ie *ImportError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v (%T), want *ImportError", err, err)
			}
			if ie.File != tt.file || ie.Line != tt.line || ie.Column != tt.column {
				t.Errorf("error at %s line %d column %q, want %s line %d column %q (%v)", ie.File, ie.Line, ie.Column, tt.file, tt.line, tt.column, err)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not contain %q", err, tt.wantMsg)
			}
			if counts != (ImportCounts{}) {
				t.Errorf("counts = %+v after a failed import", counts)
			}
			if after := dumpDB(t, d); after != before {
				t.Errorf("failed import changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}

func TestImportCancelled(t *testing.T) {
	d := openTestDB(t)
	importFixtures(t, d)
	before := dumpDB(t, d)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Import(ctx, d, csvSources("customer_ref,name\nN-1,New\n", "", ""))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if dumpDB(t, d) != before {
		t.Error("cancelled import changed the database")
	}
}
