// Package woocommerce receives WooCommerce's webhooks: orders and
// customers, each the REST API v3 resource, signed with the webhook's
// secret. testdata/README.md names the documents the fixtures come from.
package woocommerce

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"dashapp/db/shop"
	"dashapp/handlers/webhooks"
	"dashapp/handlers/webhooks/payload"
)

// Headers WooCommerce sends with every delivery (WC_Webhook::deliver).
const (
	HeaderSignature  = "X-WC-Webhook-Signature"
	HeaderTopic      = "X-WC-Webhook-Topic"
	HeaderDeliveryID = "X-WC-Webhook-Delivery-ID"
	HeaderSource     = "X-WC-Webhook-Source"
)

// Source plugs the receiver into webhooks.Handler.
var Source = webhooks.Source{Name: shop.SourceWooCommerce, Verify: Verify, Decode: Decode, Identify: Identify, Ping: Ping}

// Verify checks X-WC-Webhook-Signature, the base64 HMAC-SHA256 of the raw
// body under the webhook's secret.
func Verify(secret string, header func(name string) string, body []byte) error {
	return webhooks.VerifyBase64HMAC(secret, HeaderSignature, header, body)
}

// Identify names a delivery by its headers.
func Identify(header func(name string) string) shop.Delivery {
	return shop.Delivery{Source: shop.SourceWooCommerce, ID: header(HeaderDeliveryID), Topic: header(HeaderTopic)}
}

var pingBody = regexp.MustCompile(`^webhook_id=[0-9]+$`)

// Ping recognises the request WooCommerce sends when a webhook is saved
// (WC_Webhook::deliver_ping): the form body "webhook_id=N", unsigned and
// with no topic. WooCommerce keeps the webhook pending until it gets a 200.
func Ping(header func(name string) string, body []byte) bool {
	return header(HeaderSignature) == "" && header(HeaderTopic) == "" && pingBody.Match(body)
}

// Topics dashapp handles. order.restored brings an order back from the
// trash with its whole resource. The deleted topics carry only {"id": N}
// and are acknowledged and ignored: dashapp keeps the history an agent may
// be asked about.
var (
	orderTopics    = map[string]bool{"order.created": true, "order.updated": true, "order.restored": true}
	customerTopics = map[string]bool{"customer.created": true, "customer.updated": true}
)

// Topics lists every topic Decode handles.
func Topics() []string {
	var all []string
	for _, m := range []map[string]bool{orderTopics, customerTopics} {
		for t := range m {
			all = append(all, t)
		}
	}
	return all
}

// Decode maps one delivery to records. The Delivery is filled in even when
// the body is refused, so the delivery log can name it.
func Decode(header func(name string) string, body []byte) (shop.Delivery, shop.Batch, error) {
	d := Identify(header)
	var b shop.Batch
	switch {
	case orderTopics[d.Topic]:
		var o order
		if err := webhooks.Unmarshal(body, &o); err != nil {
			return d, b, err
		}
		rec, err := o.record(header(HeaderSource))
		if err != nil {
			return d, b, err
		}
		b.Orders = []shop.OrderRecord{rec}
	case customerTopics[d.Topic]:
		var c customer
		if err := webhooks.Unmarshal(body, &c); err != nil {
			return d, b, err
		}
		rec, err := c.record()
		if err != nil {
			return d, b, err
		}
		b.Customers = []shop.CustomerRecord{rec}
	case d.Topic == "order.deleted" || d.Topic == "customer.deleted":
		return d, b, webhooks.Ignore("deletions keep dashapp's history")
	default:
		return d, b, webhooks.UnknownTopic(d.Topic)
	}
	return d, b, nil
}

type order struct {
	ID              webhooks.ID     `json:"id"`
	Number          string          `json:"number"`
	Status          string          `json:"status"`
	Currency        string          `json:"currency"`
	DateCreatedGMT  string          `json:"date_created_gmt"`
	DateModifiedGMT string          `json:"date_modified_gmt"`
	DatePaidGMT     string          `json:"date_paid_gmt"`
	Total           payload.Decimal `json:"total"`
	CustomerID      webhooks.ID     `json:"customer_id"`
	Billing         address         `json:"billing"`
	Shipping        address         `json:"shipping"`
	LineItems       []lineItem      `json:"line_items"`
	Refunds         []struct {
		ID webhooks.ID `json:"id"`
	} `json:"refunds"`
	Links struct {
		Self []struct {
			Href string `json:"href"`
		} `json:"self"`
	} `json:"_links"`
}

type address struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Company   string `json:"company"`
	Address1  string `json:"address_1"`
	Address2  string `json:"address_2"`
	City      string `json:"city"`
	State     string `json:"state"`
	Postcode  string `json:"postcode"`
	Country   string `json:"country"`
	Email     string `json:"email"`
	Phone     string `json:"phone"`
}

type lineItem struct {
	Name     string          `json:"name"`
	SKU      string          `json:"sku"`
	Quantity int             `json:"quantity"`
	Subtotal payload.Decimal `json:"subtotal"`
	Total    payload.Decimal `json:"total"`
	Price    payload.Decimal `json:"price"`
}

type customer struct {
	ID              webhooks.ID `json:"id"`
	Email           string      `json:"email"`
	FirstName       string      `json:"first_name"`
	LastName        string      `json:"last_name"`
	DateModifiedGMT string      `json:"date_modified_gmt"`
	Billing         address     `json:"billing"`
}

func (o order) record(siteHeader string) (shop.OrderRecord, error) {
	if o.ID == "" || o.ID == "0" {
		return shop.OrderRecord{}, webhooks.Malformed("id", "missing")
	}
	rec := shop.OrderRecord{
		Number:         webhooks.First(strings.TrimSpace(o.Number), string(o.ID)),
		Source:         shop.SourceWooCommerce,
		ExternalID:     string(o.ID),
		Status:         OrderStatus(o.Status),
		PlatformStatus: o.Status,
		PaymentStatus:  PaymentStatus(o.Status, o.DatePaidGMT != "", len(o.Refunds) > 0),
		AdminURL:       adminURL(o.siteRoot(siteHeader), string(o.ID)),
	}
	var err error
	if rec.Total, err = webhooks.Amount("total", o.Total, o.Currency); err != nil {
		return rec, err
	}
	if rec.PlacedAt, err = gmt("date_created_gmt", o.DateCreatedGMT); err != nil {
		return rec, err
	}
	if rec.UpdatedAt, err = gmt("date_modified_gmt", o.DateModifiedGMT); err != nil {
		return rec, err
	}
	if rec.Customer, err = o.customer(rec.UpdatedAt); err != nil {
		return rec, err
	}
	rec.CustomerRef = rec.Customer.Ref
	if s := o.Shipping; s.Address1 != "" || s.City != "" || s.Country != "" {
		rec.ShippingAddress = &shop.Address{
			Name:    webhooks.JoinNonEmpty(" ", s.FirstName, s.LastName),
			Phone:   webhooks.First(s.Phone, o.Billing.Phone),
			City:    s.City,
			Country: s.Country,
			Line:    webhooks.JoinNonEmpty(", ", s.Company, s.Address1, s.Address2, s.State, s.Postcode),
		}
	}
	rec.Items = make([]shop.ItemRecord, 0, len(o.LineItems))
	for i, li := range o.LineItems {
		item, err := li.record("line_items["+strconv.Itoa(i)+"]", o.Currency)
		if err != nil {
			return rec, err
		}
		rec.Items = append(rec.Items, item)
	}
	return rec, nil
}

// customer is the order's registered customer (customer_id), or a guest
// keyed by the billing email or phone. An order with neither matches no
// contact, so dashapp does not keep it.
func (o order) customer(updated time.Time) (*shop.CustomerRecord, error) {
	c := &shop.CustomerRecord{
		Source: shop.SourceWooCommerce, Name: webhooks.JoinNonEmpty(" ", o.Billing.FirstName, o.Billing.LastName),
		Email: o.Billing.Email, Phone: o.Billing.Phone, UpdatedAt: updated,
	}
	if o.CustomerID != "" && o.CustomerID != "0" {
		c.Ref, c.ExternalID = "woocommerce:"+string(o.CustomerID), string(o.CustomerID)
		return c, nil
	}
	ref := shop.GuestRef(shop.SourceWooCommerce, c.Email, c.Phone)
	if ref == "" {
		return nil, webhooks.Ignore("an order with no customer, email or phone")
	}
	c.Ref = ref
	return c, nil
}

// record reads a line. WooCommerce sends price as a JSON number computed
// as subtotal / quantity, so it can carry more decimals than the currency;
// then the unit price is the subtotal divided by the quantity, rounded half
// away from zero to the currency's decimals: the only rounding dashapp
// does, and WooCommerce's own on its order screen.
func (li lineItem) record(field, currency string) (shop.ItemRecord, error) {
	if li.Quantity < 0 {
		return shop.ItemRecord{}, webhooks.Malformed(field+".quantity", "negative")
	}
	total, err := webhooks.Amount(field+".total", li.Total, currency)
	if err != nil {
		return shop.ItemRecord{}, err
	}
	unit, err := webhooks.Amount(field+".price", li.Price, currency)
	if err != nil {
		subtotal, serr := webhooks.Amount(field+".subtotal", li.Subtotal, currency)
		if serr != nil || li.Subtotal == "" || li.Quantity == 0 {
			return shop.ItemRecord{}, err
		}
		unit = shop.Money{Minor: divRound(subtotal.Minor, int64(li.Quantity)), Currency: subtotal.Currency}
	}
	return shop.ItemRecord{SKU: li.SKU, Name: li.Name, Quantity: li.Quantity, UnitPrice: unit, LineTotal: total}, nil
}

func divRound(a, b int64) int64 {
	q, r := a/b, a%b
	if 2*abs(r) >= abs(b) {
		if (a < 0) != (b < 0) {
			return q - 1
		}
		return q + 1
	}
	return q
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

func (c customer) record() (shop.CustomerRecord, error) {
	if c.ID == "" || c.ID == "0" {
		return shop.CustomerRecord{}, webhooks.Malformed("id", "missing")
	}
	updated, err := gmt("date_modified_gmt", c.DateModifiedGMT)
	return shop.CustomerRecord{
		Ref: "woocommerce:" + string(c.ID), Source: shop.SourceWooCommerce, ExternalID: string(c.ID),
		Name:  webhooks.First(webhooks.JoinNonEmpty(" ", c.FirstName, c.LastName), webhooks.JoinNonEmpty(" ", c.Billing.FirstName, c.Billing.LastName)),
		Email: webhooks.First(c.Email, c.Billing.Email), Phone: c.Billing.Phone, UpdatedAt: updated,
	}, err
}

// gmt reads WooCommerce's *_gmt times: RFC 3339 without the zone, in UTC.
func gmt(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02T15:04:05", s, time.UTC)
	if err != nil {
		return webhooks.Time(field, s) // a filter may have added the zone
	}
	return t, nil
}

// siteRoot is the shop's address: from the signed body's own REST link
// (https://shop.example/wp-json/wc/v3/orders/727) when there is one,
// otherwise from the unsigned X-WC-Webhook-Source header.
func (o order) siteRoot(sourceHeader string) string {
	for _, l := range o.Links.Self {
		if root, _, ok := strings.Cut(l.Href, "/wp-json/"); ok && webhooks.WebURL(root) != "" {
			return root + "/"
		}
	}
	return sourceHeader
}

// adminURL is the order's edit screen. WooCommerce redirects this classic
// address to the order screen of stores on HPOS storage.
func adminURL(root, orderID string) string {
	u, err := url.Parse(strings.TrimSpace(root))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return ""
	}
	u.RawQuery, u.Fragment = "", ""
	u.Path = strings.TrimSuffix(u.Path, "/") + "/wp-admin/post.php"
	u.RawQuery = url.Values{"post": {orderID}, "action": {"edit"}}.Encode()
	return u.String()
}

// OrderStatus is the canonical status of a WooCommerce order status. The
// README's table is this function. Plugins add statuses; one named like a
// canonical status (shipped, delivered, returned) keeps its name, any
// other is pending, with its own label beside it.
func OrderStatus(status string) string {
	switch status {
	case "pending", "checkout-draft", "failed":
		return shop.OrderPending
	case "processing":
		return shop.OrderPaid
	case "on-hold":
		return shop.OrderOnHold
	case "completed":
		return shop.OrderShipped
	case "cancelled", "trash":
		return shop.OrderCancelled
	case "refunded":
		return shop.OrderRefunded
	}
	for _, s := range append([]string{shop.OrderOnHold, shop.OrderPartiallyRefunded, shop.OrderReturned}, shop.OrderStatuses...) {
		if strings.ReplaceAll(status, "-", "_") == s {
			return s
		}
	}
	return shop.OrderPending
}

// PaymentStatus is what a WooCommerce order says of its payment: its
// status, whether it has a date_paid, and whether it has refunds.
func PaymentStatus(status string, paid, refunds bool) string {
	switch status {
	case "refunded":
		return shop.OrderPaymentRefunded
	case "failed":
		return shop.OrderPaymentFailed
	}
	switch {
	case paid && refunds:
		return shop.OrderPaymentPartiallyRefunded
	case paid || status == "processing" || status == "completed":
		return shop.OrderPaymentPaid
	case status == "pending" || status == "on-hold" || status == "checkout-draft":
		return shop.OrderPaymentPending
	}
	return ""
}
