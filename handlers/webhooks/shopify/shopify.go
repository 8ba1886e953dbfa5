// Package shopify receives Shopify's webhooks: orders, refunds,
// fulfilments and customers, signed with the app's (or the store's
// notification) secret. Field names follow Shopify's REST Admin API
// resources (Order, Refund, Fulfillment, Customer), which are also the
// webhook payloads; testdata/README.md names the documents.
package shopify

import (
	"regexp"
	"strconv"
	"strings"

	"dashapp/db/shop"
	"dashapp/handlers/webhooks"
	"dashapp/handlers/webhooks/payload"
)

// Headers Shopify sends with every delivery.
const (
	HeaderHMAC       = "X-Shopify-Hmac-Sha256"
	HeaderTopic      = "X-Shopify-Topic"
	HeaderWebhookID  = "X-Shopify-Webhook-Id"
	HeaderShopDomain = "X-Shopify-Shop-Domain"
)

// Source plugs the receiver into webhooks.Handler.
var Source = webhooks.Source{Name: shop.SourceShopify, Verify: Verify, Decode: Decode, Identify: Identify}

// Verify checks X-Shopify-Hmac-Sha256, the base64 HMAC-SHA256 of the raw
// body under the webhook secret.
func Verify(secret string, header func(name string) string, body []byte) error {
	return webhooks.VerifyBase64HMAC(secret, HeaderHMAC, header, body)
}

// Identify names a delivery by its headers.
func Identify(header func(name string) string) shop.Delivery {
	return shop.Delivery{Source: shop.SourceShopify, ID: header(HeaderWebhookID), Topic: header(HeaderTopic)}
}

// Topics dashapp handles, by the resource their payload carries.
var (
	orderTopics = map[string]bool{
		"orders/create": true, "orders/updated": true, "orders/paid": true, "orders/cancelled": true,
		"orders/fulfilled": true, "orders/partially_fulfilled": true,
	}
	fulfillmentTopics = map[string]bool{"fulfillments/create": true, "fulfillments/update": true}
	customerTopics    = map[string]bool{"customers/create": true, "customers/update": true}
)

// Topics lists every topic Decode handles, for the README and the tests.
func Topics() []string {
	var all []string
	for _, m := range []map[string]bool{orderTopics, fulfillmentTopics, customerTopics, {"refunds/create": true}} {
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
		rec, err := o.record(header(HeaderShopDomain))
		if err != nil {
			return d, b, err
		}
		b.Orders = []shop.OrderRecord{rec}
	case fulfillmentTopics[d.Topic]:
		var f fulfillment
		if err := webhooks.Unmarshal(body, &f); err != nil {
			return d, b, err
		}
		if f.OrderID == "" {
			return d, b, webhooks.Malformed("order_id", "missing")
		}
		rec, err := f.record("", string(f.OrderID))
		if err != nil {
			return d, b, err
		}
		b.Shipments = []shop.ShipmentRecord{rec}
	case d.Topic == "refunds/create":
		var r refund
		if err := webhooks.Unmarshal(body, &r); err != nil {
			return d, b, err
		}
		recs, err := r.records()
		if err != nil {
			return d, b, err
		}
		b.Payments = recs
	case customerTopics[d.Topic]:
		var c customer
		if err := webhooks.Unmarshal(body, &c); err != nil {
			return d, b, err
		}
		if c.ID == "" {
			return d, b, webhooks.Malformed("id", "missing")
		}
		rec, err := c.record()
		if err != nil {
			return d, b, err
		}
		b.Customers = []shop.CustomerRecord{rec}
	default:
		return d, b, webhooks.UnknownTopic(d.Topic)
	}
	return d, b, nil
}

type order struct {
	ID                webhooks.ID     `json:"id"`
	Name              string          `json:"name"`
	Email             string          `json:"email"`
	ContactEmail      string          `json:"contact_email"`
	Phone             string          `json:"phone"`
	CreatedAt         string          `json:"created_at"`
	ProcessedAt       string          `json:"processed_at"`
	UpdatedAt         string          `json:"updated_at"`
	CancelledAt       string          `json:"cancelled_at"`
	FinancialStatus   string          `json:"financial_status"`
	FulfillmentStatus string          `json:"fulfillment_status"`
	Currency          string          `json:"currency"`
	TotalPrice        payload.Decimal `json:"total_price"`
	OrderStatusURL    string          `json:"order_status_url"`
	Customer          *customer       `json:"customer"`
	ShippingAddress   *address        `json:"shipping_address"`
	LineItems         []lineItem      `json:"line_items"`
	Fulfillments      []fulfillment   `json:"fulfillments"`
}

type customer struct {
	ID        webhooks.ID `json:"id"`
	Email     string      `json:"email"`
	Phone     string      `json:"phone"`
	FirstName string      `json:"first_name"`
	LastName  string      `json:"last_name"`
	UpdatedAt string      `json:"updated_at"`
}

type address struct {
	Name        string `json:"name"`
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name"`
	Phone       string `json:"phone"`
	Address1    string `json:"address1"`
	Address2    string `json:"address2"`
	City        string `json:"city"`
	Province    string `json:"province"`
	Zip         string `json:"zip"`
	Country     string `json:"country"`
	CountryCode string `json:"country_code"`
}

type lineItem struct {
	Name     string          `json:"name"`
	Title    string          `json:"title"`
	SKU      string          `json:"sku"`
	Quantity int             `json:"quantity"`
	Price    payload.Decimal `json:"price"`
}

type fulfillment struct {
	ID              webhooks.ID `json:"id"`
	OrderID         webhooks.ID `json:"order_id"`
	Status          string      `json:"status"`
	ShipmentStatus  string      `json:"shipment_status"`
	TrackingCompany string      `json:"tracking_company"`
	TrackingNumber  string      `json:"tracking_number"`
	TrackingNumbers []string    `json:"tracking_numbers"`
	TrackingURL     string      `json:"tracking_url"`
	TrackingURLs    []string    `json:"tracking_urls"`
	CreatedAt       string      `json:"created_at"`
	UpdatedAt       string      `json:"updated_at"`
}

type refund struct {
	ID           webhooks.ID   `json:"id"`
	OrderID      webhooks.ID   `json:"order_id"`
	CreatedAt    string        `json:"created_at"`
	Transactions []transaction `json:"transactions"`
}

type transaction struct {
	ID          webhooks.ID     `json:"id"`
	OrderID     webhooks.ID     `json:"order_id"`
	Kind        string          `json:"kind"`
	Gateway     string          `json:"gateway"`
	Status      string          `json:"status"`
	Amount      payload.Decimal `json:"amount"`
	Currency    string          `json:"currency"`
	CreatedAt   string          `json:"created_at"`
	ProcessedAt string          `json:"processed_at"`
}

func (o order) record(shopDomain string) (shop.OrderRecord, error) {
	if o.ID == "" {
		return shop.OrderRecord{}, webhooks.Malformed("id", "missing")
	}
	if strings.TrimSpace(o.Name) == "" {
		return shop.OrderRecord{}, webhooks.Malformed("name", "missing")
	}
	rec := shop.OrderRecord{
		Number:         o.Name,
		Source:         shop.SourceShopify,
		ExternalID:     string(o.ID),
		Status:         OrderStatus(o.FinancialStatus, o.FulfillmentStatus, o.CancelledAt != "", o.allDelivered()),
		PlatformStatus: webhooks.JoinNonEmpty(" · ", o.FinancialStatus, webhooks.First(o.FulfillmentStatus, "unfulfilled"), cancelledLabel(o.CancelledAt)),
		PaymentStatus:  PaymentStatus(o.FinancialStatus),
		AdminURL:       AdminURL(shopDomain, string(o.ID)),
		CustomerURL:    webhooks.WebURL(o.OrderStatusURL),
	}
	var err error
	if rec.Total, err = webhooks.Amount("total_price", o.TotalPrice, o.Currency); err != nil {
		return rec, err
	}
	if rec.PlacedAt, err = webhooks.Time("processed_at", webhooks.First(o.ProcessedAt, o.CreatedAt)); err != nil {
		return rec, err
	}
	if rec.UpdatedAt, err = webhooks.Time("updated_at", o.UpdatedAt); err != nil {
		return rec, err
	}
	if rec.Customer, err = o.customer(); err != nil {
		return rec, err
	}
	rec.CustomerRef = rec.Customer.Ref
	if a := o.ShippingAddress; a != nil {
		rec.ShippingAddress = &shop.Address{
			Name:    webhooks.First(a.Name, webhooks.JoinNonEmpty(" ", a.FirstName, a.LastName)),
			Phone:   a.Phone,
			City:    a.City,
			Country: webhooks.First(a.CountryCode, a.Country),
			Line:    webhooks.JoinNonEmpty(", ", a.Address1, a.Address2, a.Province, a.Zip),
		}
	}
	rec.Items = make([]shop.ItemRecord, 0, len(o.LineItems))
	for i, li := range o.LineItems {
		unit, err := webhooks.Amount("line_items["+strconv.Itoa(i)+"].price", li.Price, o.Currency)
		if err != nil {
			return rec, err
		}
		if li.Quantity < 0 {
			return rec, webhooks.Malformed("line_items["+strconv.Itoa(i)+"].quantity", "negative")
		}
		rec.Items = append(rec.Items, shop.ItemRecord{
			SKU: li.SKU, Name: webhooks.First(li.Name, li.Title), Quantity: li.Quantity,
			UnitPrice: unit, LineTotal: shop.Money{Minor: unit.Minor * int64(li.Quantity), Currency: unit.Currency},
		})
	}
	for _, f := range o.Fulfillments {
		s, err := f.record(o.Name, string(o.ID))
		if err != nil {
			return rec, err
		}
		rec.Shipments = append(rec.Shipments, s)
	}
	return rec, nil
}

// customer is the order's customer, or a guest keyed by the order's email
// or phone. An order with neither (a point-of-sale sale) matches no
// contact, so dashapp does not keep it.
func (o order) customer() (*shop.CustomerRecord, error) {
	if c := o.Customer; c != nil && c.ID != "" {
		if c.Email == "" {
			c.Email = webhooks.First(o.Email, o.ContactEmail)
		}
		if c.Phone == "" {
			c.Phone = o.Phone
		}
		rec, err := c.record()
		return &rec, err
	}
	email := webhooks.First(o.Email, o.ContactEmail)
	ref := shop.GuestRef(shop.SourceShopify, email, o.Phone)
	if ref == "" {
		return nil, webhooks.Ignore("an order with no customer, email or phone")
	}
	name := ""
	if o.ShippingAddress != nil {
		name = webhooks.First(o.ShippingAddress.Name, webhooks.JoinNonEmpty(" ", o.ShippingAddress.FirstName, o.ShippingAddress.LastName))
	}
	updated, err := webhooks.Time("updated_at", o.UpdatedAt)
	return &shop.CustomerRecord{Ref: ref, Source: shop.SourceShopify, Name: name, Email: email, Phone: o.Phone, UpdatedAt: updated}, err
}

func (c customer) record() (shop.CustomerRecord, error) {
	updated, err := webhooks.Time("customer.updated_at", c.UpdatedAt)
	return shop.CustomerRecord{
		Ref: "shopify:" + string(c.ID), Source: shop.SourceShopify, ExternalID: string(c.ID),
		Name: webhooks.JoinNonEmpty(" ", c.FirstName, c.LastName), Email: c.Email, Phone: c.Phone,
		UpdatedAt: updated,
	}, err
}

func (o order) allDelivered() bool {
	shipped := 0
	for _, f := range o.Fulfillments {
		switch f.Status {
		case "cancelled", "error", "failure":
			continue
		}
		if f.ShipmentStatus != "delivered" {
			return false
		}
		shipped++
	}
	return shipped > 0
}

func (f fulfillment) record(orderNumber, orderID string) (shop.ShipmentRecord, error) {
	if f.ID == "" {
		return shop.ShipmentRecord{}, webhooks.Malformed("fulfillments.id", "missing")
	}
	updated, err := webhooks.Time("fulfillments.updated_at", webhooks.First(f.UpdatedAt, f.CreatedAt))
	if err != nil {
		return shop.ShipmentRecord{}, err
	}
	number, url := f.TrackingNumber, f.TrackingURL
	if number == "" && len(f.TrackingNumbers) > 0 {
		number = f.TrackingNumbers[0]
	}
	if url == "" && len(f.TrackingURLs) > 0 {
		url = f.TrackingURLs[0]
	}
	return shop.ShipmentRecord{
		Ref: "shopify:" + string(f.ID), Source: shop.SourceShopify,
		OrderNumber: orderNumber, OrderExternalID: orderID,
		Carrier: f.TrackingCompany, TrackingNumber: number, TrackingURL: webhooks.WebURL(url),
		Status: ShipmentStatus(f.Status, f.ShipmentStatus), StatusAt: updated, UpdatedAt: updated,
	}, nil
}

// records are the refund's money movements: Shopify's refund carries the
// transactions that paid it back, each a payment of kind refund.
func (r refund) records() ([]shop.PaymentRecord, error) {
	if r.OrderID == "" {
		return nil, webhooks.Malformed("order_id", "missing")
	}
	var recs []shop.PaymentRecord
	for i, t := range r.Transactions {
		if t.Kind != "refund" || t.ID == "" {
			continue
		}
		field := "transactions[" + strconv.Itoa(i) + "]"
		amount, err := webhooks.Amount(field+".amount", t.Amount, t.Currency)
		if err != nil {
			return nil, err
		}
		at, err := webhooks.Time(field+".processed_at", webhooks.First(t.ProcessedAt, t.CreatedAt, r.CreatedAt))
		if err != nil {
			return nil, err
		}
		recs = append(recs, shop.PaymentRecord{
			Ref: "shopify:" + string(t.ID), Source: shop.SourceShopify, OrderExternalID: string(r.OrderID),
			Kind: shop.KindRefund, Method: t.Gateway, Status: transactionStatus(t.Status),
			Amount: amount, CreatedAt: at, UpdatedAt: at,
		})
	}
	return recs, nil
}

// OrderStatus is the canonical status of a Shopify order. The README's
// table is this function; the first rule that holds wins.
func OrderStatus(financial, fulfillment string, cancelled, delivered bool) string {
	switch {
	case cancelled || fulfillment == "restocked":
		return shop.OrderCancelled
	case financial == "refunded":
		return shop.OrderRefunded
	case fulfillment == "fulfilled" && delivered:
		return shop.OrderDelivered
	case fulfillment == "fulfilled" || fulfillment == "partial":
		return shop.OrderShipped
	case financial == "partially_refunded":
		return shop.OrderPartiallyRefunded
	case financial == "paid":
		return shop.OrderPaid
	}
	return shop.OrderPending // pending, authorized, partially_paid, voided, expired, unknown
}

// PaymentStatus maps financial_status; "" for a value Shopify may add.
func PaymentStatus(financial string) string {
	switch financial {
	case "pending", "authorized":
		return shop.OrderPaymentPending
	case "paid":
		return shop.OrderPaymentPaid
	case "partially_paid":
		return shop.OrderPaymentPartiallyPaid
	case "refunded":
		return shop.OrderPaymentRefunded
	case "partially_refunded":
		return shop.OrderPaymentPartiallyRefunded
	case "voided":
		return shop.OrderPaymentVoided
	case "expired":
		return shop.OrderPaymentFailed
	}
	return ""
}

// ShipmentStatus maps a fulfilment's status and the carrier's
// shipment_status to a shipment status.
func ShipmentStatus(status, shipment string) string {
	switch status {
	case "cancelled", "error", "failure":
		return shop.ShipmentCancelled
	}
	switch shipment {
	case "label_printed", "label_purchased", "confirmed":
		return shop.ShipmentLabelCreated
	case "in_transit", "carrier_picked_up", "delayed":
		return shop.ShipmentInTransit
	case "out_for_delivery", "ready_for_pickup":
		return shop.ShipmentOutForDelivery
	case "delivered", "picked_up":
		return shop.ShipmentDelivered
	case "attempted_delivery", "failure", "not_delivered":
		return shop.ShipmentFailed
	}
	if status == "success" {
		return shop.ShipmentInTransit // handed over, nothing heard from the carrier yet
	}
	return shop.ShipmentLabelCreated // pending, open
}

func transactionStatus(s string) string {
	switch s {
	case "success":
		return shop.PaymentSucceeded
	case "failure", "error":
		return shop.PaymentFailed
	}
	return shop.PaymentPending
}

// shopHost is what X-Shopify-Shop-Domain may hold: a host name. The header
// is not signed, so anything else gets no admin link.
var shopHost = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$`)

// AdminURL links the order in the shop's admin: a *.myshopify.com domain
// has the unified admin's address, any other domain its own /admin.
func AdminURL(domain, orderID string) string {
	domain = strings.ToLower(strings.TrimSpace(domain))
	if orderID == "" || !shopHost.MatchString(domain) {
		return ""
	}
	if handle, ok := strings.CutSuffix(domain, ".myshopify.com"); ok && !strings.Contains(handle, ".") {
		return "https://admin.shopify.com/store/" + handle + "/orders/" + orderID
	}
	return "https://" + domain + "/admin/orders/" + orderID
}

func cancelledLabel(cancelledAt string) string {
	if cancelledAt != "" {
		return "cancelled"
	}
	return ""
}
