// Package salla reads Salla's webhook deliveries (docs.salla.dev, "Webhooks"
// doc-421119 and "Webhooks - Store Events"): it checks either of Salla's two
// security strategies and maps order, shipment and customer events to
// dashapp's shop records.
package salla

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Salla names the zone of its dates (Asia/Riyadh)

	"dashapp/db/shop"
	"dashapp/handlers/webhooks"
	"dashapp/handlers/webhooks/payload"
)

// Header names Salla sends with each delivery.
const (
	HeaderStrategy  = "X-Salla-Security-Strategy"
	HeaderSignature = "X-Salla-Signature"
	HeaderAuth      = "Authorization"
)

// Security strategies a Salla webhook is registered with.
const (
	StrategySignature = "Signature"
	StrategyToken     = "Token"
)

// Verify checks a delivery against the webhook's secret. With the
// Signature strategy (Salla's default) X-Salla-Signature is the hex
// HMAC-SHA256 of the raw body; with the Token strategy Authorization is
// "Bearer <secret>". A delivery that names no strategy is checked by the
// credential it carries: its signature if it has one, else its token;
// either way it must match the secret. Both comparisons take constant time.
func Verify(secret string, header func(string) string, body []byte) error {
	if secret == "" {
		return fmt.Errorf("salla: no secret configured: %w", webhooks.ErrUnauthorized)
	}
	strategy := strings.TrimSpace(header(HeaderStrategy))
	if strategy == "" && header(HeaderSignature) == "" && header(HeaderAuth) != "" {
		strategy = StrategyToken
	}
	switch {
	case strategy == "" || strings.EqualFold(strategy, StrategySignature):
		return verifySignature(secret, header(HeaderSignature), body)
	case strings.EqualFold(strategy, StrategyToken):
		return verifyToken(secret, header(HeaderAuth))
	}
	return fmt.Errorf("salla: unknown security strategy: %w", webhooks.ErrUnauthorized)
}

func verifySignature(secret, signature string, body []byte) error {
	got, err := hex.DecodeString(strings.TrimSpace(signature))
	if signature == "" || err != nil {
		return fmt.Errorf("salla: missing or unreadable %s: %w", HeaderSignature, webhooks.ErrUnauthorized)
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return fmt.Errorf("salla: signature does not match: %w", webhooks.ErrUnauthorized)
	}
	return nil
}

func verifyToken(secret, authorization string) error {
	token, ok := strings.CutPrefix(strings.TrimSpace(authorization), "Bearer ")
	// Hashing both sides first makes the comparison's time independent of
	// the token's length as well as its content.
	want, got := sha256.Sum256([]byte(secret)), sha256.Sum256([]byte(strings.TrimSpace(token)))
	if !ok || subtle.ConstantTimeCompare(want[:], got[:]) != 1 {
		return fmt.Errorf("salla: token does not match: %w", webhooks.ErrUnauthorized)
	}
	return nil
}

// Events dashapp reads. Every order event carries the whole order (the
// "Orders Webhook Events Model"); order.status.updated nests it under
// data.order. Shipment events carry one shipment, customer events one
// customer.
var (
	orderEvents = map[string]bool{
		"order.created": true, "order.updated": true, "order.status.updated": true,
		"order.payment.updated": true, "order.products.updated": true, "order.total.price.updated": true,
		"order.coupon.updated": true, "order.cancelled": true, "order.refunded": true,
		"order.shipment.created": true, "order.shipment.return.created": true,
	}
	shipmentEvents = map[string]bool{"shipment.created": true, "shipment.updated": true, "shipment.cancelled": true}
	customerEvents = map[string]bool{"customer.created": true, "customer.updated": true}
)

// Decode maps a delivery to records. Salla sends no delivery id, so the
// delivery is identified by merchant, event and a SHA-256 of the raw body,
// as Salla's own webhook guide advises: a retry repeats the same bytes.
func Decode(header func(string) string, body []byte) (shop.Delivery, shop.Batch, error) {
	delivery := shop.Delivery{Source: shop.SourceSalla}
	var env struct {
		Event     string          `json:"event"`
		Merchant  payload.Text    `json:"merchant"`
		CreatedAt string          `json:"created_at"`
		Data      json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return delivery, shop.Batch{}, malformed("body", err)
	}
	delivery.Topic = env.Event
	sum := sha256.Sum256(body)
	delivery.ID = string(env.Merchant) + ":" + env.Event + ":" + hex.EncodeToString(sum[:16])
	if env.Event == "" {
		return delivery, shop.Batch{}, malformed("event", errors.New("missing"))
	}
	at, err := parseEventTime(env.CreatedAt)
	if err != nil {
		return delivery, shop.Batch{}, malformed("created_at", err)
	}
	var batch shop.Batch
	switch {
	case orderEvents[env.Event]:
		o, err := decodeOrder(env.Data, at)
		if err != nil {
			return delivery, shop.Batch{}, err
		}
		batch.Orders = []shop.OrderRecord{o}
	case shipmentEvents[env.Event]:
		s, err := decodeShipmentEvent(env.Data, at)
		if err != nil {
			return delivery, shop.Batch{}, err
		}
		batch.Shipments = []shop.ShipmentRecord{s}
	case customerEvents[env.Event]:
		var c customer
		if err := json.Unmarshal(env.Data, &c); err != nil {
			return delivery, shop.Batch{}, malformed("data", err)
		}
		rec := c.record(at)
		if rec.Ref == "" {
			return delivery, shop.Batch{}, malformed("data.id", errors.New("a customer needs an id, an email or a mobile"))
		}
		batch.Customers = []shop.CustomerRecord{rec}
	default:
		return delivery, shop.Batch{}, fmt.Errorf("salla: event %q: %w", env.Event, webhooks.ErrUnknownTopic)
	}
	return delivery, batch, nil
}

func malformed(field string, err error) error {
	return fmt.Errorf("salla: %s: %v: %w", field, err, webhooks.ErrMalformed)
}

// amount is one of Salla's money values: a bare number in the order's
// currency (196) or an object ({"amount": 196, "currency": "SAR"}).
type amount struct {
	Amount   payload.Decimal
	Currency string
}

func (a *amount) UnmarshalJSON(b []byte) error {
	if t := strings.TrimSpace(string(b)); strings.HasPrefix(t, "{") {
		var o struct {
			Amount   payload.Decimal `json:"amount"`
			Currency string          `json:"currency"`
		}
		if err := json.Unmarshal(b, &o); err != nil {
			return err
		}
		*a = amount{Amount: o.Amount, Currency: o.Currency}
		return nil
	}
	return a.Amount.UnmarshalJSON(b)
}

// money is a in its own currency, else the order's.
func (a amount) money(orderCurrency string) (shop.Money, error) {
	code := a.Currency
	if code == "" {
		code = orderCurrency
	}
	return a.Amount.Money(code)
}

// date is Salla's date object, {"date": "2022-06-26 12:21:45.000000",
// "timezone": "Asia/Riyadh"}; some payloads send a plain string.
type date struct{ time.Time }

func (d *date) UnmarshalJSON(b []byte) error {
	var o struct {
		Date     string `json:"date"`
		Timezone string `json:"timezone"`
	}
	switch t := strings.TrimSpace(string(b)); {
	case t == "null" || t == `""`:
		return nil
	case strings.HasPrefix(t, `"`):
		if err := json.Unmarshal(b, &o.Date); err != nil {
			return err
		}
	default:
		if err := json.Unmarshal(b, &o); err != nil {
			return err
		}
	}
	loc := time.UTC
	if o.Timezone != "" {
		l, err := time.LoadLocation(o.Timezone)
		if err != nil {
			return fmt.Errorf("unknown time zone %q", o.Timezone)
		}
		loc = l
	}
	if o.Date == "" {
		return nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05.999999", time.RFC3339Nano} {
		if t, err := time.ParseInLocation(layout, o.Date, loc); err == nil {
			d.Time = t
			return nil
		}
	}
	return fmt.Errorf("unreadable date %q", o.Date)
}

// parseEventTime reads the envelope's created_at, which Salla writes as a
// JavaScript date ("Sun Jun 26 2022 12:21:48 GMT+0300") or in RFC 3339.
func parseEventTime(s string) (time.Time, error) {
	if s = strings.TrimSpace(s); s == "" {
		return time.Time{}, nil
	}
	if i := strings.Index(s, " ("); i > 0 { // "… GMT+0300 (Arabia Standard Time)"
		s = s[:i]
	}
	for _, layout := range []string{"Mon Jan 02 2006 15:04:05 GMT-0700", time.RFC3339Nano, "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("unreadable time %q", s)
}

type status struct {
	Name       string `json:"name"`
	Slug       string `json:"slug"`
	Customized *struct {
		Name string `json:"name"`
	} `json:"customized"`
}

// UnmarshalJSON also takes a bare label, as the status.updated event's own
// status field is sent: a label with no slug.
func (s *status) UnmarshalJSON(b []byte) error {
	if t := strings.TrimSpace(string(b)); strings.HasPrefix(t, `"`) {
		*s = status{}
		return json.Unmarshal(b, &s.Name)
	}
	type plain status
	return json.Unmarshal(b, (*plain)(s))
}

// label is the merchant's own name for the status.
func (s status) label() string {
	if s.Customized != nil && strings.TrimSpace(s.Customized.Name) != "" {
		return strings.TrimSpace(s.Customized.Name)
	}
	return strings.TrimSpace(s.Name)
}

type customer struct {
	ID         payload.Text `json:"id"`
	FirstName  string       `json:"first_name"`
	LastName   string       `json:"last_name"`
	Name       string       `json:"name"`
	Mobile     payload.Text `json:"mobile"`
	MobileCode payload.Text `json:"mobile_code"`
	Email      string       `json:"email"`
	UpdatedAt  date         `json:"updated_at"`
}

// record maps a customer; fallback is when the event happened, for a
// customer that carries no updated_at of its own.
func (c customer) record(fallback time.Time) shop.CustomerRecord {
	phone := payload.Phone(string(c.MobileCode), string(c.Mobile))
	name := webhooks.JoinNonEmpty(" ", c.FirstName, c.LastName)
	if name == "" {
		name = strings.TrimSpace(c.Name)
	}
	id := string(c.ID)
	if id == "0" {
		id = ""
	}
	updated := c.UpdatedAt.Time
	if updated.IsZero() {
		updated = fallback
	}
	return shop.CustomerRecord{
		Ref:        payload.CustomerRef(shop.SourceSalla, id, c.Email, phone),
		Source:     shop.SourceSalla,
		ExternalID: id,
		Name:       name,
		Email:      strings.TrimSpace(c.Email),
		Phone:      phone,
		UpdatedAt:  updated,
	}
}

type item struct {
	Name     string       `json:"name"`
	SKU      string       `json:"sku"`
	Quantity payload.Text `json:"quantity"`
	Amounts  struct {
		PriceWithoutTax amount `json:"price_without_tax"`
		Total           amount `json:"total"`
	} `json:"amounts"`
}

type address struct {
	Country         string `json:"country"`
	CountryCode     string `json:"country_code"`
	City            string `json:"city"`
	ShippingAddress string `json:"shipping_address"`
	StreetNumber    string `json:"street_number"`
	Block           string `json:"block"`
	PostalCode      string `json:"postal_code"`
}

type shipment struct {
	ID             payload.Text `json:"id"`
	OrderID        payload.Text `json:"order_id"`
	OrderReference payload.Text `json:"order_reference_id"`
	Type           string       `json:"type"`
	CourierName    string       `json:"courier_name"`
	TrackingNumber payload.Text `json:"tracking_number"`
	ShippingNumber payload.Text `json:"shipping_number"`
	TrackingLink   string       `json:"tracking_link"`
	Status         string       `json:"status"`
	CreatedAt      date         `json:"created_at"`
}

type order struct {
	ID          payload.Text `json:"id"`
	ReferenceID payload.Text `json:"reference_id"`
	URLs        struct {
		Customer string `json:"customer"`
		Admin    string `json:"admin"`
	} `json:"urls"`
	Date             date   `json:"date"`
	Status           status `json:"status"`
	PaymentMethod    string `json:"payment_method"`
	IsPendingPayment bool   `json:"is_pending_payment"`
	Currency         string `json:"currency"`
	Amounts          struct {
		Total amount `json:"total"`
	} `json:"amounts"`
	Shipping *struct {
		Company  string `json:"company"`
		Receiver struct {
			Name  string       `json:"name"`
			Phone payload.Text `json:"phone"`
		} `json:"receiver"`
		Address  *address `json:"address"`
		Shipment *struct {
			ID           payload.Text `json:"id"`
			TrackingLink string       `json:"tracking_link"`
		} `json:"shipment"`
	} `json:"shipping"`
	Shipments []shipment `json:"shipments"`
	Customer  *customer  `json:"customer"`
	Items     *[]item    `json:"items"`
}

// decodeOrder maps the order of an order event. at is when the event
// happened: Salla's order model has no updated_at, and the event time is
// what orders one delivery after another.
func decodeOrder(data json.RawMessage, at time.Time) (shop.OrderRecord, error) {
	var o order
	// order.status.updated wraps the order: {id, status, note, created_at, order}.
	var wrapped struct {
		Order     *json.RawMessage `json:"order"`
		CreatedAt date             `json:"created_at"`
	}
	if err := json.Unmarshal(data, &wrapped); err != nil {
		return shop.OrderRecord{}, malformed("data", err)
	}
	if wrapped.Order != nil {
		data = *wrapped.Order
		if at.IsZero() {
			at = wrapped.CreatedAt.Time
		}
	}
	if err := json.Unmarshal(data, &o); err != nil {
		return shop.OrderRecord{}, malformed("data", err)
	}
	if o.ID == "" || o.ReferenceID == "" {
		return shop.OrderRecord{}, malformed("data.reference_id", errors.New("an order needs its id and reference_id"))
	}
	currency := o.Currency
	if currency == "" {
		currency = o.Amounts.Total.Currency
	}
	total, err := o.Amounts.Total.money(currency)
	if err != nil {
		return shop.OrderRecord{}, malformed("data.amounts.total", err)
	}
	if at.IsZero() {
		at = o.Date.Time
	}
	slug := strings.TrimSpace(o.Status.Slug)
	rec := shop.OrderRecord{
		Number:         string(o.ReferenceID),
		Source:         shop.SourceSalla,
		ExternalID:     string(o.ID),
		Status:         orderStatus(slug),
		PlatformStatus: o.Status.label(),
		PaymentStatus:  paymentStatus(slug, o.PaymentMethod, o.IsPendingPayment),
		Total:          total,
		PlacedAt:       o.Date.Time,
		UpdatedAt:      at,
		AdminURL:       webhooks.WebURL(o.URLs.Admin),
		CustomerURL:    webhooks.WebURL(o.URLs.Customer),
	}
	if o.Customer != nil {
		if c := o.Customer.record(at); c.Ref != "" {
			rec.Customer, rec.CustomerRef = &c, c.Ref
		}
	}
	if o.Items != nil {
		rec.Items = make([]shop.ItemRecord, 0, len(*o.Items))
		for i, it := range *o.Items {
			item, err := it.record(currency)
			if err != nil {
				return shop.OrderRecord{}, malformed(fmt.Sprintf("data.items[%d]", i), err)
			}
			rec.Items = append(rec.Items, item)
		}
	}
	if s := o.Shipping; s != nil {
		if a := s.Address; a != nil {
			country := a.CountryCode
			if country == "" {
				country = a.Country
			}
			line := strings.TrimSpace(a.ShippingAddress)
			if line == "" {
				line = webhooks.JoinNonEmpty(", ", a.StreetNumber, a.Block, a.PostalCode)
			}
			rec.ShippingAddress = &shop.Address{
				Name: strings.TrimSpace(s.Receiver.Name), Phone: string(s.Receiver.Phone),
				City: strings.TrimSpace(a.City), Country: strings.TrimSpace(country), Line: line,
			}
		}
	}
	for _, s := range o.Shipments {
		rec.Shipments = append(rec.Shipments, s.record(rec.Number, rec.ExternalID, at))
	}
	if legacy := legacyShipment(o, slug, at); legacy != nil && len(rec.Shipments) == 0 {
		rec.Shipments = []shop.ShipmentRecord{*legacy}
	}
	return rec, nil
}

// legacyShipment is the single shipment of shipping.shipment, which older
// payloads use instead of shipments[]; Salla writes "0" there when there
// is none.
func legacyShipment(o order, slug string, at time.Time) *shop.ShipmentRecord {
	if o.Shipping == nil || o.Shipping.Shipment == nil {
		return nil
	}
	id := string(o.Shipping.Shipment.ID)
	if id == "" || id == "0" {
		return nil
	}
	return &shop.ShipmentRecord{
		Ref:             shop.SourceSalla + ":" + id,
		Source:          shop.SourceSalla,
		OrderNumber:     string(o.ReferenceID),
		OrderExternalID: string(o.ID),
		Carrier:         strings.TrimSpace(o.Shipping.Company),
		TrackingNumber:  id,
		TrackingURL:     webhooks.WebURL(o.Shipping.Shipment.TrackingLink),
		Status:          shipmentFromOrder(slug),
		StatusAt:        at,
		UpdatedAt:       at,
	}
}

func (it item) record(currency string) (shop.ItemRecord, error) {
	qty, err := strconv.Atoi(string(it.Quantity))
	if err != nil || qty < 0 {
		return shop.ItemRecord{}, fmt.Errorf("quantity %q is not a count", it.Quantity)
	}
	unit, err := it.Amounts.PriceWithoutTax.money(currency)
	if err != nil {
		return shop.ItemRecord{}, fmt.Errorf("price_without_tax: %w", err)
	}
	line, err := it.Amounts.Total.money(currency)
	if err != nil {
		return shop.ItemRecord{}, fmt.Errorf("total: %w", err)
	}
	return shop.ItemRecord{SKU: strings.TrimSpace(it.SKU), Name: strings.TrimSpace(it.Name), Quantity: qty, UnitPrice: unit, LineTotal: line}, nil
}

func (s shipment) record(orderNumber, orderID string, at time.Time) shop.ShipmentRecord {
	tracking := string(s.TrackingNumber)
	if tracking == "" {
		tracking = string(s.ShippingNumber)
	}
	statusAt := at
	if statusAt.IsZero() {
		statusAt = s.CreatedAt.Time
	}
	return shop.ShipmentRecord{
		Ref:             shop.SourceSalla + ":" + string(s.ID),
		Source:          shop.SourceSalla,
		OrderNumber:     orderNumber,
		OrderExternalID: orderID,
		Carrier:         strings.TrimSpace(s.CourierName),
		TrackingNumber:  tracking,
		TrackingURL:     webhooks.WebURL(s.TrackingLink),
		Status:          shipmentStatus(s.Type, strings.TrimSpace(s.Status)),
		StatusAt:        statusAt,
		UpdatedAt:       at,
	}
}

// decodeShipmentEvent maps a shipment.* event: one shipment naming its
// order by id and reference.
func decodeShipmentEvent(data json.RawMessage, at time.Time) (shop.ShipmentRecord, error) {
	var s shipment
	if err := json.Unmarshal(data, &s); err != nil {
		return shop.ShipmentRecord{}, malformed("data", err)
	}
	if s.ID == "" || (s.OrderID == "" && s.OrderReference == "") {
		return shop.ShipmentRecord{}, malformed("data.id", errors.New("a shipment needs its id and its order's id"))
	}
	return s.record(string(s.OrderReference), string(s.OrderID), at), nil
}

// Source is the salla receiver for webhooks.Handler.
var Source = webhooks.Source{Name: shop.SourceSalla, Verify: Verify, Decode: Decode}
