package storetest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"dashapp/db/shop"
)

// Store is the method set of handlers.CustomerStore (whose comments hold
// the contract in words), declared here so that the contract needs no
// HTTP code. A test in package handlers keeps the two identical.
type Store interface {
	FindCustomers(ctx context.Context, key shop.MatchKey, value string, limit int) ([]shop.Customer, error)
	Summary(ctx context.Context, customerID int64) (shop.Summary, error)
	Orders(ctx context.Context, customerID int64, cursor string, limit int) (shop.OrderPage, error)
	Payments(ctx context.Context, customerID int64, cursor string, limit int) (shop.PaymentPage, error)
}

// Lister is the optional handlers.CustomerLister: checked when the store
// has it.
type Lister interface {
	Customers(ctx context.Context, limit int) ([]shop.Customer, error)
}

// unknownCustomer is an id the fixture does not use.
const unknownCustomer = 987654

// Run checks the store that newStore returns against the contract.
// newStore is called once, with Data(), and must return a store holding
// exactly that fixture; the checks only read it.
func Run(t *testing.T, newStore func(t *testing.T, f Fixture) Store) {
	t.Helper()
	f := Data()
	s := newStore(t, Data())
	c := contract{f: f, s: s, byID: map[int64]shop.Customer{}}
	for _, cust := range f.Customers {
		c.byID[cust.ID] = cust
	}
	t.Run("FindCustomersByEveryKey", c.findByEveryKey)
	t.Run("FindCustomersSharedKey", c.findSharedKey)
	t.Run("FindCustomersExactOnly", c.findExactOnly)
	t.Run("EmptyKeysNeverMatch", c.emptyKeysNeverMatch)
	t.Run("UnsupportedKey", c.unsupportedKey)
	t.Run("ResolveThroughTheStore", c.resolve)
	t.Run("SummaryPerCurrency", c.summaries)
	t.Run("KeysetPages", c.keysetPages)
	t.Run("BadCursor", c.badCursor)
	t.Run("UnknownCustomer", c.unknownCustomer)
	t.Run("CancelledContext", c.cancelled)
	if d, ok := s.(Detailer); ok {
		t.Run("OrderDetail", func(t *testing.T) { c.detail(t, d) })
	}
	if l, ok := s.(Lister); ok {
		t.Run("CustomerLister", func(t *testing.T) { c.lister(t, l) })
	}
}

type contract struct {
	f    Fixture
	s    Store
	byID map[int64]shop.Customer
}

var ctx = context.Background()

// customers are the fixture's customers with these ids, in that order.
func (c contract) customers(ids ...int64) []shop.Customer {
	var out []shop.Customer
	for _, id := range ids {
		out = append(out, c.byID[id])
	}
	return out
}

// sameCustomers compares whole customers, times by instant.
func sameCustomers(got, want []shop.Customer) bool {
	return slices.EqualFunc(got, want, func(a, b shop.Customer) bool {
		a.CreatedAt, b.CreatedAt = a.CreatedAt.UTC(), b.CreatedAt.UTC()
		return a == b
	})
}

func refs(customers []shop.Customer) []string {
	var out []string
	for _, c := range customers {
		out = append(out, c.Ref)
	}
	return out
}

func (c contract) find(t *testing.T, key shop.MatchKey, value string, limit int) []shop.Customer {
	t.Helper()
	got, err := c.s.FindCustomers(ctx, key, value, limit)
	if err != nil {
		t.Fatalf("FindCustomers(%s, %q, %d): %v", key, value, limit, err)
	}
	return got
}

func (c contract) findByEveryKey(t *testing.T) {
	tests := []struct {
		key   shop.MatchKey
		value string
		want  int64
	}{
		{shop.KeyCustomerRef, "K-1001", layla},
		{shop.KeyCustomerRef, "K-1006", walkIn}, // a customer with no other key is still linkable
		{shop.KeyContactID, "101", layla},
		{shop.KeyContactID, "108", hamad},
		{shop.KeyIdentifier, "cust-1001", layla},
		{shop.KeyIdentifier, "cust-1003", noura},
		{shop.KeyEmail, "layla@example.com", layla},
		{shop.KeyEmail, "james.carter@example.com", james},
		{shop.KeyPhone, "966500000001", layla},
		{shop.KeyPhone, "971501234567", fatima},
	}
	for _, key := range shop.MatchOrder {
		covered := false
		for _, tt := range tests {
			covered = covered || tt.key == key
		}
		if !covered {
			t.Errorf("the contract does not check key %s", key)
		}
	}
	for _, tt := range tests {
		got := c.find(t, tt.key, tt.value, shop.MaxMatches)
		if want := c.customers(tt.want); !sameCustomers(got, want) {
			t.Errorf("FindCustomers(%s, %q) = %+v, want %+v", tt.key, tt.value, got, want)
		}
	}
}

// A key several customers share finds them all, by ascending id, and no
// more than the limit.
func (c contract) findSharedKey(t *testing.T) {
	tests := []struct {
		key   shop.MatchKey
		value string
		limit int
		want  []int64
	}{
		{shop.KeyPhone, sharedPhone, shop.MaxMatches, []int64{noura, omar}},
		{shop.KeyContactID, fmt.Sprint(sharedContactID), shop.MaxMatches, []int64{omar, sara}},
		{shop.KeyEmail, sharedEmail, shop.MaxMatches, []int64{fatima, hamad}},
		{shop.KeyPhone, sharedPhone, 1, []int64{noura}},
		{shop.KeyEmail, sharedEmail, 1, []int64{fatima}},
	}
	for _, tt := range tests {
		got := c.find(t, tt.key, tt.value, tt.limit)
		if want := c.customers(tt.want...); !sameCustomers(got, want) {
			t.Errorf("FindCustomers(%s, %q, limit %d) = %v, want %v", tt.key, tt.value, tt.limit, refs(got), refs(want))
		}
	}
}

// The store compares whole values: a search API's prefix or fuzzy match
// would link the wrong customer.
func (c contract) findExactOnly(t *testing.T) {
	for _, tt := range []struct {
		key   shop.MatchKey
		value string
	}{
		{shop.KeyCustomerRef, "K-100"}, {shop.KeyCustomerRef, "K-10011"}, {shop.KeyContactID, "10"},
		{shop.KeyIdentifier, "cust-100"}, {shop.KeyEmail, "example.com"}, {shop.KeyEmail, "layla"},
		{shop.KeyPhone, "96650000000"}, {shop.KeyPhone, "500000001"}, {shop.KeyEmail, "omar@example.com.evil"},
	} {
		if got := c.find(t, tt.key, tt.value, shop.MaxMatches); len(got) != 0 {
			t.Errorf("FindCustomers(%s, %q) = %v, want nobody", tt.key, tt.value, refs(got))
		}
	}
}

// Customers without a key hold it empty (or 0): asking for the empty
// value, or contact id 0, must never find them.
func (c contract) emptyKeysNeverMatch(t *testing.T) {
	for _, key := range shop.MatchOrder {
		if got := c.find(t, key, "", shop.MaxMatches); len(got) != 0 {
			t.Errorf("FindCustomers(%s, \"\") = %v, want nobody", key, refs(got))
		}
	}
	for _, v := range []string{"0", "-1"} {
		if got := c.find(t, shop.KeyContactID, v, shop.MaxMatches); len(got) != 0 {
			t.Errorf("FindCustomers(contact_id, %q) = %v, want nobody", v, refs(got))
		}
	}
	m, err := shop.Resolve(ctx, c.s, shop.Identity{})
	if err != nil || m.Key != "" || len(m.Customers) != 0 {
		t.Errorf("Resolve(empty identity) = %+v, %v; want no match", m, err)
	}
}

func (c contract) unsupportedKey(t *testing.T) {
	_, err := c.s.FindCustomers(ctx, "favourite_colour", "blue", shop.MaxMatches)
	if !errors.Is(err, shop.ErrUnsupportedKey) {
		t.Errorf("FindCustomers(favourite_colour): err = %v, want one wrapping shop.ErrUnsupportedKey", err)
	}
}

// The policy over this store: what the panel does with a host's identity.
func (c contract) resolve(t *testing.T) {
	tests := []struct {
		name     string
		identity shop.Identity // as the host sent it
		key      shop.MatchKey
		want     []int64
	}{
		{"customer ref beats contact id", shop.Identity{CustomerRef: " K-1002 ", ContactID: 101}, shop.KeyCustomerRef, []int64{james}},
		{"unknown ref falls through", shop.Identity{CustomerRef: "K-9999", Identifier: "cust-1003"}, shop.KeyIdentifier, []int64{noura}},
		{"contact id beats email", shop.Identity{ContactID: 101, Email: "JAMES.CARTER@EXAMPLE.COM"}, shop.KeyContactID, []int64{layla}},
		{"email, normalised above the store", shop.Identity{Email: " James.Carter@Example.com "}, shop.KeyEmail, []int64{james}},
		{"phone, normalised above the store", shop.Identity{Phone: "+966 50 000 0001"}, shop.KeyPhone, []int64{layla}},
		{"shared phone", shop.Identity{Phone: "00966555123456"}, shop.KeyPhone, []int64{noura, omar}},
		{"shared contact id beats a unique email", shop.Identity{ContactID: sharedContactID, Email: "sara@example.com"}, shop.KeyContactID, []int64{omar, sara}},
		{"nobody", shop.Identity{ContactID: 999, Email: "visitor@example.org"}, "", nil},
	}
	for _, tt := range tests {
		m, err := shop.Resolve(ctx, c.s, tt.identity)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if m.Key != tt.key || !sameCustomers(m.Customers, c.customers(tt.want...)) {
			t.Errorf("%s: Resolve(%+v) = %s %v, want %s %v", tt.name, tt.identity, m.Key, refs(m.Customers), tt.key, refs(c.customers(tt.want...)))
		}
	}
}

func sameSummary(a, b shop.Summary) bool {
	return slices.Equal(a.LifetimeSpend, b.LifetimeSpend) && slices.Equal(a.Refunded, b.Refunded) &&
		a.OrderCount == b.OrderCount && a.RefundCount == b.RefundCount && a.FailedPayments == b.FailedPayments
}

func sameOrder(a, b shop.Order) bool {
	a.PlacedAt, b.PlacedAt = a.PlacedAt.UTC(), b.PlacedAt.UTC()
	return a == b
}

func samePayment(a, b shop.Payment) bool {
	a.CreatedAt, b.CreatedAt = a.CreatedAt.UTC(), b.CreatedAt.UTC()
	return a == b
}

func (c contract) summaries(t *testing.T) {
	want := expectedSummaries(c.f)
	for _, cust := range c.f.Customers {
		w, ok := want[cust.ID]
		if !ok {
			t.Fatalf("no expected summary for %s", cust.Ref)
		}
		got, err := c.s.Summary(ctx, cust.ID)
		if err != nil {
			t.Fatalf("Summary(%s): %v", cust.Ref, err)
		}
		if !sameSummary(got, w) {
			t.Errorf("Summary(%s) = %+v, want %+v", cust.Ref, got, w)
		}
	}
}

// newestFirst sorts rows as pages list them: by time, then id, descending.
func newestFirst[T any](rows []T, at func(T) time.Time, id func(T) int64) []T {
	out := slices.Clone(rows)
	slices.SortFunc(out, func(a, b T) int {
		if c := at(b).Compare(at(a)); c != 0 {
			return c
		}
		return cmp.Compare(id(b), id(a))
	})
	return out
}

// walk reads every page of one list, checking each page's shape.
func walk[T any](t *testing.T, what string, limit int, page func(cursor string) ([]T, string, error)) []T {
	t.Helper()
	var all []T
	for cursor, n := "", 0; ; n++ {
		rows, next, err := page(cursor)
		if err != nil {
			t.Fatalf("%s, limit %d, page %d: %v", what, limit, n+1, err)
		}
		if limit > 0 && len(rows) > limit {
			t.Fatalf("%s: page of %d with limit %d", what, len(rows), limit)
		}
		if limit > 0 && limit <= shop.DefaultPageSize && next != "" && len(rows) != limit {
			t.Fatalf("%s: a page of %d with limit %d says there is more", what, len(rows), limit)
		}
		if n > 0 && len(rows) == 0 {
			t.Fatalf("%s, limit %d: page %d is empty: the previous page's Next should have been empty", what, limit, n+1)
		}
		all = append(all, rows...)
		if next == "" {
			return all
		}
		if next == cursor || n > 1000 {
			t.Fatalf("%s, limit %d: the pages do not end (Next %q)", what, limit, next)
		}
		cursor = next
	}
}

// Every customer's orders and payments, page by page, add up to the full
// list, newest first with ties by descending id, without overlap.
func (c contract) keysetPages(t *testing.T) {
	for _, limit := range []int{1, 7, shop.DefaultPageSize, 0, 10 * shop.MaxPageSize} {
		for _, cust := range c.f.Customers {
			gotOrders := walk(t, cust.Ref+" orders", limit, func(cursor string) ([]shop.Order, string, error) {
				p, err := c.s.Orders(ctx, cust.ID, cursor, limit)
				return p.Orders, p.Next, err
			})
			wantOrders := newestFirst(filter(c.f.Orders, func(o shop.Order) bool { return o.CustomerID == cust.ID }),
				func(o shop.Order) time.Time { return o.PlacedAt }, func(o shop.Order) int64 { return o.ID })
			if !slices.EqualFunc(gotOrders, wantOrders, sameOrder) {
				t.Errorf("%s, limit %d: orders %v, want %v", cust.Ref, limit, numbers(gotOrders), numbers(wantOrders))
			}

			gotPayments := walk(t, cust.Ref+" payments", limit, func(cursor string) ([]shop.Payment, string, error) {
				p, err := c.s.Payments(ctx, cust.ID, cursor, limit)
				return p.Payments, p.Next, err
			})
			wantPayments := newestFirst(filter(c.f.Payments, func(p shop.Payment) bool { return p.CustomerID == cust.ID }),
				func(p shop.Payment) time.Time { return p.CreatedAt }, func(p shop.Payment) int64 { return p.ID })
			if !slices.EqualFunc(gotPayments, wantPayments, samePayment) {
				t.Errorf("%s, limit %d: payments %+v, want %+v", cust.Ref, limit, gotPayments, wantPayments)
			}
		}
	}
	// limit <= 0 asks for the store's default page, which is not empty.
	p, err := c.s.Orders(ctx, layla, "", 0)
	if err != nil || len(p.Orders) == 0 {
		t.Errorf("Orders(limit 0) = %d orders, %v; want the default page", len(p.Orders), err)
	}
}

func filter[T any](rows []T, keep func(T) bool) []T {
	var out []T
	for _, r := range rows {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

func numbers(orders []shop.Order) []string {
	var out []string
	for _, o := range orders {
		out = append(out, o.Number)
	}
	return out
}

// A cursor the store did not issue is the caller's error.
func (c contract) badCursor(t *testing.T) {
	for _, cursor := range []string{"!!!", "not a cursor", "Zm9v", "%00"} {
		if _, err := c.s.Orders(ctx, layla, cursor, 5); !errors.Is(err, shop.ErrBadCursor) {
			t.Errorf("Orders with cursor %q: err = %v, want one wrapping shop.ErrBadCursor", cursor, err)
		}
		if _, err := c.s.Payments(ctx, layla, cursor, 5); !errors.Is(err, shop.ErrBadCursor) {
			t.Errorf("Payments with cursor %q: err = %v, want one wrapping shop.ErrBadCursor", cursor, err)
		}
	}
}

// A customer that does not exist has nothing, and that is no error.
func (c contract) unknownCustomer(t *testing.T) {
	s, err := c.s.Summary(ctx, unknownCustomer)
	if err != nil || !sameSummary(s, shop.Summary{}) {
		t.Errorf("Summary(unknown) = %+v, %v; want zero", s, err)
	}
	o, err := c.s.Orders(ctx, unknownCustomer, "", 5)
	if err != nil || len(o.Orders) != 0 || o.Next != "" {
		t.Errorf("Orders(unknown) = %+v, %v; want an empty last page", o, err)
	}
	p, err := c.s.Payments(ctx, unknownCustomer, "", 5)
	if err != nil || len(p.Payments) != 0 || p.Next != "" {
		t.Errorf("Payments(unknown) = %+v, %v; want an empty last page", p, err)
	}
}

// A cancelled request stops the store, which says why.
func (c contract) cancelled(t *testing.T) {
	done, cancel := context.WithCancel(ctx)
	cancel()
	_, errFind := c.s.FindCustomers(done, shop.KeyEmail, "layla@example.com", 1)
	_, errSummary := c.s.Summary(done, layla)
	_, errOrders := c.s.Orders(done, layla, "", 5)
	_, errPayments := c.s.Payments(done, layla, "", 5)
	for name, err := range map[string]error{"FindCustomers": errFind, "Summary": errSummary, "Orders": errOrders, "Payments": errPayments} {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: err = %v, want one wrapping context.Canceled", name, err)
		}
	}
}

// The simulator's presets: customers by ascending id, up to the limit.
func (c contract) lister(t *testing.T, l Lister) {
	all := slices.SortedFunc(slices.Values(c.f.Customers), func(a, b shop.Customer) int { return cmp.Compare(a.ID, b.ID) })
	for _, limit := range []int{3, len(all), 100} {
		got, err := l.Customers(ctx, limit)
		if err != nil {
			t.Fatal(err)
		}
		if want := all[:min(limit, len(all))]; !sameCustomers(got, want) {
			t.Errorf("Customers(%d) = %v, want %v", limit, refs(got), refs(want))
		}
	}
}
