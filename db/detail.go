package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"dashapp/db/shop"
)

// The order detail's queries, prepared with the panel's (explain_test.go
// checks each is an index search).
const (
	orderSQL      = `SELECT ` + orderColumns + `, ` + orderDetailColumns + ` FROM orders WHERE id = ? AND customer_id = ?`
	orderItemsSQL = `SELECT id, sku, name, quantity, unit_minor, line_minor FROM order_items WHERE order_id = ? ORDER BY id`
	// The order's currency is the items' (the store refuses others).
	orderShipmentsSQL = `SELECT ` + shipmentColumns + ` FROM shipments WHERE order_id = ? ORDER BY id`
	orderPaymentsSQL  = `SELECT ` + paymentColumns + ` FROM payments p LEFT JOIN orders o ON o.id = p.order_id
WHERE p.order_id = ?
ORDER BY p.created_at, p.id`
)

// OrderDetail is one order of a customer with its items, shipments and
// payments (charges and refunds). An order that does not exist, or is
// another customer's, is an error wrapping shop.ErrNotFound: the caller
// passes ids from a page the customer's grant covers, and must not learn of
// other customers' orders.
func (d *DB) OrderDetail(ctx context.Context, customerID, orderID int64) (shop.OrderDetail, error) {
	order, err := scanOrder(d.stmts[orderSQL].QueryRowContext(ctx, orderID, customerID), true)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return shop.OrderDetail{}, fmt.Errorf("order %d of customer %d: %w", orderID, customerID, shop.ErrNotFound)
	case err != nil:
		return shop.OrderDetail{}, fmt.Errorf("order %d of customer %d: %w", orderID, customerID, err)
	}
	detail := shop.OrderDetail{Order: order}
	if detail.Items, err = d.ItemsOf(ctx, order); err != nil {
		return shop.OrderDetail{}, err
	}
	if detail.Shipments, err = d.ShipmentsOf(ctx, orderID); err != nil {
		return shop.OrderDetail{}, err
	}
	rows, err := d.query(ctx, orderPaymentsSQL, orderID)
	if detail.Payments, err = scanAll(rows, err, scanPayment); err != nil {
		return shop.OrderDetail{}, fmt.Errorf("payments of order %d: %w", orderID, err)
	}
	return detail, nil
}

// ItemsOf lists an order's items in the order the source listed them.
func (d *DB) ItemsOf(ctx context.Context, order shop.Order) ([]shop.Item, error) {
	rows, err := d.query(ctx, orderItemsSQL, order.ID)
	if err != nil {
		return nil, fmt.Errorf("items of order %d: %w", order.ID, err)
	}
	defer rows.Close()
	var items []shop.Item
	for rows.Next() {
		it := shop.Item{UnitPrice: shop.Money{Currency: order.Total.Currency}, LineTotal: shop.Money{Currency: order.Total.Currency}}
		if err := rows.Scan(&it.ID, &it.SKU, &it.Name, &it.Quantity, &it.UnitPrice.Minor, &it.LineTotal.Minor); err != nil {
			return nil, fmt.Errorf("items of order %d: %w", order.ID, err)
		}
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("items of order %d: %w", order.ID, err)
	}
	return items, nil
}

// ShipmentsOf lists an order's shipments, oldest first.
func (d *DB) ShipmentsOf(ctx context.Context, orderID int64) ([]shop.Shipment, error) {
	rows, err := d.query(ctx, orderShipmentsSQL, orderID)
	if err != nil {
		return nil, fmt.Errorf("shipments of order %d: %w", orderID, err)
	}
	defer rows.Close()
	var out []shop.Shipment
	for rows.Next() {
		var sc shipmentScan
		if err := rows.Scan(sc.dest()...); err != nil {
			return nil, fmt.Errorf("shipments of order %d: %w", orderID, err)
		}
		out = append(out, sc.shipment(orderID))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("shipments of order %d: %w", orderID, err)
	}
	return out, nil
}

// shipmentScan receives the shipmentColumns of a row.
type shipmentScan struct {
	s                 shop.Shipment
	statusAt, updated int64
}

func (sc *shipmentScan) dest() []any {
	s := &sc.s
	return []any{&s.ID, &s.Ref, &s.Carrier, &s.TrackingNumber, &s.TrackingURL, &s.Status, &sc.statusAt, &s.Source, &sc.updated}
}

func (sc *shipmentScan) shipment(orderID int64) shop.Shipment {
	s := sc.s
	s.OrderID = orderID
	s.StatusAt, s.UpdatedAt = optionalTime(sc.statusAt), optionalTime(sc.updated)
	return s
}
