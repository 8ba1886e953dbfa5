package db

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
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

	// summaryPaymentsSQL aggregates a customer's payments per currency in
	// one pass over the customer's slice of payments_customer_created.
	summaryPaymentsSQL = `SELECT currency,
	count(CASE WHEN status = 'succeeded' THEN 1 END),
	coalesce(sum(CASE WHEN status = 'succeeded' AND kind = 'charge' THEN amount_minor END), 0),
	coalesce(sum(CASE WHEN status = 'succeeded' AND kind = 'refund' THEN amount_minor END), 0),
	count(CASE WHEN status = 'succeeded' AND kind = 'refund' THEN 1 END),
	count(CASE WHEN status = 'failed' THEN 1 END)
FROM payments WHERE customer_id = ? GROUP BY currency ORDER BY currency`
	orderColumns = `id, number, customer_id, status, currency, total_minor, item_count, placed_at`
	// summaryOrdersSQL is the customer's last order with their order count:
	// no row when they have none. Its LIMIT is a constant: SQLite
	// recompiles a statement whenever a LIMIT parameter is bound to
	// another value, and ordersFirstSQL is bound to the page size.
	summaryOrdersSQL = `SELECT ` + orderColumns + `, (SELECT count(*) FROM orders WHERE customer_id = ?1) FROM orders
WHERE customer_id = ?1
ORDER BY placed_at DESC, id DESC LIMIT 1`
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
	summaryPaymentsSQL, summaryOrdersSQL, ordersFirstSQL, ordersAfterSQL, paymentsFirstSQL, paymentsAfterSQL,
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
	return nil
}

// query runs a prepared panel query, within tx when it is not nil.
func (d *DB) query(ctx context.Context, tx *sql.Tx, query string, args ...any) (*sql.Rows, error) {
	s := d.stmts[query]
	if tx != nil {
		s = tx.StmtContext(ctx, s)
	}
	return s.QueryContext(ctx, args...)
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
	rows, err := d.query(ctx, nil, query, args...)
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

// Summary is the at-a-glance history of one customer. Its queries run in
// one read transaction so that they see the same snapshot.
func (d *DB) Summary(ctx context.Context, customerID int64) (shop.Summary, error) {
	tx, err := d.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return shop.Summary{}, fmt.Errorf("summary of customer %d: %w", customerID, err)
	}
	defer tx.Rollback()

	var s shop.Summary
	if err := d.summarisePayments(ctx, tx, customerID, &s); err != nil {
		return shop.Summary{}, fmt.Errorf("summary of customer %d: payments: %w", customerID, err)
	}
	var last shop.Order
	var placed int64
	err = tx.StmtContext(ctx, d.stmts[summaryOrdersSQL]).QueryRowContext(ctx, customerID).Scan(
		&last.ID, &last.Number, &last.CustomerID, &last.Status, &last.Total.Currency, &last.Total.Minor, &last.ItemCount, &placed, &s.OrderCount)
	switch {
	case errors.Is(err, sql.ErrNoRows): // no orders: no last order, a count of 0
	case err != nil:
		return shop.Summary{}, fmt.Errorf("summary of customer %d: orders: %w", customerID, err)
	default:
		last.PlacedAt = unixTime(placed)
		s.LastOrder = &last
	}
	return s, nil
}

func (d *DB) summarisePayments(ctx context.Context, tx *sql.Tx, customerID int64, s *shop.Summary) error {
	rows, err := d.query(ctx, tx, summaryPaymentsSQL, customerID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() { // rows come sorted by currency
		var currency string
		var succeeded, charged, refunded, refunds, failed int64
		if err := rows.Scan(&currency, &succeeded, &charged, &refunded, &refunds, &failed); err != nil {
			return err
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
	return rows.Err()
}

// Orders is one page of a customer's orders, newest first. cursor is "" for
// the first page, or the Next of the previous page.
func (d *DB) Orders(ctx context.Context, customerID int64, cursor string, limit int) (shop.OrderPage, error) {
	limit = pageSize(limit)
	var rows *sql.Rows
	var err error
	if cursor == "" {
		rows, err = d.query(ctx, nil, ordersFirstSQL, customerID, limit+1)
	} else {
		at, id, cerr := decodeCursor(cursor)
		if cerr != nil {
			return shop.OrderPage{}, fmt.Errorf("orders of customer %d: %w", customerID, cerr)
		}
		rows, err = d.query(ctx, nil, ordersAfterSQL, customerID, at, id, limit+1)
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
		var o shop.Order
		var placed int64
		if err := rows.Scan(&o.ID, &o.Number, &o.CustomerID, &o.Status, &o.Total.Currency, &o.Total.Minor, &o.ItemCount, &placed); err != nil {
			return nil, err
		}
		o.PlacedAt = unixTime(placed)
		out = append(out, o)
	}
	return out, rows.Err()
}

// Payments is one page of a customer's payments, newest first, each with
// the number of the order it paid or refunded.
func (d *DB) Payments(ctx context.Context, customerID int64, cursor string, limit int) (shop.PaymentPage, error) {
	limit = pageSize(limit)
	var rows *sql.Rows
	var err error
	if cursor == "" {
		rows, err = d.query(ctx, nil, paymentsFirstSQL, customerID, limit+1)
	} else {
		at, id, cerr := decodeCursor(cursor)
		if cerr != nil {
			return shop.PaymentPage{}, fmt.Errorf("payments of customer %d: %w", customerID, cerr)
		}
		rows, err = d.query(ctx, nil, paymentsAfterSQL, customerID, at, id, limit+1)
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
