// Package memstore is a customer store held in memory: the second
// implementation of the contract in db/storetest, small enough to read in
// one sitting. Handler tests use it instead of seeding SQLite, and a fork's
// own store can follow its shape. It searches by scanning, so it is for
// tests and demos, not for a shop's whole history.
package memstore

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"dashapp/db/shop"
)

// Store holds customers, orders and payments that do not change after New.
type Store struct {
	customers []shop.Customer           // by ascending id
	orders    map[int64][]shop.Order    // per customer, newest first
	payments  map[int64][]shop.Payment  // per customer, newest first
	items     map[int64][]shop.Item     // per order id, as listed
	shipments map[int64][]shop.Shipment // per order id, oldest first
}

// New checks and indexes the rows. Customers' emails and phones are
// normalised as the SQLite import does; every id and ref must be unique,
// and orders and payments must name a known customer.
func New(customers []shop.Customer, orders []shop.Order, payments []shop.Payment) (*Store, error) {
	s := &Store{orders: map[int64][]shop.Order{}, payments: map[int64][]shop.Payment{}}
	ids, refs := map[int64]bool{}, map[string]bool{}
	for _, c := range customers {
		if c.ID <= 0 || c.Ref == "" || ids[c.ID] || refs[c.Ref] {
			return nil, fmt.Errorf("memstore: customer %d %q: ids must be positive and ids and refs unique", c.ID, c.Ref)
		}
		ids[c.ID], refs[c.Ref] = true, true
		c.Identifier = strings.TrimSpace(c.Identifier)
		c.Email = shop.NormalizeEmail(c.Email)
		c.Phone = shop.NormalizePhone(c.Phone)
		s.customers = append(s.customers, c)
	}
	slices.SortFunc(s.customers, func(a, b shop.Customer) int { return cmp.Compare(a.ID, b.ID) })
	for _, o := range orders {
		if !ids[o.CustomerID] {
			return nil, fmt.Errorf("memstore: order %s: no customer %d", o.Number, o.CustomerID)
		}
		s.orders[o.CustomerID] = append(s.orders[o.CustomerID], o)
	}
	for _, p := range payments {
		if !ids[p.CustomerID] {
			return nil, fmt.Errorf("memstore: payment %s: no customer %d", p.Ref, p.CustomerID)
		}
		s.payments[p.CustomerID] = append(s.payments[p.CustomerID], p)
	}
	for _, list := range s.orders {
		newestFirst(list, func(o shop.Order) (time.Time, int64) { return o.PlacedAt, o.ID })
	}
	for _, list := range s.payments {
		newestFirst(list, func(p shop.Payment) (time.Time, int64) { return p.CreatedAt, p.ID })
	}
	return s, nil
}

func newestFirst[T any](rows []T, key func(T) (time.Time, int64)) {
	slices.SortFunc(rows, func(a, b T) int {
		at, aid := key(a)
		bt, bid := key(b)
		return cmp.Or(cmp.Compare(bt.Unix(), at.Unix()), cmp.Compare(bid, aid))
	})
}

// field is the customer's value for a match key, and false for a key this
// store does not know.
func field(c shop.Customer, key shop.MatchKey) (string, bool) {
	switch key {
	case shop.KeyCustomerRef:
		return c.Ref, true
	case shop.KeyContactID:
		if c.ContactID <= 0 {
			return "", true
		}
		return strconv.FormatInt(c.ContactID, 10), true
	case shop.KeyIdentifier:
		return c.Identifier, true
	case shop.KeyEmail:
		return c.Email, true
	case shop.KeyPhone:
		return c.Phone, true
	}
	return "", false
}

// FindCustomers is the match policy's question (shop.CustomerFinder).
func (s *Store) FindCustomers(ctx context.Context, key shop.MatchKey, value string, limit int) ([]shop.Customer, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("find customers by %s: %w", key, err)
	}
	if _, ok := field(shop.Customer{}, key); !ok {
		return nil, fmt.Errorf("find customers by %q: %w", key, shop.ErrUnsupportedKey)
	}
	if value == "" || limit <= 0 {
		return nil, nil
	}
	var out []shop.Customer
	for _, c := range s.customers {
		if v, _ := field(c, key); v == value {
			if out = append(out, c); len(out) == limit {
				break
			}
		}
	}
	return out, nil
}

// Customers lists up to limit customers by id: with it, the host simulator
// is served (handlers.CustomerLister).
func (s *Store) Customers(ctx context.Context, limit int) ([]shop.Customer, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("list customers: %w", err)
	}
	return slices.Clone(s.customers[:min(max(limit, 0), len(s.customers))]), nil
}

// Summary adds up the customer's payments per currency, as the SQLite
// store's one query does.
func (s *Store) Summary(ctx context.Context, customerID int64) (shop.Summary, error) {
	if err := ctx.Err(); err != nil {
		return shop.Summary{}, fmt.Errorf("summary of customer %d: %w", customerID, err)
	}
	var sum shop.Summary
	orders := s.orders[customerID]
	sum.OrderCount = len(orders)
	spend, refunded := map[string]int64{}, map[string]int64{}
	for _, p := range s.payments[customerID] {
		switch {
		case p.Status == shop.PaymentFailed:
			sum.FailedPayments++
		case p.Status != shop.PaymentSucceeded:
		case p.Kind == shop.KindRefund:
			spend[p.Amount.Currency] -= p.Amount.Minor
			refunded[p.Amount.Currency] += p.Amount.Minor
			sum.RefundCount++
		default:
			spend[p.Amount.Currency] += p.Amount.Minor
		}
	}
	sum.LifetimeSpend, sum.Refunded = byCurrency(spend), byCurrency(refunded)
	return sum, nil
}

func byCurrency(m map[string]int64) []shop.Money {
	var out []shop.Money
	for _, currency := range slices.Sorted(maps.Keys(m)) {
		out = append(out, shop.Money{Minor: m[currency], Currency: currency})
	}
	return out
}

// Orders is one keyset page of the customer's orders, newest first.
func (s *Store) Orders(ctx context.Context, customerID int64, cursor string, limit int) (shop.OrderPage, error) {
	rows, next, err := page(ctx, s.orders[customerID], cursor, limit, func(o shop.Order) (time.Time, int64) { return o.PlacedAt, o.ID })
	if err != nil {
		return shop.OrderPage{}, fmt.Errorf("orders of customer %d: %w", customerID, err)
	}
	return shop.OrderPage{Orders: rows, Next: next}, nil
}

// Payments is one keyset page of the customer's payments, newest first.
func (s *Store) Payments(ctx context.Context, customerID int64, cursor string, limit int) (shop.PaymentPage, error) {
	rows, next, err := page(ctx, s.payments[customerID], cursor, limit, func(p shop.Payment) (time.Time, int64) { return p.CreatedAt, p.ID })
	if err != nil {
		return shop.PaymentPage{}, fmt.Errorf("payments of customer %d: %w", customerID, err)
	}
	return shop.PaymentPage{Payments: rows, Next: next}, nil
}

// page cuts the page after cursor out of rows sorted newest first.
func page[T any](ctx context.Context, rows []T, cursor string, limit int, key func(T) (time.Time, int64)) ([]T, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	start := 0
	if cursor != "" {
		after, err := shop.ParseCursor(cursor)
		if err != nil {
			return nil, "", err
		}
		start = slices.IndexFunc(rows, func(r T) bool { return after.Precedes(key(r)) })
		if start < 0 {
			start = len(rows)
		}
	}
	end := min(start+shop.PageLimit(limit), len(rows))
	out := slices.Clone(rows[start:end])
	if end == len(rows) {
		return out, "", nil
	}
	at, id := key(rows[end-1])
	return out, shop.Cursor{At: at, ID: id}.String(), nil
}

// SetDetails adds the orders' items (by order id) and shipments (each
// naming its OrderID), which OrderDetail returns. Call it before the store
// serves: like New's rows, they do not change afterwards.
func (s *Store) SetDetails(items map[int64][]shop.Item, shipments []shop.Shipment) error {
	known := map[int64]bool{}
	for _, list := range s.orders {
		for _, o := range list {
			known[o.ID] = true
		}
	}
	s.items, s.shipments = map[int64][]shop.Item{}, map[int64][]shop.Shipment{}
	for id, list := range items {
		if !known[id] {
			return fmt.Errorf("memstore: items of order %d: no such order", id)
		}
		s.items[id] = slices.Clone(list)
	}
	for _, sh := range shipments {
		if !known[sh.OrderID] {
			return fmt.Errorf("memstore: shipment %s: no order %d", sh.Ref, sh.OrderID)
		}
		s.shipments[sh.OrderID] = append(s.shipments[sh.OrderID], sh)
	}
	return nil
}

// OrderDetail is one of the customer's orders with its items, shipments
// and payments, oldest payment first; another customer's order is not
// found, as in the SQLite store.
func (s *Store) OrderDetail(ctx context.Context, customerID, orderID int64) (shop.OrderDetail, error) {
	if err := ctx.Err(); err != nil {
		return shop.OrderDetail{}, fmt.Errorf("order %d of customer %d: %w", orderID, customerID, err)
	}
	i := slices.IndexFunc(s.orders[customerID], func(o shop.Order) bool { return o.ID == orderID })
	if i < 0 {
		return shop.OrderDetail{}, fmt.Errorf("order %d of customer %d: %w", orderID, customerID, shop.ErrNotFound)
	}
	d := shop.OrderDetail{Order: s.orders[customerID][i], Items: slices.Clone(s.items[orderID]), Shipments: slices.Clone(s.shipments[orderID])}
	payments := s.payments[customerID]
	for j := len(payments) - 1; j >= 0; j-- { // newest first, read backwards
		if p := payments[j]; p.OrderNumber != "" && p.OrderNumber == d.Order.Number {
			d.Payments = append(d.Payments, p)
		}
	}
	return d, nil
}
