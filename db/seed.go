package db

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"dashapp/db/shop"
)

// seedBase is "now" for generated data: fixed, so that every run of a seed
// produces the same rows.
var seedBase = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

// Counts are the rows a seed wrote.
type Counts struct {
	Customers  int
	Orders     int
	OrderItems int
	Payments   int
	Shipments  int
}

// seedWriter writes generated rows with ids it assigns itself, so that
// children can be buffered before their parents reach the database.
type seedWriter struct {
	customers, orders, items, payments, shipments *batchInsert
	nextCustomer, nextOrder, nextItem, nextPay    int64
}

func newSeedWriter(ctx context.Context, tx *sql.Tx) (*seedWriter, error) {
	w := &seedWriter{}
	w.customers = newBatchInsert(tx, "customers", []string{"id", "ref", "name", "email", "phone", "identifier", "contact_id", "created_at", "source"})
	w.orders = newBatchInsert(tx, "orders", []string{"id", "number", "customer_id", "status", "currency", "total_minor", "item_count", "placed_at",
		"platform_status", "payment_status", "ship_name", "ship_phone", "ship_city", "ship_country", "ship_line",
		"shipment_status", "carrier", "tracking_number", "tracking_url",
		"admin_url", "customer_url", "source", "external_id", "updated_at"}, w.customers)
	w.items = newBatchInsert(tx, "order_items", []string{"id", "order_id", "sku", "name", "quantity", "unit_minor", "line_minor"}, w.orders)
	w.payments = newBatchInsert(tx, "payments", []string{"id", "ref", "customer_id", "order_id", "kind", "method", "card_brand", "card_last4", "status", "currency", "amount_minor", "created_at", "source"}, w.orders)
	w.shipments = newBatchInsert(tx, "shipments", []string{"ref", "order_id", "carrier", "tracking_number", "tracking_url", "status", "status_at", "source", "updated_at"}, w.orders)
	err := tx.QueryRowContext(ctx, `SELECT
		(SELECT coalesce(max(id), 0) + 1 FROM customers),
		(SELECT coalesce(max(id), 0) + 1 FROM orders),
		(SELECT coalesce(max(id), 0) + 1 FROM order_items),
		(SELECT coalesce(max(id), 0) + 1 FROM payments)`).Scan(&w.nextCustomer, &w.nextOrder, &w.nextItem, &w.nextPay)
	if err != nil {
		return nil, fmt.Errorf("read next ids: %w", err)
	}
	return w, nil
}

func (w *seedWriter) addCustomer(ctx context.Context, c shop.Customer) error {
	return w.customers.add(ctx, c.ID, c.Ref, c.Name, nullIfEmpty(c.Email), nullIfEmpty(c.Phone),
		nullIfEmpty(c.Identifier), nullIfZero(c.ContactID), c.CreatedAt.Unix(), shop.SourceDemo)
}

func (w *seedWriter) addOrder(ctx context.Context, o shop.Order) error {
	a, t := o.ShippingAddress, o.Tracking
	return w.orders.add(ctx, o.ID, o.Number, o.CustomerID, o.Status, o.Total.Currency, o.Total.Minor, o.ItemCount, o.PlacedAt.Unix(),
		o.PlatformStatus, o.PaymentStatus, a.Name, a.Phone, a.City, a.Country, a.Line, t.Status, t.Carrier, t.Number, t.URL,
		o.AdminURL, o.CustomerURL, o.Source, nullIfEmpty(o.ExternalID), unixOrZero(o.UpdatedAt))
}

func (w *seedWriter) addItem(ctx context.Context, orderID int64, p product, quantity int, unitMinor int64) error {
	id := w.nextItem
	w.nextItem++
	return w.items.add(ctx, id, orderID, p.sku, p.name, quantity, unitMinor, unitMinor*int64(quantity))
}

func (w *seedWriter) addPayment(ctx context.Context, p shop.Payment, orderID int64, source string) error {
	return w.payments.add(ctx, p.ID, p.Ref, p.CustomerID, nullIfZero(orderID), p.Kind, p.Method, p.CardBrand, p.CardLast4,
		p.Status, p.Amount.Currency, p.Amount.Minor, p.CreatedAt.Unix(), source)
}

func (w *seedWriter) addShipment(ctx context.Context, s shop.Shipment) error {
	return w.shipments.add(ctx, s.Ref, s.OrderID, s.Carrier, s.TrackingNumber, s.TrackingURL, s.Status, s.StatusAt.Unix(), s.Source, unixOrZero(s.UpdatedAt))
}

func (w *seedWriter) flush(ctx context.Context) error {
	for _, b := range []*batchInsert{w.items, w.payments, w.shipments} { // they flush their ancestors first
		if err := b.flush(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (w *seedWriter) close() {
	for _, b := range []*batchInsert{w.customers, w.orders, w.items, w.payments, w.shipments} {
		b.close()
	}
}

func (w *seedWriter) counts() Counts {
	return Counts{Customers: w.customers.written, Orders: w.orders.written, OrderItems: w.items.written, Payments: w.payments.written,
		Shipments: w.shipments.written}
}

// product is a catalogue entry priced in halalas; other currencies convert.
type product struct {
	sku, name     string
	priceSARMinor int64
}

var catalogue = []product{
	{"TEA-001", "Saffron tea, 250 g", 4500},
	{"DATE-012", "Ajwa dates, 1 kg", 12000},
	{"OUD-100", "Oud perfume oil, 12 ml", 39900},
	{"MUG-007", "Ceramic mug", 3500},
	{"ABY-220", "Linen abaya", 54900},
	{"THB-310", "Cotton thobe", 27500},
	{"COF-045", "Arabic coffee, cardamom, 500 g", 6900},
	{"DLL-002", "Dallah coffee pot", 18900},
	{"SCF-090", "Silk scarf", 15900},
	{"INC-013", "Bakhoor incense box", 8900},
	{"BAG-501", "Leather weekend bag", 89900},
	{"PHN-777", "Phone case \"Desert <Rose>\" & strap", 7900},
}

// sarRates is the value of one SAR in each seeded currency, times 10000.
var sarRates = map[string]int64{"SAR": 10000, "AED": 9790, "USD": 2667, "KWD": 820, "BHD": 1003}

// unitPrice converts a catalogue price into currency's minor units.
func unitPrice(p product, currency string) int64 {
	decimals, _ := shop.Decimals(currency) // seeded currencies are all known
	scale := int64(1)
	for range decimals {
		scale *= 10
	}
	// halalas → SAR (/100) → currency (*rate/10000) → minor units (*scale)
	return (p.priceSARMinor*sarRates[currency]*scale + 500_000) / 1_000_000
}

// paymentMethod is one way a customer pays: a card, a wallet or a transfer.
type paymentMethod struct {
	method, brand, last4 string
}

var cardBrands = []string{"visa", "mastercard", "mada", "amex"}

// randomWallet is one or two ways to pay, drawn deterministically.
func randomWallet(rng *rand.Rand) []paymentMethod {
	n := 1 + rng.IntN(2)
	wallet := make([]paymentMethod, 0, n)
	for range n {
		switch k := rng.IntN(10); {
		case k < 6:
			wallet = append(wallet, paymentMethod{"card", cardBrands[rng.IntN(len(cardBrands))], fmt.Sprintf("%04d", rng.IntN(10000))})
		case k < 8:
			wallet = append(wallet, paymentMethod{"apple_pay", cardBrands[rng.IntN(2)], fmt.Sprintf("%04d", rng.IntN(10000))})
		case k < 9:
			wallet = append(wallet, paymentMethod{"stc_pay", "", ""})
		default:
			wallet = append(wallet, paymentMethod{"bank_transfer", "", ""})
		}
	}
	return wallet
}

// historyGen generates orders with their items and payments.
type historyGen struct {
	rng           *rand.Rand
	w             *seedWriter
	orderPrefix   string // order number is prefix + zero-padded id
	paymentPrefix string
}

// orderSpec is what a caller decides about an order; the rest is drawn.
type orderSpec struct {
	liveProfile
	status      string
	currency    string
	placedAt    time.Time
	wallet      []paymentMethod
	failedFirst bool // a declined charge precedes the one that succeeds
}

// addOrder writes an order, its items, its shipment and the payments its
// status implies: pending orders have a pending charge; paid, on hold,
// shipped and delivered ones a succeeded charge; refunded and returned ones
// a charge and a full refund, partially refunded ones a charge and a refund
// of half; cancelled ones at most a failed charge. Shipped, delivered,
// partially refunded and returned orders have a parcel.
func (g *historyGen) addOrder(ctx context.Context, s orderSpec) error {
	w := g.w
	orderID := w.nextOrder
	w.nextOrder++

	type line struct {
		p        product
		quantity int
		unit     int64
	}
	var lines [3]line
	n := 1 + g.rng.IntN(len(lines))
	var total int64
	var itemCount int
	for i := range n {
		l := line{p: catalogue[g.rng.IntN(len(catalogue))], quantity: 1}
		if g.rng.IntN(4) == 0 {
			l.quantity = 2 + g.rng.IntN(2)
		}
		l.unit = unitPrice(l.p, s.currency)
		lines[i] = l
		total += l.unit * int64(l.quantity)
		itemCount += l.quantity
	}
	order := shop.Order{
		ID: orderID, Number: fmt.Sprintf("%s%06d", g.orderPrefix, orderID), CustomerID: s.customerID,
		Status: s.status, Total: shop.Money{Minor: total, Currency: s.currency}, ItemCount: itemCount, PlacedAt: s.placedAt,
	}
	liveFields(&order, s.liveProfile)
	shipment, shipped := g.shipmentFor(order)
	order.UpdatedAt = order.PlacedAt.Add(2 * time.Minute)
	if shipped {
		order.UpdatedAt = shipment.StatusAt
		order.Tracking = shop.Tracking{Status: shipment.Status, Carrier: shipment.Carrier, Number: shipment.TrackingNumber, URL: shipment.TrackingURL}
	}
	// The order goes first: a full batch of items flushes the orders before it.
	if err := w.addOrder(ctx, order); err != nil {
		return err
	}
	for _, l := range lines[:n] {
		if err := w.addItem(ctx, orderID, l.p, l.quantity, l.unit); err != nil {
			return err
		}
	}
	if shipped {
		shipment.OrderID = orderID
		if err := w.addShipment(ctx, shipment); err != nil {
			return err
		}
	}

	pay := func(kind, status string, m paymentMethod, at time.Time) error {
		amount := order.Total
		if kind == shop.KindRefund && s.status == shop.OrderPartiallyRefunded {
			amount.Minor /= 2
		}
		id := w.nextPay
		w.nextPay++
		return w.addPayment(ctx, shop.Payment{
			ID: id, Ref: fmt.Sprintf("%s%06d", g.paymentPrefix, id), CustomerID: s.customerID, Kind: kind,
			Method: m.method, CardBrand: m.brand, CardLast4: m.last4, Status: status, Amount: amount, CreatedAt: at,
		}, orderID, s.source)
	}
	method := s.wallet[g.rng.IntN(len(s.wallet))]
	charged := s.placedAt.Add(2 * time.Minute)
	switch s.status {
	case shop.OrderPending:
		return pay(shop.KindCharge, shop.PaymentPending, method, charged)
	case shop.OrderCancelled:
		if s.failedFirst || g.rng.IntN(2) == 0 {
			return pay(shop.KindCharge, shop.PaymentFailed, method, s.placedAt.Add(time.Minute))
		}
		return nil
	}
	if s.failedFirst {
		if err := pay(shop.KindCharge, shop.PaymentFailed, s.wallet[g.rng.IntN(len(s.wallet))], s.placedAt.Add(time.Minute)); err != nil {
			return err
		}
	}
	if err := pay(shop.KindCharge, shop.PaymentSucceeded, method, charged); err != nil {
		return err
	}
	if s.status == shop.OrderRefunded || s.status == shop.OrderReturned || s.status == shop.OrderPartiallyRefunded {
		refunded := s.placedAt.Add(time.Duration(1+g.rng.IntN(10)) * 24 * time.Hour)
		if refunded.After(seedBase) { // orders are placed at least an hour before seedBase
			refunded = seedBase.Add(-time.Minute)
		}
		return pay(shop.KindRefund, shop.PaymentSucceeded, method, refunded)
	}
	return nil
}

// randomStatus draws an order status with a realistic mix. Orders placed in
// the last few days are more likely still on their way.
func randomStatus(rng *rand.Rand, placedAt time.Time) string {
	if seedBase.Sub(placedAt) < 4*24*time.Hour {
		return []string{shop.OrderPending, shop.OrderPaid, shop.OrderShipped}[rng.IntN(3)]
	}
	switch k := rng.IntN(100); {
	case k < 60:
		return shop.OrderDelivered
	case k < 70:
		return shop.OrderShipped
	case k < 75:
		return shop.OrderPaid
	case k < 76:
		return shop.OrderOnHold
	case k < 80:
		return shop.OrderPending
	case k < 88:
		return shop.OrderCancelled
	case k < 96:
		return shop.OrderRefunded
	case k < 98:
		return shop.OrderPartiallyRefunded
	default:
		return shop.OrderReturned
	}
}

// randomHistory writes n orders in the given currencies, placed between
// since and seedBase, oldest first (so ids grow with time).
func (g *historyGen) randomHistory(ctx context.Context, p liveProfile, n int, currencies []string, wallet []paymentMethod, since time.Time) error {
	span := int64(seedBase.Sub(since) / time.Second)
	times := make([]int64, n)
	for i := range times {
		times[i] = since.Unix() + 3600 + g.rng.Int64N(max(span-7200, 1))
	}
	slices.Sort(times)
	for _, t := range times {
		placed := time.Unix(t, 0).UTC()
		err := g.addOrder(ctx, orderSpec{
			liveProfile: p, status: randomStatus(g.rng, placed), currency: currencies[g.rng.IntN(len(currencies))],
			placedAt: placed, wallet: wallet, failedFirst: g.rng.IntN(100) < 15,
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// inWriteTx runs fn in one write transaction and commits it.
func (d *DB) inWriteTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return lockedError(err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}
