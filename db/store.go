package db

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"dashapp/db/shop"
)

// ErrBadCursor is returned (wrapped) when a page cursor cannot be decoded.
// It is shop.ErrBadCursor, so callers may test for either.
var ErrBadCursor = shop.ErrBadCursor

// Page sizes: limit <= 0 asks for the default, larger limits are capped.
const (
	DefaultPageSize = shop.DefaultPageSize
	MaxPageSize     = shop.MaxPageSize
)

// The panel's queries. They are constants so that explain_test.go checks
// the very SQL that runs: each must be an index search, never a scan.
const (
	customerColumns = `id, ref, name, coalesce(email, ''), coalesce(phone, ''), coalesce(identifier, ''), coalesce(contact_id, 0), created_at`

	// customers.ref is UNIQUE: its automatic index answers the link.
	matchByRefSQL        = `SELECT ` + customerColumns + ` FROM customers WHERE ref = ? ORDER BY id LIMIT ?`
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
	// row with a NULL currency when they have none), each carrying the
	// order count. The payments are aggregated from
	// payments_customer_summary alone, in currency order.
	summarySQL = `SELECT (SELECT count(*) FROM orders WHERE customer_id = c.id),
	coalesce(p.currency, ''),
	count(CASE WHEN p.status = 'succeeded' THEN 1 END),
	coalesce(sum(CASE WHEN p.status = 'succeeded' AND p.kind = 'charge' THEN p.amount_minor END), 0),
	coalesce(sum(CASE WHEN p.status = 'succeeded' AND p.kind = 'refund' THEN p.amount_minor END), 0),
	count(CASE WHEN p.status = 'succeeded' AND p.kind = 'refund' THEN 1 END),
	count(CASE WHEN p.status = 'failed' THEN 1 END)
FROM customers c
LEFT JOIN payments p ON p.customer_id = c.id
WHERE c.id = ?
GROUP BY p.currency ORDER BY p.currency`
	ordersFirstSQL = `SELECT ` + orderColumns + ` FROM orders
WHERE customer_id = ?
ORDER BY placed_at DESC, id DESC LIMIT ?`
	ordersAfterSQL = `SELECT ` + orderColumns + ` FROM orders
WHERE customer_id = ? AND (placed_at, id) < (?, ?)
ORDER BY placed_at DESC, id DESC LIMIT ?`

	paymentColumns = `p.id, p.ref, p.customer_id, coalesce(o.number, ''), p.kind, p.method, p.card_brand, p.card_last4, p.status, p.currency, p.amount_minor, p.created_at`
	// The order's number comes from orders_id_number, the narrow index
	// 0012 adds for this join; left to itself the planner reads the wide
	// order row by rowid (TestPanelListsReadOneIndex).
	paymentsFirstSQL = `SELECT ` + paymentColumns + ` FROM payments p LEFT JOIN orders o INDEXED BY orders_id_number ON o.id = p.order_id
WHERE p.customer_id = ?
ORDER BY p.created_at DESC, p.id DESC LIMIT ?`
	paymentsAfterSQL = `SELECT ` + paymentColumns + ` FROM payments p LEFT JOIN orders o INDEXED BY orders_id_number ON o.id = p.order_id
WHERE p.customer_id = ? AND (p.created_at, p.id) < (?, ?)
ORDER BY p.created_at DESC, p.id DESC LIMIT ?`
)

// panelQueries are prepared once per read connection: preparing costs as
// much as running these small queries.
var panelQueries = []string{
	matchByRefSQL, matchByContactIDSQL, matchByIdentifierSQL, matchByEmailSQL, matchByPhoneSQL, customersSQL,
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
	shop.KeyCustomerRef: matchByRefSQL,
	shop.KeyContactID:   matchByContactIDSQL,
	shop.KeyIdentifier:  matchByIdentifierSQL,
	shop.KeyEmail:       matchByEmailSQL,
	shop.KeyPhone:       matchByPhoneSQL,
}

// FindCustomers answers the match policy's one question (shop.Resolve):
// the customers whose key equals value, by id, through that key's index.
// An empty value, or a contact id that is not a positive number, matches
// nobody without a query.
func (d *DB) FindCustomers(ctx context.Context, key shop.MatchKey, value string, limit int) ([]shop.Customer, error) {
	query, ok := matchSQL[key]
	if !ok {
		return nil, fmt.Errorf("find customers by %q: %w", key, shop.ErrUnsupportedKey)
	}
	if value == "" || limit <= 0 {
		return nil, nil
	}
	var arg any = value
	if key == shop.KeyContactID {
		id, err := strconv.ParseInt(value, 10, 64)
		if err != nil || id <= 0 {
			return nil, nil
		}
		arg = id
	}
	customers, err := d.queryCustomers(ctx, query, arg, limit)
	if err != nil {
		return nil, fmt.Errorf("find customers by %s: %w", key, err)
	}
	return customers, nil
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
	for rows.Next() { // rows come sorted by currency
		var currency string
		var succeeded, charged, refunded, refunds, failed int64
		if err := rows.Scan(&s.OrderCount, &currency, &succeeded, &charged, &refunded, &refunds, &failed); err != nil {
			return shop.Summary{}, fmt.Errorf("summary of customer %d: %w", customerID, err)
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
	orders, next, err := orderPages.page(ctx, d, customerID, cursor, limit)
	return shop.OrderPage{Orders: orders, Next: next}, err
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
	payments, next, err := paymentPages.page(ctx, d, customerID, cursor, limit)
	return shop.PaymentPage{Payments: payments, Next: next}, err
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
