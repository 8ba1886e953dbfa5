package salla

import "dashapp/db/shop"

// orderStatuses maps Salla's status slugs to dashapp's canonical statuses.
// Merchants rename statuses and add sub-statuses freely (often in Arabic),
// but a custom status inherits its parent's slug, so the slug is what is
// mapped and the merchant's own name is kept as the platform label.
// Slugs from docs.salla.dev: the order webhook model (doc-433804), List
// Order Statuses (api-5394150) and the Shipments model (433807m0).
// "completed" (تم التنفيذ, fulfilled) means shipped in some shops and
// delivered in others (help.salla.sa, "Customize order statuses"), so it
// maps to the weaker claim, shipped; the label beside it says more.
var orderStatuses = map[string]string{
	"payment_pending":   shop.OrderPending,
	"under_review":      shop.OrderPending,
	"quotation_request": shop.OrderPending,
	"payment_failed":    shop.OrderPending,
	"in_progress":       shop.OrderPaid,
	"completed":         shop.OrderShipped,
	"shipped":           shop.OrderShipped,
	"delivering":        shop.OrderShipped,
	"delivered":         shop.OrderDelivered,
	"canceled":          shop.OrderCancelled,
	"cancelled":         shop.OrderCancelled,
	"deleted":           shop.OrderCancelled,
	"refunded":          shop.OrderRefunded,
	"restoring":         shop.OrderReturned,
	"restored":          shop.OrderReturned,
}

// orderStatus is the canonical status of a Salla slug. A slug Salla adds
// later shows as pending, with the merchant's label beside it, rather than
// refusing the delivery (Salla would retry it for nothing).
func orderStatus(slug string) string {
	if s, ok := orderStatuses[slug]; ok {
		return s
	}
	return shop.OrderPending
}

// paymentStatus is what the order says of its payment: Salla's order
// model has no payment status field, only the status slug and
// is_pending_payment. An order past review that is not cash on delivery
// has been paid; a cash-on-delivery order is paid once delivered.
func paymentStatus(slug, method string, pendingPayment bool) string {
	switch {
	case slug == "refunded":
		return shop.OrderPaymentRefunded
	case slug == "payment_failed":
		return shop.OrderPaymentFailed
	case pendingPayment || slug == "payment_pending":
		return shop.OrderPaymentPending
	case method == "cod":
		if slug == "delivered" {
			return shop.OrderPaymentPaid
		}
		return shop.OrderPaymentPending
	case slug == "under_review" || slug == "quotation_request":
		return "" // a bank transfer waits for the merchant's check: not known yet
	case orderStatuses[slug] == "":
		return ""
	}
	return shop.OrderPaymentPaid
}

// shipmentStatuses maps the status of a Salla shipment (the Shipments
// webhook model, docs.salla.dev/433807m0: created, in_progress,
// delivering, delivered, shipped, cancelled) to dashapp's.
var shipmentStatuses = map[string]string{
	"created":     shop.ShipmentLabelCreated,
	"pending":     shop.ShipmentLabelCreated,
	"in_progress": shop.ShipmentLabelCreated,
	"shipped":     shop.ShipmentInTransit,
	"delivering":  shop.ShipmentOutForDelivery,
	"delivered":   shop.ShipmentDelivered,
	"cancelled":   shop.ShipmentCancelled,
	"canceled":    shop.ShipmentCancelled,
}

// shipmentStatus maps a shipment's status; a return shipment (type
// "return") that arrives is the parcel coming back: returned.
func shipmentStatus(kind, status string) string {
	s, ok := shipmentStatuses[status]
	if !ok {
		s = shop.ShipmentLabelCreated
	}
	if kind == "return" && s == shop.ShipmentDelivered {
		return shop.ShipmentReturned
	}
	return s
}

// shipmentFromOrder is the status of the one shipment that older order
// payloads carry in shipping.shipment, which has no status of its own.
func shipmentFromOrder(slug string) string {
	switch slug {
	case "delivering":
		return shop.ShipmentOutForDelivery
	case "delivered":
		return shop.ShipmentDelivered
	case "shipped", "completed":
		return shop.ShipmentInTransit
	case "canceled", "cancelled":
		return shop.ShipmentCancelled
	case "restoring", "restored":
		return shop.ShipmentReturned
	}
	return shop.ShipmentLabelCreated
}
