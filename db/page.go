package db

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"dashapp/db/shop"
)

// keyset is one of a customer's tables read newest first in keyset pages
// (orders, payments; shipments and items the same way): its two prepared
// queries, how to scan a row, and the row's (time, id) sort key.
type keyset[T any] struct {
	table    string // for errors: "orders"
	firstSQL string // args: customer id, limit
	afterSQL string // args: customer id, cursor time, cursor id, limit
	scan     func(*sql.Rows) (T, error)
	key      func(T) (time.Time, int64)
}

var orderPages = keyset[shop.Order]{table: "orders", firstSQL: ordersFirstSQL, afterSQL: ordersAfterSQL,
	scan: func(rows *sql.Rows) (shop.Order, error) { return scanOrder(rows, false) },
	key:  func(o shop.Order) (time.Time, int64) { return o.PlacedAt, o.ID }}

var paymentPages = keyset[shop.Payment]{table: "payments", firstSQL: paymentsFirstSQL, afterSQL: paymentsAfterSQL, scan: scanPayment,
	key: func(p shop.Payment) (time.Time, int64) { return p.CreatedAt, p.ID }}

func scanPayment(rows *sql.Rows) (shop.Payment, error) {
	var p shop.Payment
	var created int64
	err := rows.Scan(&p.ID, &p.Ref, &p.CustomerID, &p.OrderNumber, &p.Kind, &p.Method, &p.CardBrand, &p.CardLast4,
		&p.Status, &p.Amount.Currency, &p.Amount.Minor, &created)
	p.CreatedAt = unixTime(created)
	return p, err
}

// page reads up to limit of customerID's rows after cursor ("" for the
// first page) and the cursor of the page after them ("" on the last). It
// asks for one row more than it returns, to know whether another page
// exists without counting.
func (k keyset[T]) page(ctx context.Context, d *DB, customerID int64, cursor string, limit int) ([]T, string, error) {
	items, next, err := k.read(ctx, d, customerID, cursor, shop.PageLimit(limit))
	if err != nil {
		return nil, "", fmt.Errorf("%s of customer %d: %w", k.table, customerID, err)
	}
	return items, next, nil
}

func (k keyset[T]) read(ctx context.Context, d *DB, customerID int64, cursor string, limit int) ([]T, string, error) {
	var rows *sql.Rows
	var err error
	if cursor == "" {
		rows, err = d.query(ctx, k.firstSQL, customerID, limit+1)
	} else {
		after, cerr := shop.ParseCursor(cursor)
		if cerr != nil {
			return nil, "", cerr
		}
		rows, err = d.query(ctx, k.afterSQL, customerID, after.At.Unix(), after.ID, limit+1)
	}
	items, err := scanInto(rows, err, k.scan, make([]T, 0, limit+1))
	if err != nil || len(items) <= limit {
		return items, "", err
	}
	items = items[:limit]
	at, id := k.key(items[limit-1])
	return items, shop.Cursor{At: at, ID: id}.String(), nil
}

// scanAll reads every row with scan. It takes the query's results and
// error together, so callers need no check between query and scan.
func scanAll[T any](rows *sql.Rows, err error, scan func(*sql.Rows) (T, error)) ([]T, error) {
	return scanInto(rows, err, scan, nil)
}

// scanInto is scanAll appending to out: a page knows how many rows it asks
// for, and a slice made for them is not regrown (and copied) five times
// on the way to 21 orders.
func scanInto[T any](rows *sql.Rows, err error, scan func(*sql.Rows) (T, error), out []T) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		item, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, item)
	}
	return out, rows.Err()
}
