package zid

import (
	"strings"

	"dashapp/db/shop"
)

// orderStatuses maps Zid's order_status.code (docs.zid.sa,
// webhook-events-order, "OrderStatus") to dashapp's canonical statuses.
// Codes are compared in lower case: the docs spell some both ways
// (indelivery and inDelivery, reverse_in_progress and processingReverse).
var orderStatuses = map[string]string{
	"new":                 shop.OrderPending,
	"preparing":           shop.OrderPaid,
	"ready":               shop.OrderPaid,
	"processed":           shop.OrderPaid,
	"indelivery":          shop.OrderShipped,
	"delivered":           shop.OrderDelivered,
	"canceled":            shop.OrderCancelled,
	"cancelled":           shop.OrderCancelled,
	"failed":              shop.OrderCancelled,
	"expired":             shop.OrderCancelled,
	"voided":              shop.OrderCancelled,
	"denied":              shop.OrderCancelled,
	"refunded":            shop.OrderRefunded,
	"reversed":            shop.OrderRefunded,
	"reverse_in_progress": shop.OrderReturned,
	"processingreverse":   shop.OrderReturned,
	"chargeback":          shop.OrderOnHold,
	"canceledreversal":    shop.OrderOnHold,
}

func statusKey(code string) string { return strings.ToLower(strings.TrimSpace(code)) }

// orderStatus is the canonical status of a Zid code. A code Zid adds
// later shows as pending, with Zid's own name beside it, rather than
// refusing the delivery.
func orderStatus(code string) string {
	if s, ok := orderStatuses[statusKey(code)]; ok {
		return s
	}
	return shop.OrderPending
}

// paymentStatuses maps the order's payment_status. Zid's
// order.payment_status.update event fires on "paid" and "unpaid", where
// unpaid covers pending, refunded and voided (docs.zid.sa, webhooks).
var paymentStatuses = map[string]string{
	"paid":               shop.OrderPaymentPaid,
	"pending":            shop.OrderPaymentPending,
	"unpaid":             shop.OrderPaymentPending,
	"refunded":           shop.OrderPaymentRefunded,
	"partially_refunded": shop.OrderPaymentPartiallyRefunded,
	"voided":             shop.OrderPaymentVoided,
	"failed":             shop.OrderPaymentFailed,
}

func paymentStatus(s string) string { return paymentStatuses[statusKey(s)] }

// shipmentStatus is the status of the order's parcel: Zid's tracking
// object has only a free-text status ("In Transit", "N/A"), so the
// order's code says where the parcel is.
func shipmentStatus(code string) string {
	switch orderStatus(code) {
	case shop.OrderShipped:
		return shop.ShipmentInTransit
	case shop.OrderDelivered:
		return shop.ShipmentDelivered
	case shop.OrderCancelled:
		return shop.ShipmentCancelled
	case shop.OrderReturned:
		return shop.ShipmentReturned
	}
	return shop.ShipmentLabelCreated
}
