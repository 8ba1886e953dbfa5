package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"dashapp/db/shop"
)

// DedupeWindow is how long a delivery id is remembered: longer than any
// platform keeps retrying a delivery (Shopify, the longest, for 48 hours).
const DedupeWindow = 7 * 24 * time.Hour

// The write side's statements, prepared once on the write connection
// (prepare) and bound to each transaction with Tx.StmtContext, which reuses
// them on that same connection.
const (
	insertDeliverySQL  = `INSERT INTO deliveries (source, delivery_id, received_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`
	pruneDeliveriesSQL = `DELETE FROM deliveries WHERE source = ? AND received_at < ?`

	findCustomerSQL        = `SELECT id FROM customers WHERE ref = ?`
	findOrderByNumberSQL   = `SELECT id, customer_id, currency FROM orders WHERE number = ?`
	findOrderByExternalSQL = `SELECT id, customer_id, currency, number FROM orders WHERE source = ? AND external_id = ?`

	// An empty carrier, tracking number or URL keeps the stored one: a
	// status update need not repeat them.
	upsertShipmentSQL = `INSERT INTO shipments (ref, order_id, carrier, tracking_number, tracking_url, status, status_at, source, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (ref) DO UPDATE SET
	order_id = excluded.order_id,
	carrier = iif(excluded.carrier <> '', excluded.carrier, shipments.carrier),
	tracking_number = iif(excluded.tracking_number <> '', excluded.tracking_number, shipments.tracking_number),
	tracking_url = iif(excluded.tracking_url <> '', excluded.tracking_url, shipments.tracking_url),
	status = excluded.status,
	status_at = coalesce(excluded.status_at, shipments.status_at),
	source = excluded.source,
	updated_at = max(shipments.updated_at, excluded.updated_at)
WHERE excluded.updated_at = 0 OR excluded.updated_at >= shipments.updated_at`
	upsertPaymentSQL = `INSERT INTO payments (ref, customer_id, order_id, kind, method, card_brand, card_last4, status, currency,
	amount_minor, created_at, source, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (ref) DO UPDATE SET
	customer_id = excluded.customer_id,
	order_id = coalesce(excluded.order_id, payments.order_id),
	kind = excluded.kind,
	method = iif(excluded.method <> '', excluded.method, payments.method),
	card_brand = iif(excluded.card_brand <> '', excluded.card_brand, payments.card_brand),
	card_last4 = iif(excluded.card_last4 <> '', excluded.card_last4, payments.card_last4),
	status = excluded.status,
	currency = excluded.currency,
	amount_minor = excluded.amount_minor,
	created_at = excluded.created_at,
	source = excluded.source,
	updated_at = max(payments.updated_at, excluded.updated_at)
WHERE excluded.updated_at = 0 OR excluded.updated_at >= payments.updated_at`
)

// refreshTrackingSQL copies the newest shipment of each of n orders onto
// the order, for the order list: one statement for a batch's orders,
// rather than one an order.
func refreshTrackingSQL(n int) string {
	return `UPDATE orders SET (shipment_status, carrier, tracking_number, tracking_url) =
	(SELECT status, carrier, tracking_number, tracking_url FROM shipments WHERE order_id = orders.id ORDER BY id DESC LIMIT 1)
WHERE id IN (` + placeholders(n) + `)`
}

// writeQueries are prepared on the write connection.
var writeQueries = []string{
	insertDeliverySQL, pruneDeliveriesSQL, customerUpsert.sql(1), findCustomerSQL,
	orderUpsertSQL(1, false, false), orderUpsertSQL(1, false, true), orderUpsertSQL(1, true, false), orderUpsertSQL(1, true, true),
	findOrderByNumberSQL, findOrderByExternalSQL, upsertShipmentSQL, refreshTrackingSQL(1), upsertPaymentSQL,
	insertDeliveryLogSQL, pruneDeliveryLogSQL, countDeliverySQL, savepointSQL, releaseSQL, rollbackSQL,
}

// Ingest applies one delivery's records in one transaction: all of them or,
// on any error, none.
//
//   - A delivery whose id was seen before (within DedupeWindow) writes
//     nothing and reports Duplicate.
//   - Records are upserted by their refs (orders by number). One whose
//     UpdatedAt is older than the stored row's changes nothing and counts
//     as Stale; a zero UpdatedAt always applies.
//   - An order's Items, when not nil, replace its stored items and give
//     its item count; its Customer is upserted first; its Shipments with it.
//   - Payments and shipments name their order by number or by the
//     platform's id (OrderExternalID with the record's source).
//   - A bad record, or one naming a customer or order that does not exist,
//     is a *shop.RecordError and nothing is written.
//
// Applied and Stale count the batch's records, not the nested ones.
func (d *DB) Ingest(ctx context.Context, dlv shop.Delivery, b shop.Batch) (shop.IngestResult, error) {
	dlv.Source, dlv.ID = strings.TrimSpace(dlv.Source), strings.TrimSpace(dlv.ID)
	if dlv.ID != "" && dlv.Source == "" {
		return shop.IngestResult{}, errors.New("ingest: a delivery with an id needs its source")
	}
	if err := checkBatch(dlv, &b); err != nil {
		return shop.IngestResult{}, err
	}
	var res shop.IngestResult
	write := func() error {
		return d.inGroupTx(ctx, func(tx *sql.Tx) error {
			if ingestTxHook != nil {
				ingestTxHook(tx)
			}
			in := d.newIngester(ctx, tx, &b)
			defer in.close()
			if dlv.ID != "" {
				now := time.Now()
				r, err := in.stmt(insertDeliverySQL).ExecContext(ctx, dlv.Source, dlv.ID, now.Unix())
				if err != nil {
					return fmt.Errorf("record delivery: %w", err)
				}
				if n, err := r.RowsAffected(); err != nil || n == 0 {
					res.Duplicate = true
					return err
				}
				if _, err := in.stmt(pruneDeliveriesSQL).ExecContext(ctx, dlv.Source, now.Add(-DedupeWindow).Unix()); err != nil {
					return fmt.Errorf("forget old deliveries: %w", err)
				}
			}
			if err := in.apply(); err != nil {
				return err
			}
			res.Applied, res.Stale = in.applied, in.stale
			return nil
		})
	}
	var err error
	if b.Len() >= largeBatch {
		err = d.withBatchWriter(ctx, write)
	} else {
		err = write()
	}
	if err != nil {
		var re *shop.RecordError
		if errors.As(err, &re) {
			return shop.IngestResult{}, err
		}
		return shop.IngestResult{}, fmt.Errorf("ingest %d records from %s: %w", b.Len(), dlv.Source, err)
	}
	return res, nil
}

// recordError places a record's bad field in the batch: index is the
// record's position counting customers, orders, payments, then shipments.
func recordError(b *shop.Batch, kind string, index int, err *fieldError) *shop.RecordError {
	if len(b.Sent) == b.Len() {
		index = b.Sent[index]
	}
	return &shop.RecordError{Index: index, Kind: kind, Field: err.field, Err: err.err}
}

// batchOffsets are the positions of each kind's first record.
func batchOffsets(b *shop.Batch) (orders, payments, shipments int) {
	orders = len(b.Customers)
	payments = orders + len(b.Orders)
	return orders, payments, payments + len(b.Payments)
}

// checkBatch checks and normalises every record before the transaction.
func checkBatch(dlv shop.Delivery, b *shop.Batch) error {
	if b.Sent != nil && len(b.Sent) != b.Len() {
		return fmt.Errorf("ingest: the batch has %d records and %d positions", b.Len(), len(b.Sent))
	}
	orders, payments, shipments := batchOffsets(b)
	for i := range b.Customers {
		if err := checkCustomer(&b.Customers[i], dlv.Source); err != nil {
			return recordError(b, shop.RecordCustomer, i, err)
		}
	}
	for i := range b.Orders {
		if err := checkOrder(&b.Orders[i], dlv.Source); err != nil {
			return recordError(b, shop.RecordOrder, orders+i, err)
		}
	}
	for i := range b.Payments {
		if err := checkPayment(&b.Payments[i], dlv.Source); err != nil {
			return recordError(b, shop.RecordPayment, payments+i, err)
		}
	}
	for i := range b.Shipments {
		if err := checkShipment(&b.Shipments[i], dlv.Source, ""); err != nil {
			return recordError(b, shop.RecordShipment, shipments+i, err)
		}
	}
	return nil
}

// orderInfo is what payments, shipments and items need of an order.
type orderInfo struct {
	id, customerID int64
	currency       string
	number         string
}

type externalKey struct{ source, id string }

// ingester applies one checked batch inside a transaction.
type ingester struct {
	ctx        context.Context
	tx         *sql.Tx
	d          *DB
	b          *shop.Batch
	stmts      map[string]*sql.Stmt // the transaction's
	customers  map[string]int64     // by ref
	orders     map[string]orderInfo // by number
	byExternal map[externalKey]orderInfo
	items      *itemReplacer
	// Orders whose shipments changed, whose tracking columns apply()
	// refreshes once at the end: a batch often carries several shipments
	// of one order.
	retrack map[int64]bool
	applied int
	stale   int
}

func (d *DB) newIngester(ctx context.Context, tx *sql.Tx, b *shop.Batch) *ingester {
	return &ingester{ctx: ctx, tx: tx, d: d, b: b, stmts: map[string]*sql.Stmt{},
		customers: map[string]int64{}, orders: map[string]orderInfo{}, byExternal: map[externalKey]orderInfo{},
		items: newItemReplacer(tx), retrack: map[int64]bool{}}
}

// stmt is the transaction's copy of a prepared write statement.
func (in *ingester) stmt(query string) *sql.Stmt {
	s, ok := in.stmts[query]
	if !ok {
		s = in.tx.StmtContext(in.ctx, in.d.stmts[query])
		in.stmts[query] = s
	}
	return s
}

func (in *ingester) close() {
	for _, s := range in.stmts {
		s.Close()
	}
	in.items.close()
}

func (in *ingester) count(applied bool) {
	if applied {
		in.applied++
	} else {
		in.stale++
	}
}

func (in *ingester) apply() error {
	b := in.b
	orders, payments, shipments := batchOffsets(b)
	// Customers first, the batch's and then the orders' own, so that
	// every order finds its customer's id.
	customers := make([]*shop.CustomerRecord, 0, len(b.Customers)+len(b.Orders))
	for i := range b.Customers {
		customers = append(customers, &b.Customers[i])
	}
	for i := range b.Orders {
		if c := b.Orders[i].Customer; c != nil {
			customers = append(customers, c)
		}
	}
	applied, err := in.upsertCustomers(customers)
	if err != nil {
		return fmt.Errorf("customers: %w", err)
	}
	for i := range b.Customers {
		in.count(applied[b.Customers[i].Ref])
	}
	if err := in.upsertOrders(orders); err != nil {
		return err
	}
	if err := in.items.flush(in.ctx); err != nil {
		return err
	}
	if err := in.upsertPayments(payments); err != nil {
		return err
	}
	if err := in.upsertShipments(shipments); err != nil {
		return err
	}
	return in.refreshTracking()
}

// refreshTracking copies the newest shipment onto each order whose
// shipments changed; whoever calls shipment calls it before committing.
func (in *ingester) refreshTracking() error {
	ids := slices.Sorted(maps.Keys(in.retrack))
	clear(in.retrack)
	for chunk := range slices.Chunk(ids, batchRows) {
		s, err := in.prepared(refreshTrackingSQL(len(chunk)))
		if err == nil {
			_, err = s.ExecContext(in.ctx, int64Args(chunk)...)
		}
		if err != nil {
			return fmt.Errorf("tracking of %d orders: %w", len(chunk), err)
		}
	}
	return nil
}

// customerID resolves a ref from this batch or the database.
func (in *ingester) customerID(field, ref string) (int64, error) {
	if id, ok := in.customers[ref]; ok {
		return id, nil
	}
	var id int64
	switch err := in.stmt(findCustomerSQL).QueryRowContext(in.ctx, ref).Scan(&id); {
	case errors.Is(err, sql.ErrNoRows):
		return 0, &fieldError{field: field, err: fmt.Errorf("customer %q: %w", ref, shop.ErrNotFound)}
	case err != nil:
		return 0, err
	}
	in.customers[ref] = id
	return id, nil
}

func (in *ingester) orderByNumber(field, number string) (orderInfo, error) {
	if info, ok := in.orders[number]; ok {
		return info, nil
	}
	info := orderInfo{number: number}
	switch err := in.stmt(findOrderByNumberSQL).QueryRowContext(in.ctx, number).Scan(&info.id, &info.customerID, &info.currency); {
	case errors.Is(err, sql.ErrNoRows):
		return orderInfo{}, &fieldError{field: field, err: fmt.Errorf("order %q: %w", number, shop.ErrNotFound)}
	case err != nil:
		return orderInfo{}, err
	}
	in.orders[number] = info
	return info, nil
}

// orderOf resolves the order a payment or shipment names: by number, else
// by the platform's id.
func (in *ingester) orderOf(source, number, externalID string) (orderInfo, error) {
	if number != "" {
		return in.orderByNumber("order_number", number)
	}
	key := externalKey{source, externalID}
	if info, ok := in.byExternal[key]; ok {
		return info, nil
	}
	var info orderInfo
	err := in.stmt(findOrderByExternalSQL).QueryRowContext(in.ctx, source, externalID).Scan(&info.id, &info.customerID, &info.currency, &info.number)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return orderInfo{}, &fieldError{field: "order_external_id", err: fmt.Errorf("order %s %q: %w", source, externalID, shop.ErrNotFound)}
	case err != nil:
		return orderInfo{}, err
	}
	in.byExternal[key] = info
	return info, nil
}

func (in *ingester) shipment(s *shop.ShipmentRecord) (bool, error) {
	args, order, err := in.shipmentArgs(s)
	if err != nil {
		return false, err
	}
	r, err := in.stmt(upsertShipmentSQL).ExecContext(in.ctx, args...)
	if err != nil {
		return false, err
	}
	if n, err := r.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	in.retrack[order.id] = true
	return true, nil
}

// shipmentArgs resolves a shipment's order into the values of
// upsertShipmentSQL's row.
func (in *ingester) shipmentArgs(s *shop.ShipmentRecord) ([]any, orderInfo, error) {
	order, err := in.orderOf(s.Source, s.OrderNumber, s.OrderExternalID)
	if err != nil {
		return nil, orderInfo{}, err
	}
	var statusAt any
	if !s.StatusAt.IsZero() {
		statusAt = s.StatusAt.Unix()
	}
	return []any{s.Ref, order.id, s.Carrier, s.TrackingNumber, s.TrackingURL,
		s.Status, statusAt, s.Source, unixOrZero(s.UpdatedAt)}, order, nil
}

func (in *ingester) payment(p *shop.PaymentRecord) (bool, error) {
	args, err := in.paymentArgs(p)
	if err != nil {
		return false, err
	}
	r, err := in.stmt(upsertPaymentSQL).ExecContext(in.ctx, args...)
	if err != nil {
		return false, err
	}
	n, err := r.RowsAffected()
	return n > 0, err
}

// paymentArgs resolves a payment's order and customer into the values of
// upsertPaymentSQL's row.
func (in *ingester) paymentArgs(p *shop.PaymentRecord) ([]any, error) {
	var customerID, orderID int64
	if p.OrderNumber != "" || p.OrderExternalID != "" {
		order, err := in.orderOf(p.Source, p.OrderNumber, p.OrderExternalID)
		if err != nil {
			return nil, err
		}
		orderID, customerID = order.id, order.customerID
	}
	if p.CustomerRef != "" {
		id, err := in.customerID("customer_ref", p.CustomerRef)
		if err != nil {
			return nil, err
		}
		if orderID != 0 && id != customerID {
			return nil, badField("customer_ref", "customer %q is not the customer of the payment's order", p.CustomerRef)
		}
		customerID = id
	}
	return []any{p.Ref, customerID, nullIfZero(orderID), p.Kind, p.Method, p.CardBrand,
		p.CardLast4, p.Status, p.Amount.Currency, p.Amount.Minor, p.CreatedAt.Unix(), p.Source, unixOrZero(p.UpdatedAt)}, nil
}

// itemReplacer replaces the items of orders: the stored items of every
// order named go, and each order's last list in the batch is written,
// both in multi-row statements. Orders whose items came on their own (the
// import's items file) get their item count from them.
type itemReplacer struct {
	tx      *sql.Tx
	orders  []int64 // in the order first named
	items   map[int64][]shop.ItemRecord
	created map[int64]bool // orders the batch inserted: no items to delete
	recount []int64        // orders whose item_count the upsert did not set
	insert  *batchInsert
}

func newItemReplacer(tx *sql.Tx) *itemReplacer {
	return &itemReplacer{tx: tx, items: map[int64][]shop.ItemRecord{}, created: map[int64]bool{},
		insert: newBatchInsert(tx, "order_items", []string{"order_id", "sku", "name", "quantity", "unit_minor", "line_minor"})}
}

// replace names an order's new items. created says the order did not
// exist before this transaction, so it has no stored items (foreign keys
// leave no orphans): a batch of new orders then deletes nothing, which
// was an index search per order.
func (r *itemReplacer) replace(orderID int64, items []shop.ItemRecord, created bool) {
	if _, ok := r.items[orderID]; !ok {
		r.orders = append(r.orders, orderID)
		if created {
			r.created[orderID] = true
		}
	}
	r.items[orderID] = items
}

// add appends one item to an order's new list, and recounts the order.
func (r *itemReplacer) add(orderID int64, it shop.ItemRecord) {
	items, ok := r.items[orderID]
	if !ok {
		r.orders = append(r.orders, orderID)
		r.recount = append(r.recount, orderID)
	}
	r.items[orderID] = append(items, it)
}

func (r *itemReplacer) flush(ctx context.Context) error {
	stored := make([]int64, 0, len(r.orders))
	for _, id := range r.orders {
		if !r.created[id] {
			stored = append(stored, id)
		}
	}
	clear(r.created)
	for chunk := range slices.Chunk(stored, batchRows) {
		if _, err := r.tx.ExecContext(ctx, deleteItemsSQL(len(chunk)), int64Args(chunk)...); err != nil {
			return fmt.Errorf("delete the items of %d orders: %w", len(chunk), err)
		}
	}
	for _, id := range r.orders {
		for _, it := range r.items[id] {
			if err := r.insert.add(ctx, id, it.SKU, it.Name, it.Quantity, it.UnitPrice.Minor, it.LineTotal.Minor); err != nil {
				return err
			}
		}
	}
	r.orders, r.items = r.orders[:0], map[int64][]shop.ItemRecord{}
	if err := r.insert.flush(ctx); err != nil {
		return err
	}
	for chunk := range slices.Chunk(r.recount, batchRows) {
		if _, err := r.tx.ExecContext(ctx, recountItemsSQL(len(chunk)), int64Args(chunk)...); err != nil {
			return fmt.Errorf("count the items of %d orders: %w", len(chunk), err)
		}
	}
	r.recount = r.recount[:0]
	return nil
}

func int64Args(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

// recountItemsSQL sets the item count of n orders from their items.
func recountItemsSQL(n int) string {
	return `UPDATE orders SET item_count = (SELECT coalesce(sum(quantity), 0) FROM order_items WHERE order_id = orders.id)
WHERE id IN (` + placeholders(n) + `)`
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

func (r *itemReplacer) close() { r.insert.close() }

// deleteItemsSQL deletes the items of n orders.
func deleteItemsSQL(n int) string {
	return `DELETE FROM order_items WHERE order_id IN (` + placeholders(n) + `)`
}
