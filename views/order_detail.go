package views

import (
	"time"

	"dashapp/db/shop"
)

// OrderDetail is one order as its detail shows it, opened in place under
// its row of the orders table (OrderDetailView).
type OrderDetail struct {
	Lang           string
	ID             int64 // the store's id
	Number         string
	Status         string // canonical: one of shop.OrderStatuses
	PlatformStatus string // the platform's own label, "" when none
	PaymentStatus  string // one of shop.OrderPaymentStatuses, or ""
	PlacedAt       time.Time
	Total          shop.Money
	AdminURL       string // the order in the shop's admin: http(s) only, "" when unknown
	Items          []OrderItem
	Payments       []PaymentRow // charges and refunds, oldest first
	Shipments      []ShipmentView
	Address        shop.Address
}

// OrderItem is one line of an order.
type OrderItem struct {
	Name      string
	SKU       string
	Quantity  int
	UnitPrice shop.Money
	LineTotal shop.Money
}

// ShipmentView is one parcel of an order.
type ShipmentView struct {
	Carrier        string
	TrackingNumber string
	TrackingURL    string // http(s) only; "" otherwise
	Status         string // one of shop.ShipmentStatuses
	StatusAt       time.Time
}

// shipmentStatus names a shipment status for the agent; unknown values
// show as themselves.
func shipmentStatus(lang, status string) string {
	return tOr(lang, "detail.ship."+status, tOr(lang, "badge."+status, humanize(status)))
}

// addressLines are the address's non-empty parts, in reading order.
func addressLines(a shop.Address) []string {
	var lines []string
	for _, s := range []string{a.Name, a.Line, a.City, a.Country} {
		if s != "" {
			lines = append(lines, s)
		}
	}
	return lines
}
