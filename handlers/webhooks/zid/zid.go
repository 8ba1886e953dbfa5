// Package zid reads Zid's order webhooks (docs.zid.sa, "Webhooks" and
// "webhook-events-order"). Zid signs nothing: the receiving URL is
// protected with HTTP Basic credentials, which Verify checks. The body is
// the order itself, with no event name, so every order event
// (order.create, order.status.update, order.payment_status.update) is
// read the same way: the whole order as it now stands.
package zid

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"dashapp/db/shop"
	"dashapp/handlers/webhooks"
	"dashapp/handlers/webhooks/payload"
)

// TopicOrder names every order delivery: Zid's body does not say which
// order event it is.
const TopicOrder = "order"

// Verify checks "Authorization: Basic …" against credentials, the
// configured "user:password", in constant time.
func Verify(credentials string, header func(string) string, body []byte) error {
	if credentials == "" {
		return fmt.Errorf("zid: no credentials configured: %w", webhooks.ErrUnauthorized)
	}
	scheme, encoded, _ := strings.Cut(strings.TrimSpace(header("Authorization")), " ")
	sent, err := base64.StdEncoding.DecodeString(strings.TrimSpace(encoded))
	if !strings.EqualFold(scheme, "Basic") || err != nil {
		return fmt.Errorf("zid: missing or unreadable Basic credentials: %w", webhooks.ErrUnauthorized)
	}
	// Hashing both sides first makes the comparison's time independent of
	// the credentials' length as well as their content.
	want, got := sha256.Sum256([]byte(credentials)), sha256.Sum256(sent)
	if subtle.ConstantTimeCompare(want[:], got[:]) != 1 {
		return fmt.Errorf("zid: credentials do not match: %w", webhooks.ErrUnauthorized)
	}
	return nil
}

type order struct {
	ID          payload.Text `json:"id"`
	Code        payload.Text `json:"code"`
	OrderURL    string       `json:"order_url"`
	OrderStatus *struct {
		Name string `json:"name"`
		Code string `json:"code"`
	} `json:"order_status"`
	CurrencyCode string `json:"currency_code"`
	Customer     *struct {
		ID     payload.Text `json:"id"`
		Name   string       `json:"name"`
		Email  string       `json:"email"`
		Mobile payload.Text `json:"mobile"`
	} `json:"customer"`
	IsGuestCustomer       payload.Text    `json:"is_guest_customer"`
	HasDifferentConsignee payload.Text    `json:"has_different_consignee"`
	OrderTotal            payload.Decimal `json:"order_total"`
	PaymentStatus         string          `json:"payment_status"`
	CreatedAt             string          `json:"created_at"`
	UpdatedAt             string          `json:"updated_at"`
	Shipping              *struct {
		Method *struct {
			Name              string       `json:"name"`
			Courier           string       `json:"courier"`
			WaybillTrackingID payload.Text `json:"waybill_tracking_id"`
			Tracking          *struct {
				Number payload.Text `json:"number"`
				URL    string       `json:"url"`
			} `json:"tracking"`
		} `json:"method"`
		Address *struct {
			FormattedAddress string `json:"formatted_address"`
			Street           string `json:"street"`
			District         string `json:"district"`
			City             *struct {
				Name string `json:"name"`
			} `json:"city"`
			Country *struct {
				Name string `json:"name"`
				Code string `json:"code"`
			} `json:"country"`
		} `json:"address"`
	} `json:"shipping"`
	Consignee *struct {
		Name   string       `json:"name"`
		Mobile payload.Text `json:"mobile"`
	} `json:"consignee"`
	Products *[]struct {
		Name     string          `json:"name"`
		SKU      string          `json:"sku"`
		Quantity payload.Text    `json:"quantity"`
		Price    payload.Decimal `json:"price"`
		Total    payload.Decimal `json:"total"`
	} `json:"products"`
}

// Decode maps an order delivery to one order record with its customer,
// items and parcel. Zid sends no delivery id, so Delivery.ID is "" and
// deliveries are not deduplicated; a repeat carries the same updated_at
// and changes nothing that the first did not. A body that is not an order
// (Zid's customer and product events) is an unknown topic.
func Decode(header func(string) string, body []byte) (shop.Delivery, shop.Batch, error) {
	delivery := shop.Delivery{Source: shop.SourceZid}
	var o order
	if err := json.Unmarshal(body, &o); err != nil {
		return delivery, shop.Batch{}, malformed("body", err)
	}
	if o.OrderStatus == nil {
		return delivery, shop.Batch{}, fmt.Errorf("zid: a body without order_status is not an order: %w", webhooks.ErrUnknownTopic)
	}
	delivery.Topic = TopicOrder
	rec, err := o.record()
	if err != nil {
		return delivery, shop.Batch{}, err
	}
	return delivery, shop.Batch{Orders: []shop.OrderRecord{rec}}, nil
}

func malformed(field string, err error) error {
	return fmt.Errorf("zid: %s: %v: %w", field, err, webhooks.ErrMalformed)
}

func (o order) record() (shop.OrderRecord, error) {
	if o.ID == "" || o.Code == "" {
		return shop.OrderRecord{}, malformed("code", errors.New("an order needs its id and code"))
	}
	placed, err := parseTime(o.CreatedAt)
	if err != nil {
		return shop.OrderRecord{}, malformed("created_at", err)
	}
	updated, err := parseTime(o.UpdatedAt)
	if err != nil {
		return shop.OrderRecord{}, malformed("updated_at", err)
	}
	total, err := o.OrderTotal.Money(o.CurrencyCode)
	if err != nil {
		return shop.OrderRecord{}, malformed("order_total", err)
	}
	rec := shop.OrderRecord{
		Number:         string(o.Code),
		Source:         shop.SourceZid,
		ExternalID:     string(o.ID),
		Status:         orderStatus(o.OrderStatus.Code),
		PlatformStatus: strings.TrimSpace(o.OrderStatus.Name),
		PaymentStatus:  paymentStatus(o.PaymentStatus),
		Total:          total,
		PlacedAt:       placed,
		UpdatedAt:      updated,
		CustomerURL:    webhooks.WebURL(o.OrderURL),
	}
	if c := o.Customer; c != nil {
		id := string(c.ID)
		if truthy(o.IsGuestCustomer) || id == "0" {
			id = "" // a guest is keyed by email or phone, so that the same guest is one customer
		}
		customer := shop.CustomerRecord{
			Ref:        payload.CustomerRef(shop.SourceZid, id, c.Email, string(c.Mobile)),
			Source:     shop.SourceZid,
			ExternalID: id,
			Name:       strings.TrimSpace(c.Name),
			Email:      strings.TrimSpace(c.Email),
			Phone:      string(c.Mobile),
			UpdatedAt:  updated, // the customer as this order knows them
		}
		if customer.Ref != "" {
			rec.Customer, rec.CustomerRef = &customer, customer.Ref
		}
	}
	if o.Products != nil {
		rec.Items = make([]shop.ItemRecord, 0, len(*o.Products))
		for i, p := range *o.Products {
			qty, err := strconv.Atoi(string(p.Quantity))
			if err != nil || qty < 0 {
				return shop.OrderRecord{}, malformed(fmt.Sprintf("products[%d].quantity", i), fmt.Errorf("%q is not a count", p.Quantity))
			}
			unit, err := p.Price.Money(o.CurrencyCode)
			if err != nil {
				return shop.OrderRecord{}, malformed(fmt.Sprintf("products[%d].price", i), err)
			}
			line, err := p.Total.Money(o.CurrencyCode)
			if err != nil {
				return shop.OrderRecord{}, malformed(fmt.Sprintf("products[%d].total", i), err)
			}
			rec.Items = append(rec.Items, shop.ItemRecord{SKU: strings.TrimSpace(p.SKU), Name: strings.TrimSpace(p.Name), Quantity: qty, UnitPrice: unit, LineTotal: line})
		}
	}
	rec.ShippingAddress = o.address(rec.Customer)
	if s := o.shipment(rec, updated); s != nil {
		rec.Shipments = []shop.ShipmentRecord{*s}
	}
	return rec, nil
}

// address is the shipping address, addressed to the consignee when the
// order has one and to the customer otherwise.
func (o order) address(customer *shop.CustomerRecord) *shop.Address {
	if o.Shipping == nil || o.Shipping.Address == nil {
		return nil
	}
	a := o.Shipping.Address
	addr := &shop.Address{Line: webhooks.JoinNonEmpty(", ", a.Street, a.District)}
	if addr.Line == "" && !placeholder(a.FormattedAddress) {
		addr.Line = strings.TrimSpace(a.FormattedAddress)
	}
	if a.City != nil {
		addr.City = strings.TrimSpace(a.City.Name)
	}
	if a.Country != nil {
		addr.Country = strings.TrimSpace(a.Country.Code)
		if addr.Country == "" {
			addr.Country = strings.TrimSpace(a.Country.Name)
		}
	}
	switch {
	case o.Consignee != nil && truthy(o.HasDifferentConsignee):
		addr.Name, addr.Phone = strings.TrimSpace(o.Consignee.Name), string(o.Consignee.Mobile)
	case customer != nil:
		addr.Name, addr.Phone = customer.Name, customer.Phone
	}
	return addr
}

// shipment is the order's parcel, once the shipping method has a tracking
// number (or a waybill's). Zid gives the parcel no id of its own, so the
// tracking number keys it.
func (o order) shipment(rec shop.OrderRecord, at time.Time) *shop.ShipmentRecord {
	if o.Shipping == nil || o.Shipping.Method == nil {
		return nil
	}
	m := o.Shipping.Method
	var number, link string
	if m.Tracking != nil {
		number, link = string(m.Tracking.Number), m.Tracking.URL
	}
	if placeholder(number) {
		number = string(m.WaybillTrackingID)
	}
	if placeholder(number) {
		return nil
	}
	carrier := strings.TrimSpace(m.Courier)
	if carrier == "" {
		carrier = strings.TrimSpace(m.Name)
	}
	return &shop.ShipmentRecord{
		Ref:             shop.SourceZid + ":tracking:" + number,
		Source:          shop.SourceZid,
		OrderNumber:     rec.Number,
		OrderExternalID: rec.ExternalID,
		Carrier:         carrier,
		TrackingNumber:  number,
		TrackingURL:     webhooks.WebURL(link),
		Status:          shipmentStatus(o.OrderStatus.Code),
		StatusAt:        at,
		UpdatedAt:       at,
	}
}

// parseTime reads Zid's timestamps, "2023-07-04 09:12:36". They are UTC:
// the documents' examples show the same moment as issue_date three hours
// later, in Riyadh time ("2023-09-14 08:33:06" and "14-09-2023 | 11:33").
func parseTime(s string) (time.Time, error) {
	if s = strings.TrimSpace(s); s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.DateTime, time.RFC3339Nano} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unreadable time %q", s)
}

// truthy reads Zid's flags, sent as 1/0, "1"/"0" or true/false.
func truthy(t payload.Text) bool { return t == "1" || t == "true" }

// placeholder reports a value Zid fills in when it has none.
func placeholder(s string) bool {
	s = strings.TrimSpace(s)
	return s == "" || s == "N/A" || s == "null"
}

// Source is the zid receiver for webhooks.Handler.
var Source = webhooks.Source{Name: shop.SourceZid, Verify: Verify, Decode: Decode}
