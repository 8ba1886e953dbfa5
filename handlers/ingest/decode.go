package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"slices"
	"strconv"
	"strings"
	"time"

	"dashapp/db/shop"
	"dashapp/handlers/webhooks"
)

// Record types of a request.
const (
	TypeCustomer = "customer"
	TypeOrder    = "order"
	TypePayment  = "payment"
	TypeShipment = "shipment"
)

// ErrTooManyRecords is returned when a request holds more records than
// the limit: the request is answered 413 and nothing is written.
var ErrTooManyRecords = errors.New("too many records")

// Decoded is a request's records as one batch. The batch groups records
// by type (customers, then orders, payments and shipments), so Request
// maps a record's place in the batch back to its place in the request.
type Decoded struct {
	Batch shop.Batch
	index []int // request index of each batch record, in batch order
}

// Request is the index in the request of the batch's i-th record,
// counting customers, then orders, payments and shipments, as
// shop.RecordError's Index does for a batch.
func (d Decoded) Request(i int) int {
	if i < 0 || i >= len(d.index) {
		return i
	}
	return d.index[i]
}

// NDJSON is the media type of newline-delimited JSON.
const NDJSON = "application/x-ndjson"

// Decode reads a body of typed records: a JSON array, or NDJSON (one
// record a line) when the media type says so or the body starts with "{".
// Any bad record fails the whole request with a *shop.RecordError naming
// the record's index (from 0, in the order sent) and its field.
func Decode(body []byte, contentType string, maxRecords int) (Decoded, error) {
	mediaType, _, _ := mime.ParseMediaType(contentType)
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	array := len(trimmed) > 0 && trimmed[0] == '['
	if mediaType == NDJSON && array {
		return Decoded{}, &shop.RecordError{Index: 0, Err: errors.New("an NDJSON body holds one record a line, not an array")}
	}
	if len(trimmed) == 0 || (trimmed[0] != '[' && trimmed[0] != '{') {
		return Decoded{}, &shop.RecordError{Index: 0, Err: errors.New("want a JSON array of records or NDJSON, one record a line")}
	}
	if d, ok := fastDecode(trimmed, array, maxRecords); ok {
		return d, nil
	}
	return decodeStd(trimmed, array, maxRecords)
}

// decodeStd is Decode through encoding/json: for any body the fast path
// gives up on, and the reference it must agree with.
func decodeStd(trimmed []byte, array bool, maxRecords int) (Decoded, error) {
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields()
	if array {
		if _, err := dec.Token(); err != nil {
			return Decoded{}, &shop.RecordError{Index: 0, Err: err}
		}
	}
	var (
		c   collector
		rec record
	)
	for i := 0; dec.More(); i++ {
		if i >= maxRecords {
			return Decoded{}, fmt.Errorf("more than %d records: %w", maxRecords, ErrTooManyRecords)
		}
		rec = record{}
		if err := dec.Decode(&rec); err != nil {
			return Decoded{}, jsonError(i, err)
		}
		if err := c.add(i, &rec); err != nil {
			return Decoded{}, err
		}
	}
	if array {
		if _, err := dec.Token(); err != nil {
			return Decoded{}, &shop.RecordError{Index: c.n, Err: fmt.Errorf("the array does not end: %v", err)}
		}
	}
	if _, err := dec.Token(); err != io.EOF {
		return Decoded{}, &shop.RecordError{Index: c.n, Err: errors.New("unexpected data after the records")}
	}
	if c.n == 0 {
		return Decoded{}, &shop.RecordError{Index: 0, Err: errors.New("no records")}
	}
	return c.decoded(), nil
}

// jsonError names the field of a JSON error where encoding/json says it.
func jsonError(index int, err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		want := typeErr.Type.String()
		if want == "string" {
			want = "a string (amounts and times are strings: \"149.50\", \"2026-11-01T09:30:00+03:00\")"
		}
		return &shop.RecordError{Index: index, Field: typeErr.Field, Err: fmt.Errorf("got a JSON %s, want %s", typeErr.Value, want)}
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		return &shop.RecordError{Index: index, Field: name, Err: errors.New("unknown field")}
	}
	return &shop.RecordError{Index: index, Err: err}
}

// record is any record of a request: the fields of every type, so that
// one pass of the decoder reads it; add refuses the fields that do not
// belong to its type.
type record struct {
	Type string `json:"type"`

	Ref        string `json:"ref"`
	Name       string `json:"name"`
	Email      string `json:"email"`
	Phone      string `json:"phone"`
	Identifier string `json:"identifier"`
	ContactID  int64  `json:"contact_id"`

	Number          string   `json:"number"`
	ExternalID      string   `json:"external_id"`
	CustomerRef     string   `json:"customer_ref"`
	Status          string   `json:"status"`
	PlatformStatus  string   `json:"platform_status"`
	PaymentStatus   string   `json:"payment_status"`
	Currency        string   `json:"currency"`
	Total           string   `json:"total"`
	PlacedAt        string   `json:"placed_at"`
	ShippingAddress *address `json:"shipping_address"`
	AdminURL        string   `json:"admin_url"`
	CustomerURL     string   `json:"customer_url"`
	Items           *[]item  `json:"items"`

	OrderNumber string `json:"order_number"`
	Kind        string `json:"kind"`
	Method      string `json:"method"`
	CardBrand   string `json:"card_brand"`
	CardLast4   string `json:"card_last4"`
	Amount      string `json:"amount"`
	CreatedAt   string `json:"created_at"`

	Carrier        string `json:"carrier"`
	TrackingNumber string `json:"tracking_number"`
	TrackingURL    string `json:"tracking_url"`
	StatusAt       string `json:"status_at"`

	UpdatedAt string `json:"updated_at"`
}

type address struct {
	Name    string `json:"name"`
	Phone   string `json:"phone"`
	City    string `json:"city"`
	Country string `json:"country"`
	Line    string `json:"line"`
}

type item struct {
	SKU       string `json:"sku"`
	Name      string `json:"name"`
	Quantity  int    `json:"quantity"`
	UnitPrice string `json:"unit_price"`
	LineTotal string `json:"line_total"`
}

// fieldsOf lists the fields each type may carry besides "type".
var fieldsOf = map[string][]string{
	TypeCustomer: {"ref", "name", "email", "phone", "identifier", "contact_id", "updated_at"},
	TypeOrder: {"number", "external_id", "customer_ref", "status", "platform_status", "payment_status", "currency",
		"total", "placed_at", "shipping_address", "admin_url", "customer_url", "items", "updated_at"},
	TypePayment: {"ref", "customer_ref", "order_number", "kind", "method", "card_brand", "card_last4", "status",
		"currency", "amount", "created_at", "updated_at"},
	TypeShipment: {"ref", "order_number", "carrier", "tracking_number", "tracking_url", "status", "status_at", "updated_at"},
}

// foreign is the first field r carries that allowed does not list, or "".
func (r *record) foreign(allowed []string) string {
	fields := []struct {
		name string
		set  bool
	}{
		{"ref", r.Ref != ""}, {"name", r.Name != ""}, {"email", r.Email != ""}, {"phone", r.Phone != ""},
		{"identifier", r.Identifier != ""}, {"contact_id", r.ContactID != 0}, {"number", r.Number != ""},
		{"external_id", r.ExternalID != ""}, {"customer_ref", r.CustomerRef != ""}, {"status", r.Status != ""},
		{"platform_status", r.PlatformStatus != ""}, {"payment_status", r.PaymentStatus != ""},
		{"currency", r.Currency != ""}, {"total", r.Total != ""}, {"placed_at", r.PlacedAt != ""},
		{"shipping_address", r.ShippingAddress != nil}, {"admin_url", r.AdminURL != ""},
		{"customer_url", r.CustomerURL != ""}, {"items", r.Items != nil}, {"order_number", r.OrderNumber != ""},
		{"kind", r.Kind != ""}, {"method", r.Method != ""}, {"card_brand", r.CardBrand != ""},
		{"card_last4", r.CardLast4 != ""}, {"amount", r.Amount != ""}, {"created_at", r.CreatedAt != ""},
		{"carrier", r.Carrier != ""}, {"tracking_number", r.TrackingNumber != ""},
		{"tracking_url", r.TrackingURL != ""}, {"status_at", r.StatusAt != ""}, {"updated_at", r.UpdatedAt != ""},
	}
	for _, f := range fields {
		if f.set && !slices.Contains(allowed, f.name) {
			return f.name
		}
	}
	return ""
}

// collector gathers records by type, remembering where each was sent.
type collector struct {
	batch                      shop.Batch
	customers, orders, pays, s []int
	n                          int
}

func (c *collector) add(i int, r *record) error {
	allowed, ok := fieldsOf[r.Type]
	if !ok {
		return &shop.RecordError{Index: i, Field: "type", Err: fmt.Errorf("%q is not customer, order, payment or shipment", r.Type)}
	}
	if name := r.foreign(allowed); name != "" {
		return &shop.RecordError{Index: i, Field: name, Err: fmt.Errorf("not a field of a %s record", r.Type)}
	}
	v := validator{index: i, item: -1}
	switch r.Type {
	case TypeCustomer:
		rec := v.customer(r)
		if v.err == nil {
			c.batch.Customers, c.customers = append(c.batch.Customers, rec), append(c.customers, i)
		}
	case TypeOrder:
		rec := v.order(r)
		if v.err == nil {
			c.batch.Orders, c.orders = append(c.batch.Orders, rec), append(c.orders, i)
		}
	case TypePayment:
		rec := v.payment(r)
		if v.err == nil {
			c.batch.Payments, c.pays = append(c.batch.Payments, rec), append(c.pays, i)
		}
	case TypeShipment:
		rec := v.shipment(r)
		if v.err == nil {
			c.batch.Shipments, c.s = append(c.batch.Shipments, rec), append(c.s, i)
		}
	}
	if v.err != nil {
		return v.err
	}
	c.n++
	return nil
}

// append adds the records of o, which were sent after c's, to c.
func (c *collector) append(o *collector) {
	shift := func(dst, src []int) []int {
		for _, i := range src {
			dst = append(dst, c.n+i)
		}
		return dst
	}
	c.batch.Customers, c.customers = append(c.batch.Customers, o.batch.Customers...), shift(c.customers, o.customers)
	c.batch.Orders, c.orders = append(c.batch.Orders, o.batch.Orders...), shift(c.orders, o.orders)
	c.batch.Payments, c.pays = append(c.batch.Payments, o.batch.Payments...), shift(c.pays, o.pays)
	c.batch.Shipments, c.s = append(c.batch.Shipments, o.batch.Shipments...), shift(c.s, o.s)
	c.n += o.n
}

func (c *collector) decoded() Decoded {
	index := make([]int, 0, c.n)
	index = append(append(append(append(index, c.customers...), c.orders...), c.pays...), c.s...)
	return Decoded{Batch: c.batch, index: index}
}

// validator checks one record's fields, keeping the first error.
type validator struct {
	index int
	item  int // the item being checked, -1 for the record's own fields
	err   error
}

func (v *validator) fail(field string, err error) {
	if v.err != nil {
		return
	}
	if v.item >= 0 { // named only on failure: a name for every field of every item costs more than the check
		field = "items[" + strconv.Itoa(v.item) + "]." + field
	}
	v.err = &shop.RecordError{Index: v.index, Field: field, Err: err}
}

func (v *validator) required(field, value string) string {
	value = strings.TrimSpace(value)
	if value == "" {
		v.fail(field, errors.New("required"))
	}
	return value
}

func (v *validator) oneOf(field, value string, allowed []string, optional bool) string {
	if (value == "" && optional) || slices.Contains(allowed, value) {
		return value
	}
	v.fail(field, fmt.Errorf("%q is not one of %s", value, strings.Join(allowed, ", ")))
	return value
}

func (v *validator) time(field, value string, required bool) time.Time {
	if value == "" {
		if required {
			v.fail(field, errors.New("required"))
		}
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, value)
	if err != nil {
		v.fail(field, fmt.Errorf("%q is not an RFC 3339 time such as 2026-11-01T09:30:00+03:00", value))
	}
	return t
}

func (v *validator) money(field, value, currency string) shop.Money {
	if value == "" {
		v.fail(field, errors.New("required"))
		return shop.Money{}
	}
	m, err := shop.ParseAmount(value, currency)
	if err != nil {
		v.fail(field, err)
	}
	return m
}

// link keeps a URL only if it is http(s): it becomes an href in the panel.
func (v *validator) link(field, value string) string {
	if value != "" && webhooks.WebURL(value) == "" {
		v.fail(field, fmt.Errorf("%q is not an http(s) URL", value))
	}
	return strings.TrimSpace(value)
}

// orderStatuses is every canonical order status.
var orderStatuses = func() []string {
	all := slices.Clone(shop.OrderStatuses)
	for _, s := range []string{shop.OrderOnHold, shop.OrderPartiallyRefunded, shop.OrderReturned} {
		if !slices.Contains(all, s) {
			all = append(all, s)
		}
	}
	return all
}()

func (v *validator) customer(r *record) shop.CustomerRecord {
	if r.ContactID < 0 {
		v.fail("contact_id", errors.New("must not be negative"))
	}
	return shop.CustomerRecord{
		Ref:        v.required("ref", r.Ref),
		Source:     shop.SourceAPI,
		Name:       strings.TrimSpace(r.Name),
		Email:      strings.TrimSpace(r.Email),
		Phone:      strings.TrimSpace(r.Phone),
		Identifier: strings.TrimSpace(r.Identifier),
		ContactID:  r.ContactID,
		UpdatedAt:  v.time("updated_at", r.UpdatedAt, false),
	}
}

func (v *validator) order(r *record) shop.OrderRecord {
	currency := v.required("currency", r.Currency)
	o := shop.OrderRecord{
		Number:         v.required("number", r.Number),
		Source:         shop.SourceAPI,
		ExternalID:     strings.TrimSpace(r.ExternalID),
		CustomerRef:    v.required("customer_ref", r.CustomerRef),
		Status:         v.oneOf("status", r.Status, orderStatuses, false),
		PlatformStatus: strings.TrimSpace(r.PlatformStatus),
		PaymentStatus:  v.oneOf("payment_status", r.PaymentStatus, shop.OrderPaymentStatuses, true),
		Total:          v.money("total", r.Total, currency),
		PlacedAt:       v.time("placed_at", r.PlacedAt, true),
		UpdatedAt:      v.time("updated_at", r.UpdatedAt, false),
		AdminURL:       v.link("admin_url", r.AdminURL),
		CustomerURL:    v.link("customer_url", r.CustomerURL),
	}
	if a := r.ShippingAddress; a != nil {
		o.ShippingAddress = &shop.Address{Name: strings.TrimSpace(a.Name), Phone: strings.TrimSpace(a.Phone),
			City: strings.TrimSpace(a.City), Country: strings.TrimSpace(a.Country), Line: strings.TrimSpace(a.Line)}
	}
	if r.Items != nil {
		o.Items = make([]shop.ItemRecord, 0, len(*r.Items))
		for j, it := range *r.Items {
			v.item = j
			if it.Quantity <= 0 {
				v.fail("quantity", errors.New("must be at least 1"))
			}
			unit := v.money("unit_price", it.UnitPrice, currency)
			line := shop.Money{Minor: unit.Minor * int64(it.Quantity), Currency: unit.Currency}
			if it.LineTotal != "" {
				line = v.money("line_total", it.LineTotal, currency)
			}
			o.Items = append(o.Items, shop.ItemRecord{SKU: strings.TrimSpace(it.SKU), Name: v.required("name", it.Name),
				Quantity: it.Quantity, UnitPrice: unit, LineTotal: line})
		}
		v.item = -1
	}
	return o
}

func (v *validator) payment(r *record) shop.PaymentRecord {
	currency := v.required("currency", r.Currency)
	return shop.PaymentRecord{
		Ref:         v.required("ref", r.Ref),
		Source:      shop.SourceAPI,
		CustomerRef: v.required("customer_ref", r.CustomerRef),
		OrderNumber: strings.TrimSpace(r.OrderNumber),
		Kind:        v.oneOf("kind", r.Kind, []string{shop.KindCharge, shop.KindRefund}, false),
		Method:      strings.TrimSpace(r.Method),
		CardBrand:   strings.TrimSpace(r.CardBrand),
		CardLast4:   strings.TrimSpace(r.CardLast4),
		Status:      v.oneOf("status", r.Status, []string{shop.PaymentSucceeded, shop.PaymentFailed, shop.PaymentPending}, false),
		Amount:      v.money("amount", r.Amount, currency),
		CreatedAt:   v.time("created_at", r.CreatedAt, true),
		UpdatedAt:   v.time("updated_at", r.UpdatedAt, false),
	}
}

func (v *validator) shipment(r *record) shop.ShipmentRecord {
	return shop.ShipmentRecord{
		Ref:            v.required("ref", r.Ref),
		Source:         shop.SourceAPI,
		OrderNumber:    v.required("order_number", r.OrderNumber),
		Carrier:        strings.TrimSpace(r.Carrier),
		TrackingNumber: strings.TrimSpace(r.TrackingNumber),
		TrackingURL:    v.link("tracking_url", r.TrackingURL),
		Status:         v.oneOf("status", r.Status, shop.ShipmentStatuses, false),
		StatusAt:       v.time("status_at", r.StatusAt, false),
		UpdatedAt:      v.time("updated_at", r.UpdatedAt, false),
	}
}
