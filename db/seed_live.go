package db

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"strconv"
	"time"

	"dashapp/db/shop"
)

// The seeds' live-data side: where each order came from, the platform's
// own status label, the shipping address, the shop's links and the parcels
// with their carriers' tracking pages.

// demoShopURL is the demo shop's site: a reserved name, so no link in the
// demo leads anywhere real but the carriers' tracking pages.
const demoShopURL = "https://demo-shop.example"

// platformLabels are each source's own names for the canonical statuses,
// as a merchant sees them: Salla and Zid merchants work in Arabic.
var platformLabels = map[string]map[string]string{
	shop.SourceSalla: {
		shop.OrderPending: "بإنتظار المراجعة", shop.OrderPaid: "قيد التنفيذ", shop.OrderShipped: "جاري التوصيل",
		shop.OrderDelivered: "تم التوصيل", shop.OrderCancelled: "ملغي", shop.OrderRefunded: "مسترجع",
		shop.OrderOnHold: "معلق", shop.OrderPartiallyRefunded: "مسترجع جزئياً", shop.OrderReturned: "مرتجع",
	},
	shop.SourceZid: {
		shop.OrderPending: "جديد", shop.OrderPaid: "جاري التجهيز", shop.OrderShipped: "جاري التوصيل",
		shop.OrderDelivered: "تم التوصيل", shop.OrderCancelled: "ملغي", shop.OrderRefunded: "مسترجع",
		shop.OrderOnHold: "معلق", shop.OrderPartiallyRefunded: "مسترجع جزئياً", shop.OrderReturned: "مرتجع",
	},
	shop.SourceShopify: {
		shop.OrderPending: "Payment pending · Unfulfilled", shop.OrderPaid: "Paid · Unfulfilled", shop.OrderShipped: "Paid · Fulfilled",
		shop.OrderDelivered: "Paid · Delivered", shop.OrderCancelled: "Voided · Cancelled", shop.OrderRefunded: "Refunded",
		shop.OrderOnHold: "Paid · On hold", shop.OrderPartiallyRefunded: "Partially refunded", shop.OrderReturned: "Refunded · Returned",
	},
	shop.SourceWooCommerce: {
		shop.OrderPending: "Pending payment", shop.OrderPaid: "Processing", shop.OrderShipped: "Shipped",
		shop.OrderDelivered: "Completed", shop.OrderCancelled: "Cancelled", shop.OrderRefunded: "Refunded",
		shop.OrderOnHold: "On hold", shop.OrderPartiallyRefunded: "Partially refunded", shop.OrderReturned: "Returned",
	},
}

// orderPaymentStatus is the payment status an order's status implies.
func orderPaymentStatus(status string) string {
	switch status {
	case shop.OrderPending:
		return shop.OrderPaymentPending
	case shop.OrderCancelled:
		return shop.OrderPaymentVoided
	case shop.OrderRefunded, shop.OrderReturned:
		return shop.OrderPaymentRefunded
	case shop.OrderPartiallyRefunded:
		return shop.OrderPaymentPartiallyRefunded
	}
	return shop.OrderPaymentPaid
}

// carrier is a parcel service with the shape of its public tracking page.
type carrier struct {
	name        string
	digits      int    // of a tracking number
	prefix      string // of a tracking number
	trackingURL string // the number is appended, query-escaped
}

var (
	aramex = carrier{"Aramex", 11, "4", "https://www.aramex.com/track/results?ShipmentNumber="}
	smsa   = carrier{"SMSA", 12, "29", "https://www.smsaexpress.com/trackingdetails?tracknumbers="}
	dhl    = carrier{"DHL", 10, "", "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id="}
)

// homeCarriers are the carriers each currency's customers get parcels from.
var homeCarriers = map[string][]carrier{
	"SAR": {smsa, aramex}, "AED": {aramex, dhl}, "KWD": {aramex, dhl}, "BHD": {aramex, dhl}, "USD": {dhl},
}

// homeCities are where each currency's customers live: city and ISO country.
var homeCities = map[string][][2]string{
	"SAR": {{"Riyadh", "SA"}, {"Jeddah", "SA"}, {"Dammam", "SA"}, {"الرياض", "SA"}},
	"AED": {{"Dubai", "AE"}, {"Abu Dhabi", "AE"}},
	"KWD": {{"Kuwait City", "KW"}, {"Hawalli", "KW"}},
	"BHD": {{"Manama", "BH"}},
	"USD": {{"New York", "US"}, {"San Francisco", "US"}},
}

// liveProfile is what a seeded customer's orders share: their source and
// where they ship to.
type liveProfile struct {
	customerID int64
	source     string
	address    shop.Address
}

// randomAddress draws a customer's shipping address in their home currency's
// country.
func randomAddress(rng *rand.Rand, c shop.Customer, currency string) shop.Address {
	cities := homeCities[currency]
	city := cities[rng.IntN(len(cities))]
	return shop.Address{
		Name: c.Name, Phone: c.Phone, City: city[0], Country: city[1],
		Line: fmt.Sprintf("Building %d, Street %d, District %d", 1+rng.IntN(90), 1+rng.IntN(40), 1+rng.IntN(12)),
	}
}

// liveSources are the platforms the generated demo customers' orders come
// from.
var liveSources = []string{shop.SourceSalla, shop.SourceSalla, shop.SourceZid, shop.SourceShopify, shop.SourceWooCommerce, shop.SourceDemo}

// shipmentFor is the parcel an order's status implies, and false for an
// order that has not shipped.
func (g *historyGen) shipmentFor(o shop.Order) (shop.Shipment, bool) {
	var status string
	switch o.Status {
	case shop.OrderShipped:
		status = []string{shop.ShipmentInTransit, shop.ShipmentOutForDelivery, shop.ShipmentLabelCreated}[g.rng.IntN(3)]
	case shop.OrderDelivered, shop.OrderPartiallyRefunded:
		status = shop.ShipmentDelivered
	case shop.OrderReturned:
		status = shop.ShipmentReturned
	default:
		return shop.Shipment{}, false
	}
	carriers := homeCarriers[o.Total.Currency]
	c := carriers[g.rng.IntN(len(carriers))]
	number := c.prefix
	for len(number) < c.digits {
		number += strconv.Itoa(g.rng.IntN(10))
	}
	statusAt := o.PlacedAt.Add(time.Duration(12+g.rng.IntN(96)) * time.Hour)
	if !statusAt.Before(seedBase) {
		statusAt = seedBase.Add(-time.Minute)
	}
	return shop.Shipment{
		Ref: "SHP-" + o.Number, Carrier: c.name, TrackingNumber: number, TrackingURL: c.trackingURL + url.QueryEscape(number),
		Status: status, StatusAt: statusAt, Source: o.Source, UpdatedAt: statusAt,
	}, true
}

// liveFields fills what a platform adds to an order: its label, links and
// internal id (none for the demo's own orders).
func liveFields(o *shop.Order, p liveProfile) {
	o.Source = p.source
	o.ShippingAddress = p.address
	o.PaymentStatus = orderPaymentStatus(o.Status)
	labels, ok := platformLabels[p.source]
	if !ok {
		return
	}
	o.PlatformStatus = labels[o.Status]
	o.ExternalID = strconv.FormatInt(7_000_000+o.ID, 10)
	o.AdminURL = demoShopURL + "/admin/orders/" + o.ExternalID
	o.CustomerURL = demoShopURL + "/account/orders/" + url.PathEscape(o.Number)
}
