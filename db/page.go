package db

import (
	"context"
	"database/sql"
	"time"
)

// keyset is one of a customer's tables read newest first in keyset pages
// (orders, payments; shipments and items the same way): its two prepared
// queries, how to scan a row, and the row's (time, id) sort key.
type keyset[T any] struct {
	firstSQL string // args: customer id, limit
	afterSQL string // args: customer id, cursor time, cursor id, limit
	scan     func(*sql.Rows) (T, error)
	key      func(T) (time.Time, int64)
}

// page reads up to limit of customerID's rows after cursor ("" for the
// first page) and the cursor of the page after them ("" on the last). It
// asks for one row more than it returns, to know whether another page
// exists without counting.
func (k keyset[T]) page(ctx context.Context, d *DB, customerID int64, cursor string, limit int) ([]T, string, error) {
	limit = pageSize(limit)
	var rows *sql.Rows
	var err error
	if cursor == "" {
		rows, err = d.query(ctx, k.firstSQL, customerID, limit+1)
	} else {
		at, id, cerr := decodeCursor(cursor)
		if cerr != nil {
			return nil, "", cerr
		}
		rows, err = d.query(ctx, k.afterSQL, customerID, at, id, limit+1)
	}
	items, err := scanAll(rows, err, k.scan)
	if err != nil || len(items) <= limit {
		return items, "", err
	}
	items = items[:limit]
	return items, encodeCursor(k.key(items[limit-1])), nil
}

// scanAll reads every row with scan. It takes the query's results and
// error together, so callers need no check between query and scan.
func scanAll[T any](rows *sql.Rows, err error, scan func(*sql.Rows) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		item, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, item)
	}
	return out, rows.Err()
}
