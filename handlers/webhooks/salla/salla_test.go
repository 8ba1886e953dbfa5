package salla

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"dashapp/db/shop"
	"dashapp/handlers/webhooks"
	"dashapp/handlers/webhooks/webhookstest"
)

const secret = "salla-webhook-secret"

// Known answers, computed outside Go (see testdata/README.md):
//
//	openssl dgst -sha256 -hmac 'salla-webhook-secret' testdata/order_created.json
//	openssl dgst -sha256 -hmac 'salla-webhook-secret' testdata/shipment_updated.json
const (
	sigOrderCreated    = "4f48a137a357d0e81286e7122d6c9eba07989167ef411ae22f249969c1dc3e1d"
	sigShipmentUpdated = "bc764723820b8c848719776247219ed377efe624402b6a6b42f0199b5cfff318"
)

func fixture(t testing.TB, name string) []byte { return webhookstest.Fixture(t, name) }

func headers(kv ...string) func(string) string {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h.Get
}

func TestVerify(t *testing.T) {
	order, ship := fixture(t, "order_created.json"), fixture(t, "shipment_updated.json")
	tampered := bytes.Replace(order, []byte(`"amount": 196`), []byte(`"amount": 1`), 1)
	if bytes.Equal(tampered, order) {
		t.Fatal("the tampered body is unchanged")
	}
	tests := []struct {
		name   string
		secret string
		header func(string) string
		body   []byte
		ok     bool
	}{
		{"signature, known answer", secret, headers(HeaderStrategy, "Signature", HeaderSignature, sigOrderCreated), order, true},
		{"signature, second known answer", secret, headers(HeaderStrategy, "Signature", HeaderSignature, sigShipmentUpdated), ship, true},
		{"signature in upper case hex", secret, headers(HeaderStrategy, "Signature", HeaderSignature, upper(sigOrderCreated)), order, true},
		{"no strategy header: Salla's default, Signature", secret, headers(HeaderSignature, sigOrderCreated), order, true},
		{"no strategy header, a token", secret, headers(HeaderAuth, "Bearer "+secret), order, true},
		{"no strategy header, a wrong token", secret, headers(HeaderAuth, "Bearer nope"), order, false},
		{"no strategy header, a wrong signature beside a right token", secret, headers(HeaderSignature, sigShipmentUpdated, HeaderAuth, "Bearer "+secret), order, false},
		{"no strategy header, nothing", secret, headers(), order, false},
		{"signature of another body", secret, headers(HeaderStrategy, "Signature", HeaderSignature, sigShipmentUpdated), order, false},
		{"body changed after signing", secret, headers(HeaderStrategy, "Signature", HeaderSignature, sigOrderCreated), tampered, false},
		{"wrong secret", "another-secret", headers(HeaderStrategy, "Signature", HeaderSignature, sigOrderCreated), order, false},
		{"missing signature header", secret, headers(HeaderStrategy, "Signature"), order, false},
		{"signature not hex", secret, headers(HeaderStrategy, "Signature", HeaderSignature, "zz"+sigOrderCreated[2:]), order, false},
		{"signature truncated", secret, headers(HeaderStrategy, "Signature", HeaderSignature, sigOrderCreated[:62]), order, false},
		{"token strategy", secret, headers(HeaderStrategy, "Token", HeaderAuth, "Bearer "+secret), order, true},
		{"token strategy, wrong token", secret, headers(HeaderStrategy, "Token", HeaderAuth, "Bearer "+secret+"x"), order, false},
		{"token strategy, token prefix only", secret, headers(HeaderStrategy, "Token", HeaderAuth, "Bearer "+secret[:5]), order, false},
		{"token strategy, no Bearer scheme", secret, headers(HeaderStrategy, "Token", HeaderAuth, secret), order, false},
		{"token strategy, missing Authorization", secret, headers(HeaderStrategy, "Token"), order, false},
		{"token strategy but only a signature sent", secret, headers(HeaderStrategy, "Token", HeaderSignature, sigOrderCreated), order, false},
		{"signature strategy but only a token sent", secret, headers(HeaderStrategy, "Signature", HeaderAuth, "Bearer "+secret), order, false},
		{"unknown strategy", secret, headers(HeaderStrategy, "Basic", HeaderSignature, sigOrderCreated, HeaderAuth, "Bearer "+secret), order, false},
		{"no secret configured", "", headers(HeaderStrategy, "Token", HeaderAuth, "Bearer "), order, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(tt.secret, tt.header, tt.body)
			if tt.ok && err != nil {
				t.Fatalf("Verify: %v, want nil", err)
			}
			if !tt.ok && !errors.Is(err, webhooks.ErrUnauthorized) {
				t.Fatalf("Verify: %v, want ErrUnauthorized", err)
			}
		})
	}
}

func upper(s string) string { return string(bytes.ToUpper([]byte(s))) }

func riyadh(t testing.TB, s string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Riyadh")
	if err != nil {
		t.Fatal(err)
	}
	at, err := time.ParseInLocation(time.DateTime, s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

func decodeOK(t *testing.T, body []byte) (shop.Delivery, shop.Batch) {
	t.Helper()
	d, b, err := Decode(headers(), body)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	return d, b
}

func TestDecodeOrderCreated(t *testing.T) {
	body := fixture(t, "order_created.json")
	d, b := decodeOK(t, body)
	if d.Source != shop.SourceSalla || d.Topic != "order.created" || d.ID == "" {
		t.Errorf("delivery = %+v", d)
	}
	if len(b.Orders) != 1 || b.Len() != 1 {
		t.Fatalf("batch = %+v, want one order", b)
	}
	o := b.Orders[0]
	placed := riyadh(t, "2022-06-26 12:21:45")
	event := time.Date(2022, 6, 26, 9, 21, 48, 0, time.UTC)
	want := shop.OrderRecord{
		Number:         "41027662",
		Source:         shop.SourceSalla,
		ExternalID:     "2116149737",
		CustomerRef:    "salla:225167971",
		Status:         shop.OrderPending,
		PlatformStatus: "بإنتظار المراجعة",
		PaymentStatus:  "", // a bank transfer under review: not known yet
		Total:          shop.Money{Minor: 19600, Currency: "SAR"},
		AdminURL:       "https://s.salla.sa/orders/order/DXZbOz68qjnYaOw04oBa35wVELBpJyxo",
		CustomerURL:    "https://salla.sa/dev-wofftr4xsra5xtlv/order/DXZbOz68qjnYaOw04oBa35wVELBpJyxo",
		ShippingAddress: &shop.Address{
			Name: "Mohammed Ali", Phone: "999123456789", City: "جدة", Country: "SA",
			Line: "شارع ابو امية الضمري، الحي الزهراء ،, جدة, السعودية",
		},
		Items: []shop.ItemRecord{{
			SKU: "54534534", Name: "بيتزا", Quantity: 1,
			UnitPrice: shop.Money{Minor: 18600, Currency: "SAR"}, LineTotal: shop.Money{Minor: 18600, Currency: "SAR"},
		}},
		Shipments: []shop.ShipmentRecord{{
			Ref: "salla:649964784", Source: shop.SourceSalla, OrderNumber: "41027662", OrderExternalID: "2116149737",
			Carrier: "أوتو", Status: shop.ShipmentLabelCreated,
		}},
	}
	if !o.PlacedAt.Equal(placed) {
		t.Errorf("PlacedAt = %v, want %v", o.PlacedAt, placed)
	}
	if !o.UpdatedAt.Equal(event) {
		t.Errorf("UpdatedAt = %v, want the event's time %v", o.UpdatedAt, event)
	}
	if o.Customer == nil {
		t.Fatal("no customer")
	}
	c := *o.Customer
	if c.Ref != "salla:225167971" || c.ExternalID != "225167971" || c.Name != "Mohammed Ali" ||
		c.Email != "usertest@gmail.com" || c.Phone != "+966501806978" || c.Source != shop.SourceSalla {
		t.Errorf("customer = %+v", c)
	}
	if !c.UpdatedAt.Equal(riyadh(t, "2022-06-22 10:20:14")) {
		t.Errorf("customer UpdatedAt = %v", c.UpdatedAt)
	}
	for i := range o.Shipments {
		if !o.Shipments[i].UpdatedAt.Equal(event) || !o.Shipments[i].StatusAt.Equal(event) {
			t.Errorf("shipment %d times = %v, %v", i, o.Shipments[i].StatusAt, o.Shipments[i].UpdatedAt)
		}
		o.Shipments[i].UpdatedAt, o.Shipments[i].StatusAt = time.Time{}, time.Time{}
	}
	o.Customer, o.PlacedAt, o.UpdatedAt = nil, time.Time{}, time.Time{}
	assertJSON(t, o, want)
}

// assertJSON compares through JSON, so that a difference prints readably.
func assertJSON(t *testing.T, got, want any) {
	t.Helper()
	g, _ := json.MarshalIndent(got, "", " ")
	w, _ := json.MarshalIndent(want, "", " ")
	if !bytes.Equal(g, w) {
		t.Errorf("got\n%s\nwant\n%s", g, w)
	}
}

func TestDecodeOrderStatusUpdated(t *testing.T) {
	d, b := decodeOK(t, fixture(t, "order_status_updated.json"))
	if d.Topic != "order.status.updated" || len(b.Orders) != 1 {
		t.Fatalf("delivery %+v, batch %+v", d, b)
	}
	o := b.Orders[0]
	if o.Number != "42264" || o.ExternalID != "629263027" {
		t.Errorf("number %q, id %q", o.Number, o.ExternalID)
	}
	if o.Status != shop.OrderShipped || o.PlatformStatus != "تم التنفيذ" {
		t.Errorf("status %q (%q), want shipped (تم التنفيذ)", o.Status, o.PlatformStatus)
	}
	if o.PaymentStatus != shop.OrderPaymentPending {
		t.Errorf("cash on delivery, not delivered: payment %q, want pending", o.PaymentStatus)
	}
	if o.Total != (shop.Money{Minor: 15400, Currency: "SAR"}) {
		t.Errorf("total %+v", o.Total)
	}
	if o.Customer == nil || o.Customer.Name != "Test Salla" || o.Customer.Phone != "+96652318526" || o.CustomerRef != "salla:1779795066" {
		t.Errorf("customer %+v (ref %q)", o.Customer, o.CustomerRef)
	}
	if len(o.Items) != 2 || o.Items[1].LineTotal.Minor != 12600 || o.Items[1].SKU != "" {
		t.Errorf("items %+v", o.Items)
	}
	// The older single shipment: shipping.shipment, with a bare tracking
	// number where a link would be.
	if len(o.Shipments) != 1 {
		t.Fatalf("shipments %+v", o.Shipments)
	}
	s := o.Shipments[0]
	if s.Ref != "salla:SALLA000121" || s.TrackingNumber != "SALLA000121" || s.TrackingURL != "" ||
		s.Carrier != "محمول" || s.Status != shop.ShipmentInTransit || s.OrderNumber != "42264" {
		t.Errorf("shipment %+v", s)
	}
	if want := time.Date(2022, 8, 17, 20, 59, 38, 0, time.UTC); !o.UpdatedAt.Equal(want) {
		t.Errorf("UpdatedAt %v, want %v", o.UpdatedAt, want)
	}
}

func TestDecodeShipmentEvent(t *testing.T) {
	d, b := decodeOK(t, fixture(t, "shipment_updated.json"))
	if d.Topic != "shipment.updated" || len(b.Shipments) != 1 || b.Len() != 1 {
		t.Fatalf("delivery %+v, batch %+v", d, b)
	}
	s := b.Shipments[0]
	want := shop.ShipmentRecord{
		Ref: "salla:987654321", Source: shop.SourceSalla, OrderNumber: "41030566", OrderExternalID: "123456789",
		Carrier: "Semsa", TrackingNumber: "918273645", TrackingURL: "https://semsa.com/tracking/order_url.com",
		Status:   shop.ShipmentOutForDelivery,
		StatusAt: time.Date(2025, 3, 4, 9, 54, 2, 0, time.UTC), UpdatedAt: time.Date(2025, 3, 4, 9, 54, 2, 0, time.UTC),
	}
	if !s.StatusAt.Equal(want.StatusAt) || !s.UpdatedAt.Equal(want.UpdatedAt) {
		t.Errorf("times %v %v", s.StatusAt, s.UpdatedAt)
	}
	s.StatusAt, s.UpdatedAt, want.StatusAt, want.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	assertJSON(t, s, want)
}

func TestDecodeCustomer(t *testing.T) {
	d, b := decodeOK(t, fixture(t, "customer_updated.json"))
	if d.Topic != "customer.updated" || len(b.Customers) != 1 || b.Len() != 1 {
		t.Fatalf("delivery %+v, batch %+v", d, b)
	}
	c := b.Customers[0]
	if c.Ref != "salla:225167971" || c.Name != "User Mohammed" || c.Phone != "+966555555555" || c.Email != "test@gmail.com" {
		t.Errorf("customer %+v", c)
	}
	if !c.UpdatedAt.Equal(riyadh(t, "2022-01-24 14:26:55")) {
		t.Errorf("UpdatedAt %v", c.UpdatedAt)
	}
}

// edit decodes a fixture, lets change edit it, and encodes it again.
func edit(t *testing.T, name string, change func(m map[string]any)) []byte {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(fixture(t, name)))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	change(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func data(m map[string]any) map[string]any { return m["data"].(map[string]any) }

func TestDecodeKuwaitiDinars(t *testing.T) {
	body := edit(t, "order_created.json", func(m map[string]any) {
		d := data(m)
		d["currency"] = "KWD"
		d["amounts"].(map[string]any)["total"] = map[string]any{"amount": json.Number("12.345"), "currency": "KWD"}
		it := d["items"].([]any)[0].(map[string]any)["amounts"].(map[string]any)
		it["price_without_tax"] = json.Number("4.115") // a bare number in the order's currency
		it["total"] = "12.345"
	})
	_, b := decodeOK(t, body)
	o := b.Orders[0]
	if o.Total != (shop.Money{Minor: 12345, Currency: "KWD"}) {
		t.Errorf("total %+v, want 12345 fils", o.Total)
	}
	if o.Items[0].UnitPrice != (shop.Money{Minor: 4115, Currency: "KWD"}) || o.Items[0].LineTotal.Minor != 12345 {
		t.Errorf("item %+v", o.Items[0])
	}

	tooPrecise := edit(t, "order_created.json", func(m map[string]any) {
		data(m)["amounts"].(map[string]any)["total"] = map[string]any{"amount": json.Number("12.3456"), "currency": "KWD"}
	})
	if _, _, err := Decode(headers(), tooPrecise); !errors.Is(err, webhooks.ErrMalformed) {
		t.Errorf("4 decimals of KWD: %v, want ErrMalformed, never a rounding", err)
	}
}

func TestDecodeGuest(t *testing.T) {
	byEmail := edit(t, "order_created.json", func(m map[string]any) {
		delete(data(m)["customer"].(map[string]any), "id")
	})
	_, b := decodeOK(t, byEmail)
	if o := b.Orders[0]; o.CustomerRef != "salla:guest:usertest@gmail.com" || o.Customer.ExternalID != "" {
		t.Errorf("guest by email: ref %q, customer %+v", o.CustomerRef, o.Customer)
	}
	byPhone := edit(t, "order_created.json", func(m map[string]any) {
		c := data(m)["customer"].(map[string]any)
		c["id"], c["email"] = json.Number("0"), ""
	})
	_, b = decodeOK(t, byPhone)
	if o := b.Orders[0]; o.CustomerRef != "salla:guest:966501806978" || o.Customer.Phone != "+966501806978" {
		t.Errorf("guest by phone: ref %q, customer %+v", o.CustomerRef, o.Customer)
	}
}

func TestDecodeStatusAsLabel(t *testing.T) {
	body := edit(t, "order_created.json", func(m map[string]any) { data(m)["status"] = "قيد التنفيذ" })
	_, b := decodeOK(t, body)
	if o := b.Orders[0]; o.PlatformStatus != "قيد التنفيذ" || o.Status != shop.OrderPending {
		t.Errorf("status %q (%q), want pending with the label kept", o.Status, o.PlatformStatus)
	}
}

func TestDecodeRefusals(t *testing.T) {
	tests := []struct {
		name string
		body []byte
		want error
	}{
		{"not JSON", []byte(`{"event": "order.created", "data": {`), webhooks.ErrMalformed},
		{"an array", []byte(`[]`), webhooks.ErrMalformed},
		{"no event", []byte(`{"data": {}}`), webhooks.ErrMalformed},
		{"unknown event", edit(t, "order_created.json", func(m map[string]any) { m["event"] = "product.created" }), webhooks.ErrUnknownTopic},
		{"order deleted: not handled", edit(t, "order_created.json", func(m map[string]any) { m["event"] = "order.deleted" }), webhooks.ErrUnknownTopic},
		{"order without reference_id", edit(t, "order_created.json", func(m map[string]any) { delete(data(m), "reference_id") }), webhooks.ErrMalformed},
		{"unknown currency", edit(t, "order_created.json", func(m map[string]any) {
			data(m)["currency"] = "XXQ"
			data(m)["amounts"].(map[string]any)["total"] = json.Number("5")
		}), webhooks.ErrMalformed},
		{"amount is an object without digits", edit(t, "order_created.json", func(m map[string]any) {
			data(m)["amounts"].(map[string]any)["total"] = map[string]any{"amount": "lots"}
		}), webhooks.ErrMalformed},
		{"quantity not a count", edit(t, "order_created.json", func(m map[string]any) {
			data(m)["items"].([]any)[0].(map[string]any)["quantity"] = "two"
		}), webhooks.ErrMalformed},
		{"unreadable event time", edit(t, "order_created.json", func(m map[string]any) { m["created_at"] = "yesterday" }), webhooks.ErrMalformed},
		{"shipment without order", edit(t, "shipment_updated.json", func(m map[string]any) {
			delete(data(m), "order_id")
			delete(data(m), "order_reference_id")
		}), webhooks.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, b, err := Decode(headers(), tt.body)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Decode: %v, want %v", err, tt.want)
			}
			if b.Len() != 0 {
				t.Errorf("a refused delivery returned records: %+v", b)
			}
			if d.Source != shop.SourceSalla {
				t.Errorf("delivery %+v names no source", d)
			}
		})
	}
}

func TestDeliveryID(t *testing.T) {
	body := fixture(t, "order_created.json")
	d1, _ := decodeOK(t, body)
	d2, _ := decodeOK(t, slices.Clone(body))
	if d1.ID != d2.ID {
		t.Errorf("a retry of the same bytes has another id: %q, %q", d1.ID, d2.ID)
	}
	changed := edit(t, "order_created.json", func(m map[string]any) { data(m)["status"].(map[string]any)["slug"] = "in_progress" })
	d3, _ := decodeOK(t, changed)
	if d3.ID == d1.ID {
		t.Errorf("two different deliveries share the id %q", d1.ID)
	}
	if want := "1305146709:order.created:"; len(d1.ID) <= len(want) || d1.ID[:len(want)] != want {
		t.Errorf("id %q, want it to start with %q", d1.ID, want)
	}
}

// TestOrderStatuses is the README's mapping table, slug by slug.
func TestOrderStatuses(t *testing.T) {
	tests := []struct {
		slug, method string
		pending      bool
		status, pay  string
	}{
		{"payment_pending", "credit_card", true, shop.OrderPending, shop.OrderPaymentPending},
		{"under_review", "bank", false, shop.OrderPending, ""},
		{"quotation_request", "bank", false, shop.OrderPending, ""},
		{"payment_failed", "credit_card", false, shop.OrderPending, shop.OrderPaymentFailed},
		{"in_progress", "mada", false, shop.OrderPaid, shop.OrderPaymentPaid},
		{"in_progress", "cod", false, shop.OrderPaid, shop.OrderPaymentPending},
		{"completed", "mada", false, shop.OrderShipped, shop.OrderPaymentPaid},
		{"shipped", "mada", false, shop.OrderShipped, shop.OrderPaymentPaid},
		{"delivering", "cod", false, shop.OrderShipped, shop.OrderPaymentPending},
		{"delivered", "cod", false, shop.OrderDelivered, shop.OrderPaymentPaid},
		{"delivered", "apple_pay", false, shop.OrderDelivered, shop.OrderPaymentPaid},
		{"canceled", "mada", false, shop.OrderCancelled, shop.OrderPaymentPaid},
		{"deleted", "mada", false, shop.OrderCancelled, shop.OrderPaymentPaid},
		{"refunded", "mada", false, shop.OrderRefunded, shop.OrderPaymentRefunded},
		{"restoring", "mada", false, shop.OrderReturned, shop.OrderPaymentPaid},
		{"restored", "mada", false, shop.OrderReturned, shop.OrderPaymentPaid},
		{"a_slug_salla_adds_later", "mada", false, shop.OrderPending, ""},
	}
	for _, tt := range tests {
		if got := orderStatus(tt.slug); got != tt.status {
			t.Errorf("orderStatus(%q) = %q, want %q", tt.slug, got, tt.status)
		}
		if got := paymentStatus(tt.slug, tt.method, tt.pending); got != tt.pay {
			t.Errorf("paymentStatus(%q, %q, %v) = %q, want %q", tt.slug, tt.method, tt.pending, got, tt.pay)
		}
	}
}

func TestShipmentStatuses(t *testing.T) {
	tests := []struct{ kind, status, want string }{
		{"shipment", "created", shop.ShipmentLabelCreated},
		{"shipment", "in_progress", shop.ShipmentLabelCreated},
		{"shipment", "shipped", shop.ShipmentInTransit},
		{"shipment", "delivering", shop.ShipmentOutForDelivery},
		{"shipment", "delivered", shop.ShipmentDelivered},
		{"shipment", "cancelled", shop.ShipmentCancelled},
		{"return", "delivered", shop.ShipmentReturned},
		{"return", "shipped", shop.ShipmentInTransit},
		{"shipment", "something_new", shop.ShipmentLabelCreated},
	}
	for _, tt := range tests {
		if got := shipmentStatus(tt.kind, tt.status); got != tt.want {
			t.Errorf("shipmentStatus(%q, %q) = %q, want %q", tt.kind, tt.status, got, tt.want)
		}
	}
}

// FuzzDecode feeds the decoder arbitrary bodies: it must never panic, must
// refuse with one of the two documented errors, and whatever it accepts
// must be a record the store can take.
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"order_created.json", "order_status_updated.json", "shipment_updated.json", "customer_updated.json"} {
		f.Add(fixture(f, name))
	}
	f.Add([]byte(`{"event":"order.created","data":{"id":1,"reference_id":2,"currency":"KWD","amounts":{"total":1.5}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		_, b, err := Decode(headers(), body)
		if err != nil {
			if !errors.Is(err, webhooks.ErrMalformed) && !errors.Is(err, webhooks.ErrUnknownTopic) {
				t.Fatalf("error %v wraps neither ErrMalformed nor ErrUnknownTopic", err)
			}
			return
		}
		for _, o := range b.Orders {
			if o.Number == "" || o.ExternalID == "" || !slices.Contains(canonical, o.Status) {
				t.Fatalf("accepted order %+v", o)
			}
			if o.Customer != nil && o.Customer.Ref != o.CustomerRef {
				t.Fatalf("customer ref %q, order names %q", o.Customer.Ref, o.CustomerRef)
			}
			for _, s := range o.Shipments {
				if !slices.Contains(shop.ShipmentStatuses, s.Status) {
					t.Fatalf("shipment status %q", s.Status)
				}
			}
		}
	})
}

var canonical = append(slices.Clone(shop.OrderStatuses), shop.OrderOnHold, shop.OrderPartiallyRefunded, shop.OrderReturned)

// Links reach the panel as hrefs: anything but http(s) is dropped.
func TestDecodeDropsNonHTTPLinks(t *testing.T) {
	body := edit(t, "order_created.json", func(m map[string]any) {
		d := data(m)
		d["urls"] = map[string]any{"admin": "javascript:alert(1)", "customer": "data:text/html,<b>x</b>"}
		d["shipments"].([]any)[0].(map[string]any)["tracking_link"] = "JavaScript:alert(2)"
	})
	_, b := decodeOK(t, body)
	o := b.Orders[0]
	if o.AdminURL != "" || o.CustomerURL != "" || o.Shipments[0].TrackingURL != "" {
		t.Errorf("kept %q, %q, %q", o.AdminURL, o.CustomerURL, o.Shipments[0].TrackingURL)
	}
}
