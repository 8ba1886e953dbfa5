package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"dashapp/db/shop"
)

// Customers and orders are upserted many rows to a statement: a
// 10,000-record /ingest batch spends its time in per-statement costs
// otherwise (BENCHMARKS.md). The RETURNING clause names the rows written;
// a row it leaves out was older than the stored one (the WHERE of DO
// UPDATE is the ordering rule) and changed nothing.

// upsertSpec builds the multi-row upsert of one table.
type upsertSpec struct {
	table    string
	columns  []string
	conflict string // ON CONFLICT … RETURNING …
}

func (u upsertSpec) sql(rows int) string {
	row := "(" + placeholders(len(u.columns)) + ")"
	return "INSERT INTO " + u.table + " (" + strings.Join(u.columns, ", ") + ") VALUES " +
		strings.TrimSuffix(strings.Repeat(row+",", rows), ",") + "\n" + u.conflict
}

// Empty name, email, phone, identifier, contact id and external id (NULL
// for the nullable ones) keep what is stored: a source that does not send
// them does not erase them.
var customerUpsert = upsertSpec{table: "customers",
	columns: []string{"ref", "name", "email", "phone", "identifier", "contact_id", "source", "external_id", "updated_at"},
	conflict: `ON CONFLICT (ref) DO UPDATE SET
	name = iif(excluded.name <> '', excluded.name, customers.name),
	email = coalesce(excluded.email, customers.email),
	phone = coalesce(excluded.phone, customers.phone),
	identifier = coalesce(excluded.identifier, customers.identifier),
	contact_id = coalesce(excluded.contact_id, customers.contact_id),
	source = excluded.source,
	external_id = coalesce(excluded.external_id, customers.external_id),
	updated_at = max(customers.updated_at, excluded.updated_at)
WHERE excluded.updated_at = 0 OR excluded.updated_at >= customers.updated_at
RETURNING id, ref`}

var orderColumnsWritten = []string{"number", "customer_id", "status", "platform_status", "payment_status", "currency", "total_minor",
	"item_count", "placed_at", "ship_name", "ship_phone", "ship_city", "ship_country", "ship_line", "admin_url", "customer_url",
	"source", "external_id", "updated_at"}

// orderUpsertSQL is the upsert of rows orders that all carry their items
// (item_count is then theirs) or all do not, and all carry an address or
// all do not. An empty payment status or URL keeps the stored one.
func orderUpsertSQL(rows int, items, address bool) string {
	keep := func(given bool, column string) string {
		if given {
			return column + " = excluded." + column
		}
		return column + " = orders." + column
	}
	set := []string{"customer_id = excluded.customer_id", "status = excluded.status", "platform_status = excluded.platform_status",
		"payment_status = iif(excluded.payment_status <> '', excluded.payment_status, orders.payment_status)",
		"currency = excluded.currency", "total_minor = excluded.total_minor", keep(items, "item_count"), "placed_at = excluded.placed_at"}
	for _, c := range []string{"ship_name", "ship_phone", "ship_city", "ship_country", "ship_line"} {
		set = append(set, keep(address, c))
	}
	set = append(set, "admin_url = iif(excluded.admin_url <> '', excluded.admin_url, orders.admin_url)",
		"customer_url = iif(excluded.customer_url <> '', excluded.customer_url, orders.customer_url)",
		"source = excluded.source", "external_id = coalesce(excluded.external_id, orders.external_id)",
		"updated_at = max(orders.updated_at, excluded.updated_at)")
	return upsertSpec{table: "orders", columns: orderColumnsWritten, conflict: "ON CONFLICT (number) DO UPDATE SET\n\t" +
		strings.Join(set, ",\n\t") + "\nWHERE excluded.updated_at = 0 OR excluded.updated_at >= orders.updated_at\nRETURNING id, number"}.sql(rows)
}

// lastOrderIDSQL is the largest order id, read before a batch's orders are
// written.
const lastOrderIDSQL = `SELECT coalesce(max(id), 0) FROM orders`

// batchQueries are the full-chunk upserts of a large batch in /ingest's
// shapes (orders carry their items). Compiled in every batch's
// transaction they cost ~5 ms of a 10,000-record batch; they are
// prepared on the write connection by the first large batch instead, not
// at Open, so that a server that never receives one does not keep them
// (~0.8 MB of RSS).
var batchQueries = []string{customerUpsert.sql(batchRows), orderUpsertSQL(batchRows, true, true), orderUpsertSQL(batchRows, true, false),
	multiRow(upsertPaymentSQL, batchRows), multiRow(upsertShipmentSQL, batchRows)}

// prepareBatchQueries prepares batchQueries once; it runs outside any
// transaction, since the write pool's one connection is the transaction's.
func (d *DB) prepareBatchQueries(ctx context.Context) error {
	if d.batchStmts.Load() != nil {
		return nil
	}
	d.batchPrepare.Lock()
	defer d.batchPrepare.Unlock()
	if d.batchStmts.Load() != nil {
		return nil
	}
	stmts := make(map[string]*sql.Stmt, len(batchQueries))
	for _, q := range batchQueries {
		s, err := d.write.PrepareContext(ctx, q)
		if err != nil {
			for _, s := range stmts {
				s.Close()
			}
			return fmt.Errorf("prepare a large batch's upserts: %w", err)
		}
		stmts[q] = s
	}
	d.batchStmts.Store(&stmts)
	return nil
}

// prepared is the transaction's statement for query: the write
// connection's own when Open or prepareBatchQueries prepared it, else
// prepared once for this transaction (a full chunk's statement serves
// every full chunk).
func (in *ingester) prepared(query string) (*sql.Stmt, error) {
	if s, ok := in.stmts[query]; ok {
		return s, nil
	}
	if _, ok := in.d.stmts[query]; ok {
		return in.stmt(query), nil
	}
	if batch := in.d.batchStmts.Load(); batch != nil && (*batch)[query] != nil {
		s := in.tx.StmtContext(in.ctx, (*batch)[query])
		in.stmts[query] = s
		return s, nil
	}
	s, err := in.tx.PrepareContext(in.ctx, query)
	if err != nil {
		return nil, err
	}
	in.stmts[query] = s
	return s, nil
}

// returned runs a multi-row upsert and collects the keys RETURNING names,
// with their ids.
func (in *ingester) returned(query string, args []any, got map[string]int64) error {
	s, err := in.prepared(query)
	if err != nil {
		return err
	}
	rows, err := s.QueryContext(in.ctx, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&id, &key); err != nil {
			return err
		}
		got[key] = id
	}
	return rows.Err()
}

// upsertCustomers writes customers batchRows to a statement and
// remembers every one's id; the refs in the result were written, the
// others were older than their row.
func (in *ingester) upsertCustomers(customers []*shop.CustomerRecord) (map[string]bool, error) {
	width := len(customerUpsert.columns)
	args := make([]any, 0, min(len(customers), batchRows)*width)
	written := map[string]int64{}
	full := ""
	for start := 0; start < len(customers); start += batchRows {
		chunk := customers[start:min(start+batchRows, len(customers))]
		args = args[:0]
		for _, c := range chunk {
			args = append(args, c.Ref, c.Name, nullIfEmpty(c.Email), nullIfEmpty(c.Phone), nullIfEmpty(c.Identifier),
				nullIfZero(c.ContactID), c.Source, nullIfEmpty(c.ExternalID), unixOrZero(c.UpdatedAt))
		}
		query := full
		if len(chunk) != batchRows || full == "" {
			query = customerUpsert.sql(len(chunk))
			if len(chunk) == batchRows {
				full = query
			}
		}
		if err := in.returned(query, args, written); err != nil {
			return nil, err
		}
	}
	applied := make(map[string]bool, len(written))
	for ref, id := range written {
		in.customers[ref] = id
		applied[ref] = true
	}
	for _, c := range customers {
		if _, ok := in.customers[c.Ref]; !ok { // stale: the row stays, its id is still needed
			var id int64
			if err := in.stmt(findCustomerSQL).QueryRowContext(in.ctx, c.Ref).Scan(&id); err != nil {
				return nil, fmt.Errorf("customer %q: %w", c.Ref, err)
			}
			in.customers[c.Ref] = id
		}
	}
	return applied, nil
}

// upsertOrders writes the batch's orders, then their items and shipments;
// offset is the first order's place in the batch, for errors. Runs of
// orders alike in carrying items and an address share a statement, so
// that the batch's order is kept.
func (in *ingester) upsertOrders(offset int) error {
	orders := in.b.Orders
	customerIDs := make([]int64, len(orders))
	for i := range orders {
		id, err := in.customerID("customer_ref", orders[i].CustomerRef)
		var fe *fieldError
		if errors.As(err, &fe) {
			return recordError(in.b, shop.RecordOrder, offset+i, fe)
		} else if err != nil {
			return err
		}
		customerIDs[i] = id
	}
	// Rowids are assigned above the largest, so an id above this one was
	// inserted by the batch (an id at or below it may be too: the check
	// only ever errs towards deleting items that are not there).
	var lastID int64
	if err := in.tx.QueryRowContext(in.ctx, lastOrderIDSQL).Scan(&lastID); err != nil {
		return fmt.Errorf("orders: %w", err)
	}
	width := len(orderColumnsWritten)
	args := make([]any, 0, min(len(orders), batchRows)*width)
	written := map[string]int64{}
	for start := 0; start < len(orders); {
		items, address := orders[start].Items != nil, orders[start].ShippingAddress != nil
		end := start + 1
		for end < len(orders) && end-start < batchRows && (orders[end].Items != nil) == items && (orders[end].ShippingAddress != nil) == address {
			end++
		}
		args = args[:0]
		for i := start; i < end; i++ {
			o := &orders[i]
			var addr shop.Address
			if o.ShippingAddress != nil {
				addr = *o.ShippingAddress
			}
			itemCount := 0
			for _, it := range o.Items {
				itemCount += it.Quantity
			}
			args = append(args, o.Number, customerIDs[i], o.Status, o.PlatformStatus, o.PaymentStatus, o.Total.Currency, o.Total.Minor,
				itemCount, o.PlacedAt.Unix(), addr.Name, addr.Phone, addr.City, addr.Country, addr.Line,
				o.AdminURL, o.CustomerURL, o.Source, nullIfEmpty(o.ExternalID), unixOrZero(o.UpdatedAt))
		}
		clear(written)
		if err := in.returned(orderUpsertSQL(end-start, items, address), args, written); err != nil {
			return fmt.Errorf("orders %d-%d: %w", start, end-1, err)
		}
		for i := start; i < end; i++ {
			o := &orders[i]
			id, applied := written[o.Number]
			in.count(applied)
			if !applied {
				continue
			}
			info := orderInfo{id: id, customerID: customerIDs[i], currency: o.Total.Currency, number: o.Number}
			in.orders[o.Number] = info
			if o.ExternalID != "" {
				in.byExternal[externalKey{o.Source, o.ExternalID}] = info
			}
			if o.Items != nil {
				in.items.replace(id, o.Items, id > lastID)
			}
		}
		start = end
	}
	// Their shipments: a stale order's still apply, on their own dates.
	for i := range orders {
		for j := range orders[i].Shipments {
			if _, err := in.shipment(&orders[i].Shipments[j]); err != nil {
				var fe *fieldError
				if errors.As(err, &fe) {
					return recordError(in.b, shop.RecordOrder, offset+i, within(fmt.Sprintf("shipments[%d]", j), fe))
				}
				return fmt.Errorf("order %q: %w", orders[i].Number, err)
			}
		}
	}
	return nil
}
