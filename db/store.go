package db

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"dashapp/db/shop"
)

// ErrBadCursor is returned (wrapped) when a page cursor cannot be decoded.
// It is shop.ErrBadCursor, so callers may test for either.
var ErrBadCursor = shop.ErrBadCursor

// Page sizes: limit <= 0 asks for the default, larger limits are capped.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
	// MaxMatches caps the customers returned for one ambiguous key.
	MaxMatches = 10
)

// The panel's queries. They are constants so that explain_test.go checks
// the very SQL that runs: each must be an index search, never a scan.
const (
	customerColumns = `id, ref, name, coalesce(email, ''), coalesce(phone, ''), coalesce(identifier, ''), coalesce(contact_id, 0), created_at`

	matchByContactIDSQL  = `SELECT ` + customerColumns + ` FROM customers WHERE contact_id = ? ORDER BY id LIMIT ?`
	matchByIdentifierSQL = `SELECT ` + customerColumns + ` FROM customers WHERE identifier = ? ORDER BY id LIMIT ?`
	matchByEmailSQL      = `SELECT ` + customerColumns + ` FROM customers WHERE email = ? ORDER BY id LIMIT ?`
	matchByPhoneSQL      = `SELECT ` + customerColumns + ` FROM customers WHERE phone = ? ORDER BY id LIMIT ?`

	// customersSQL lists customers for the host simulator's presets.
	customersSQL = `SELECT ` + customerColumns + ` FROM customers ORDER BY id LIMIT ?`

	// orderColumns are what the order list shows (shop.Order); the detail
	// adds orderDetailColumns. The panel reads a page of orders on every
	// request, so the list reads one table and only the columns it shows.
	orderColumns = `id, number, customer_id, status, currency, total_minor, item_count, placed_at,
	platform_status, payment_status, source, shipment_status, carrier, tracking_number, tracking_url`
	orderDetailColumns = `coalesce(external_id, ''), admin_url, customer_url, ship_name, ship_phone, ship_city, ship_country, ship_line, updated_at`
	shipmentColumns    = `id, ref, carrier, tracking_number, tracking_url, status, coalesce(status_at, 0), source, updated_at`
	// summarySQL is the whole summary in one statement, so that it reads
	// one snapshot without a transaction (BEGIN and ROLLBACK cost as much
	// as a query): one row per currency of the customer's payments (one
	// row with a NULL currency when they have none), each carrying the last
	// order (NULL when none) and the order count. The payments are
	// aggregated from payments_customer_summary alone, in currency order.
	// Its LIMIT is a constant: SQLite recompiles a statement whenever a
	// LIMIT parameter is bound to another value.
	summarySQL = `SELECT coalesce(o.id, 0), coalesce(o.number, ''), coalesce(o.customer_id, 0), coalesce(o.status, ''),
	coalesce(o.currency, ''), coalesce(o.total_minor, 0), coalesce(o.item_count, 0), coalesce(o.placed_at, 0),
	coalesce(o.platform_status, ''), coalesce(o.payment_status, ''), coalesce(o.source, ''), coalesce(o.shipment_status, ''),
	coalesce(o.carrier, ''), coalesce(o.tracking_number, ''), coalesce(o.tracking_url, ''),
	(SELECT count(*) FROM orders WHERE customer_id = c.id),
	coalesce(p.currency, ''),
	count(CASE WHEN p.status = 'succeeded' THEN 1 END),
	coalesce(sum(CASE WHEN p.status = 'succeeded' AND p.kind = 'charge' THEN p.amount_minor END), 0),
	coalesce(sum(CASE WHEN p.status = 'succeeded' AND p.kind = 'refund' THEN p.amount_minor END), 0),
	count(CASE WHEN p.status = 'succeeded' AND p.kind = 'refund' THEN 1 END),
	count(CASE WHEN p.status = 'failed' THEN 1 END)
FROM customers c
LEFT JOIN orders o ON o.id = (SELECT id FROM orders WHERE customer_id = c.id ORDER BY placed_at DESC, id DESC LIMIT 1)
LEFT JOIN payments p ON p.customer_id = c.id
WHERE c.id = ?
GROUP BY p.currency ORDER BY p.currency`
	ordersFirstSQL = `SELECT ` + orderColumns + ` FROM orders
WHERE customer_id = ?
ORDER BY placed_at DESC, id DESC LIMIT ?`
	ordersAfterSQL = `SELECT ` + orderColumns + ` FROM orders
WHERE customer_id = ? AND (placed_at, id) < (?, ?)
ORDER BY placed_at DESC, id DESC LIMIT ?`

	paymentColumns   = `p.id, p.ref, p.customer_id, coalesce(o.number, ''), p.kind, p.method, p.card_brand, p.card_last4, p.status, p.currency, p.amount_minor, p.created_at`
	paymentsFirstSQL = `SELECT ` + paymentColumns + ` FROM payments p LEFT JOIN orders o ON o.id = p.order_id
WHERE p.customer_id = ?
ORDER BY p.created_at DESC, p.id DESC LIMIT ?`
	paymentsAfterSQL = `SELECT ` + paymentColumns + ` FROM payments p LEFT JOIN orders o ON o.id = p.order_id
WHERE p.customer_id = ? AND (p.created_at, p.id) < (?, ?)
ORDER BY p.created_at DESC, p.id DESC LIMIT ?`
)

// panelQueries are prepared once per read connection: preparing costs as
// much as running these small queries.
var panelQueries = []string{
	matchByContactIDSQL, matchByIdentifierSQL, matchByEmailSQL, matchByPhoneSQL, customersSQL,
	summarySQL, ordersFirstSQL, ordersAfterSQL, paymentsFirstSQL, paymentsAfterSQL,
	orderSQL, orderItemsSQL, orderShipmentsSQL, orderPaymentsSQL,
}

func (d *DB) prepare(ctx context.Context) error {
	d.stmts = make(map[string]*sql.Stmt, len(panelQueries))
	for _, q := range panelQueries {
		s, err := d.read.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("prepare %q: %w", q, err)
		}
		d.stmts[q] = s
	}
	for _, q := range writeQueries {
		s, err := d.write.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("prepare %q: %w", q, err)
		}
		d.stmts[q] = s
	}
	return nil
}

// query runs a prepared panel query.
func (d *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return d.stmts[query].QueryContext(ctx, args...)
}

// matchSQL is the query for each key of shop.MatchOrder.
var matchSQL = map[shop.MatchKey]string{
	shop.KeyContactID:  matchByContactIDSQL,
	shop.KeyIdentifier: matchByIdentifierSQL,
	shop.KeyEmail:      matchByEmailSQL,
	shop.KeyPhone:      matchByPhoneSQL,
}

// Match finds the customers for an identity: the keys of shop.MatchOrder
// are tried in turn and the first that finds anyone wins, with every
// customer it found (up to MaxMatches, by id). Empty keys are never
// searched, so an empty identity matches nobody.
func (d *DB) Match(ctx context.Context, id shop.Identity) (shop.Match, error) {
	id = id.Normalize()
	for _, key := range shop.MatchOrder {
		value, ok := matchValue(id, key)
		if !ok {
			continue
		}
		customers, err := d.queryCustomers(ctx, matchSQL[key], value, MaxMatches)
		if err != nil {
			return shop.Match{}, fmt.Errorf("match customer by %s: %w", key, err)
		}
		if len(customers) > 0 {
			return shop.Match{Key: key, Customers: customers}, nil
		}
	}
	return shop.Match{}, nil
}

// matchValue is the query argument for key, and false when id has none.
func matchValue(id shop.Identity, key shop.MatchKey) (any, bool) {
	switch key {
	case shop.KeyContactID:
		return id.ContactID, id.ContactID > 0
	case shop.KeyIdentifier:
		return id.Identifier, id.Identifier != ""
	case shop.KeyEmail:
		return id.Email, id.Email != ""
	case shop.KeyPhone:
		return id.Phone, id.Phone != ""
	}
	return nil, false
}

// Customers lists up to limit customers by id, for the host simulator's
// presets.
func (d *DB) Customers(ctx context.Context, limit int) ([]shop.Customer, error) {
	customers, err := d.queryCustomers(ctx, customersSQL, limit)
	if err != nil {
		return nil, fmt.Errorf("list customers: %w", err)
	}
	return customers, nil
}

func (d *DB) queryCustomers(ctx context.Context, query string, args ...any) ([]shop.Customer, error) {
	rows, err := d.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []shop.Customer
	for rows.Next() {
		var c shop.Customer
		var created int64
		if err := rows.Scan(&c.ID, &c.Ref, &c.Name, &c.Email, &c.Phone, &c.Identifier, &c.ContactID, &created); err != nil {
			return nil, err
		}
		c.CreatedAt = unixTime(created)
		out = append(out, c)
	}
	return out, rows.Err()
}

// Summary is the at-a-glance history of one customer: an empty one when
// the customer does not exist.
func (d *DB) Summary(ctx context.Context, customerID int64) (shop.Summary, error) {
	rows, err := d.query(ctx, summarySQL, customerID)
	if err != nil {
		return shop.Summary{}, fmt.Errorf("summary of customer %d: %w", customerID, err)
	}
	defer rows.Close()
	var s shop.Summary
	for first := true; rows.Next(); first = false { // rows come sorted by currency
		var last orderScan
		var currency string
		var succeeded, charged, refunded, refunds, failed int64
		if err := rows.Scan(append(last.dest(false), &s.OrderCount, &currency, &succeeded, &charged, &refunded, &refunds, &failed)...); err != nil {
			return shop.Summary{}, fmt.Errorf("summary of customer %d: %w", customerID, err)
		}
		if first && last.o.ID != 0 { // every row carries the same last order
			order := last.order()
			s.LastOrder = &order
		}
		// A currency with only failed or pending payments has no spend to show.
		if succeeded > 0 {
			s.LifetimeSpend = append(s.LifetimeSpend, shop.Money{Minor: charged - refunded, Currency: currency})
		}
		if refunds > 0 {
			s.Refunded = append(s.Refunded, shop.Money{Minor: refunded, Currency: currency})
		}
		s.RefundCount += int(refunds)
		s.FailedPayments += int(failed)
	}
	if err := rows.Err(); err != nil {
		return shop.Summary{}, fmt.Errorf("summary of customer %d: %w", customerID, err)
	}
	return s, nil
}

// Orders is one page of a customer's orders, newest first. cursor is "" for
// the first page, or the Next of the previous page.
func (d *DB) Orders(ctx context.Context, customerID int64, cursor string, limit int) (shop.OrderPage, error) {
	limit = pageSize(limit)
	var rows *sql.Rows
	var err error
	if cursor == "" {
		rows, err = d.query(ctx, ordersFirstSQL, customerID, limit+1)
	} else {
		at, id, cerr := decodeCursor(cursor)
		if cerr != nil {
			return shop.OrderPage{}, fmt.Errorf("orders of customer %d: %w", customerID, cerr)
		}
		rows, err = d.query(ctx, ordersAfterSQL, customerID, at, id, limit+1)
	}
	orders, err := scanOrders(rows, err)
	if err != nil {
		return shop.OrderPage{}, fmt.Errorf("orders of customer %d: %w", customerID, err)
	}
	page := shop.OrderPage{Orders: orders}
	if len(orders) > limit {
		page.Orders = orders[:limit]
		last := page.Orders[limit-1]
		page.Next = encodeCursor(last.PlacedAt, last.ID)
	}
	return page, nil
}

// scanOrders takes a query's results directly, so callers need no error
// check between query and scan.
func scanOrders(rows *sql.Rows, err error) ([]shop.Order, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []shop.Order
	for rows.Next() {
		o, err := scanOrder(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// scanOrder reads the orderColumns of one row.
func scanOrder(row interface{ Scan(...any) error }, detail bool) (shop.Order, error) {
	var os orderScan
	if err := row.Scan(os.dest(detail)...); err != nil {
		return shop.Order{}, err
	}
	return os.order(), nil
}

// orderScan receives the orderColumns of a row, and with detail the
// orderDetailColumns after them.
type orderScan struct {
	o               shop.Order
	placed, updated int64
}

func (os *orderScan) dest(detail bool) []any {
	o, t := &os.o, &os.o.Tracking
	dest := []any{&o.ID, &o.Number, &o.CustomerID, &o.Status, &o.Total.Currency, &o.Total.Minor, &o.ItemCount, &os.placed,
		&o.PlatformStatus, &o.PaymentStatus, &o.Source, &t.Status, &t.Carrier, &t.Number, &t.URL}
	if detail {
		a := &o.ShippingAddress
		dest = append(dest, &o.ExternalID, &o.AdminURL, &o.CustomerURL, &a.Name, &a.Phone, &a.City, &a.Country, &a.Line, &os.updated)
	}
	return dest
}

func (os *orderScan) order() shop.Order {
	o := os.o
	o.PlacedAt = unixTime(os.placed)
	o.UpdatedAt = optionalTime(os.updated)
	return o
}

// Payments is one page of a customer's payments, newest first, each with
// the number of the order it paid or refunded.
func (d *DB) Payments(ctx context.Context, customerID int64, cursor string, limit int) (shop.PaymentPage, error) {
	limit = pageSize(limit)
	var rows *sql.Rows
	var err error
	if cursor == "" {
		rows, err = d.query(ctx, paymentsFirstSQL, customerID, limit+1)
	} else {
		at, id, cerr := decodeCursor(cursor)
		if cerr != nil {
			return shop.PaymentPage{}, fmt.Errorf("payments of customer %d: %w", customerID, cerr)
		}
		rows, err = d.query(ctx, paymentsAfterSQL, customerID, at, id, limit+1)
	}
	payments, err := scanPayments(rows, err)
	if err != nil {
		return shop.PaymentPage{}, fmt.Errorf("payments of customer %d: %w", customerID, err)
	}
	page := shop.PaymentPage{Payments: payments}
	if len(payments) > limit {
		page.Payments = payments[:limit]
		last := page.Payments[limit-1]
		page.Next = encodeCursor(last.CreatedAt, last.ID)
	}
	return page, nil
}

func scanPayments(rows *sql.Rows, err error) ([]shop.Payment, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []shop.Payment
	for rows.Next() {
		var p shop.Payment
		var created int64
		if err := rows.Scan(&p.ID, &p.Ref, &p.CustomerID, &p.OrderNumber, &p.Kind, &p.Method, &p.CardBrand, &p.CardLast4,
			&p.Status, &p.Amount.Currency, &p.Amount.Minor, &created); err != nil {
			return nil, err
		}
		p.CreatedAt = unixTime(created)
		out = append(out, p)
	}
	return out, rows.Err()
}

func pageSize(limit int) int {
	if limit <= 0 {
		return DefaultPageSize
	}
	return min(limit, MaxPageSize)
}

// encodeCursor makes the opaque cursor for the row after (at, id) in
// newest-first order: base64url of "unixSeconds:id".
func encodeCursor(at time.Time, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(at.Unix(), 10) + ":" + strconv.FormatInt(id, 10)))
}

func decodeCursor(cursor string) (at, id int64, err error) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return 0, 0, fmt.Errorf("%w: %q is not base64url", ErrBadCursor, cursor)
	}
	atText, idText, ok := strings.Cut(string(raw), ":")
	if !ok {
		return 0, 0, fmt.Errorf("%w: %q has no separator", ErrBadCursor, cursor)
	}
	at, errAt := strconv.ParseInt(atText, 10, 64)
	id, errID := strconv.ParseInt(idText, 10, 64)
	if errAt != nil || errID != nil || id <= 0 {
		return 0, 0, fmt.Errorf("%w: %q does not hold a time and an id", ErrBadCursor, cursor)
	}
	return at, id, nil
}

func unixTime(sec int64) time.Time { return time.Unix(sec, 0).UTC() }

// optionalTime is unixTime for the columns where 0 means unknown: the zero
// time.
func optionalTime(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return unixTime(sec)
}
