package shopify

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"dashapp/db/shop"
	"dashapp/handlers/webhooks"
	"dashapp/handlers/webhooks/webhookstest"
)

func fixture(t testing.TB, name string) []byte { return webhookstest.Fixture(t, name) }

func headers(topic string) func(string) string {
	return webhookstest.Headers(map[string]string{
		HeaderTopic: topic, HeaderWebhookID: "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", HeaderShopDomain: "jsmith.myshopify.com",
	})
}

func TestKnownAnswerSignatures(t *testing.T) {
	webhookstest.CheckVectors(t, "testdata", HeaderHMAC, Verify)
}

func TestDecodeDocumentedOrder(t *testing.T) {
	d, b, err := Decode(headers("orders/updated"), fixture(t, "order.json"))
	if err != nil {
		t.Fatal(err)
	}
	if d != (shop.Delivery{Source: "shopify", ID: "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", Topic: "orders/updated"}) {
		t.Errorf("delivery = %+v", d)
	}
	if len(b.Orders) != 1 || b.Len() != 1 {
		t.Fatalf("batch = %+v", b)
	}
	o := b.Orders[0]
	checks := []struct{ name, got, want string }{
		{"number", o.Number, "#1001"},
		{"external id", o.ExternalID, "450789469"},
		{"status", o.Status, shop.OrderPartiallyRefunded},
		{"platform status", o.PlatformStatus, "partially_refunded · unfulfilled"},
		{"payment status", o.PaymentStatus, shop.OrderPaymentPartiallyRefunded},
		{"admin url", o.AdminURL, "https://admin.shopify.com/store/jsmith/orders/450789469"},
		{"customer url", o.CustomerURL, "https://jsmith.myshopify.com/548380009/orders/b1946ac92492d2347c6235b4d2611184/authenticate?key=imasecretipod"},
		{"customer ref", o.CustomerRef, "shopify:207119551"},
		{"customer email", o.Customer.Email, "bob.norman@mail.example.com"},
		{"customer phone", o.Customer.Phone, "+16136120707"},
		{"customer name", o.Customer.Name, "Bob Norman"},
		{"address name", o.ShippingAddress.Name, "Bob Norman"},
		{"address phone", o.ShippingAddress.Phone, "+1(502)-459-2181"},
		{"address city", o.ShippingAddress.City, "Louisville"},
		{"address country", o.ShippingAddress.Country, "US"},
		{"address line", o.ShippingAddress.Line, "Chestnut Street 92, Kentucky, 40202"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if o.Customer.Ref != o.CustomerRef {
		t.Errorf("customer ref %q differs from the order's %q", o.Customer.Ref, o.CustomerRef)
	}
	if o.Total != (shop.Money{Minor: 59894, Currency: "USD"}) {
		t.Errorf("total = %+v, want 598.94 USD", o.Total)
	}
	if want := time.Date(2008, 1, 10, 16, 0, 0, 0, time.UTC); !o.PlacedAt.Equal(want) {
		t.Errorf("placed at %v, want %v", o.PlacedAt, want)
	}
	var raw struct {
		UpdatedAt string `json:"updated_at"`
	}
	_ = json.Unmarshal(fixture(t, "order.json"), &raw)
	if want, _ := time.Parse(time.RFC3339, raw.UpdatedAt); o.UpdatedAt.IsZero() || !o.UpdatedAt.Equal(want) {
		t.Errorf("updated at %v, want %v", o.UpdatedAt, want)
	}
	if len(o.Items) != 3 {
		t.Fatalf("items = %+v", o.Items)
	}
	if it := o.Items[0]; it.Name != "IPod Nano - 8gb - green" || it.SKU != "IPOD2008GREEN" || it.Quantity != 1 ||
		it.UnitPrice != (shop.Money{Minor: 19900, Currency: "USD"}) || it.LineTotal != it.UnitPrice {
		t.Errorf("first item = %+v", it)
	}
	if len(o.Shipments) != 1 {
		t.Fatalf("shipments = %+v", o.Shipments)
	}
	s := o.Shipments[0]
	if s.Ref != "shopify:255858046" || s.Carrier != "USPS" || s.TrackingNumber != "1Z2345" ||
		s.TrackingURL != "https://tools.usps.com/go/TrackConfirmAction_input?qtc_tLabels1=1Z2345" ||
		s.OrderNumber != "#1001" || s.OrderExternalID != "450789469" || s.StatusAt.IsZero() {
		t.Errorf("shipment = %+v", s)
	}
	// The documented fulfilment's status is "failure": nothing left the
	// warehouse.
	if s.Status != shop.ShipmentCancelled {
		t.Errorf("shipment status = %q, want cancelled", s.Status)
	}
}

// Amounts are exact in the currency's decimals: KWD has three.
func TestDecodeOrderAmountsInMinorUnits(t *testing.T) {
	tests := []struct {
		currency, total, price string
		quantity               int
		wantTotal, wantLine    int64
		malformed              bool
	}{
		{"KWD", "12.345", "4.115", 3, 12345, 12345, false},
		{"SAR", "1234.50", "411.50", 3, 123450, 123450, false},
		{"JPY", "1500", "500", 3, 1500, 1500, false},
		{"KWD", "12.3456", "4.115", 3, 0, 0, true},
		{"SAR", "12.345", "1", 1, 0, 0, true},
		{"XYZ", "1.00", "1", 1, 0, 0, true},
		{"SAR", "ten", "1", 1, 0, 0, true},
	}
	for _, tt := range tests {
		body := `{"id": 1, "name": "#1", "email": "a@example.com", "currency": "` + tt.currency + `", "total_price": "` + tt.total +
			`", "line_items": [{"name": "x", "quantity": ` + itoa(tt.quantity) + `, "price": "` + tt.price + `"}]}`
		_, b, err := Decode(headers("orders/create"), []byte(body))
		if tt.malformed {
			if !errors.Is(err, webhooks.ErrMalformed) {
				t.Errorf("%s %s: err = %v, want ErrMalformed", tt.currency, tt.total, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %s: %v", tt.currency, tt.total, err)
			continue
		}
		o := b.Orders[0]
		if o.Total.Minor != tt.wantTotal || o.Total.Currency != tt.currency || o.Items[0].LineTotal.Minor != tt.wantLine {
			t.Errorf("%s %s: total %+v, line %+v", tt.currency, tt.total, o.Total, o.Items[0].LineTotal)
		}
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestOrderStatusTable(t *testing.T) {
	tests := []struct {
		financial, fulfillment string
		cancelled, delivered   bool
		want                   string
	}{
		{"pending", "", false, false, shop.OrderPending},
		{"authorized", "", false, false, shop.OrderPending},
		{"partially_paid", "", false, false, shop.OrderPending},
		{"paid", "", false, false, shop.OrderPaid},
		{"paid", "partial", false, false, shop.OrderShipped},
		{"paid", "fulfilled", false, false, shop.OrderShipped},
		{"paid", "fulfilled", false, true, shop.OrderDelivered},
		{"partially_refunded", "", false, false, shop.OrderPartiallyRefunded},
		{"partially_refunded", "fulfilled", false, false, shop.OrderShipped},
		{"refunded", "fulfilled", false, false, shop.OrderRefunded},
		{"refunded", "", true, false, shop.OrderCancelled},
		{"paid", "", true, false, shop.OrderCancelled},
		{"voided", "", false, false, shop.OrderPending},
		{"paid", "restocked", false, false, shop.OrderCancelled},
		{"something_new", "", false, false, shop.OrderPending},
	}
	for _, tt := range tests {
		if got := OrderStatus(tt.financial, tt.fulfillment, tt.cancelled, tt.delivered); got != tt.want {
			t.Errorf("OrderStatus(%q, %q, cancelled=%v, delivered=%v) = %q, want %q", tt.financial, tt.fulfillment, tt.cancelled, tt.delivered, got, tt.want)
		}
	}
}

func TestPaymentStatusTable(t *testing.T) {
	tests := map[string]string{
		"pending": shop.OrderPaymentPending, "authorized": shop.OrderPaymentPending, "paid": shop.OrderPaymentPaid,
		"partially_paid": shop.OrderPaymentPartiallyPaid, "refunded": shop.OrderPaymentRefunded,
		"partially_refunded": shop.OrderPaymentPartiallyRefunded, "voided": shop.OrderPaymentVoided,
		"expired": shop.OrderPaymentFailed, "": "", "new_value": "",
	}
	for in, want := range tests {
		if got := PaymentStatus(in); got != want {
			t.Errorf("PaymentStatus(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestShipmentStatusTable(t *testing.T) {
	tests := []struct{ status, shipment, want string }{
		{"success", "label_printed", shop.ShipmentLabelCreated},
		{"success", "label_purchased", shop.ShipmentLabelCreated},
		{"success", "confirmed", shop.ShipmentLabelCreated},
		{"success", "in_transit", shop.ShipmentInTransit},
		{"success", "out_for_delivery", shop.ShipmentOutForDelivery},
		{"success", "ready_for_pickup", shop.ShipmentOutForDelivery},
		{"success", "attempted_delivery", shop.ShipmentFailed},
		{"success", "failure", shop.ShipmentFailed},
		{"success", "delivered", shop.ShipmentDelivered},
		{"success", "", shop.ShipmentInTransit},
		{"pending", "", shop.ShipmentLabelCreated},
		{"open", "", shop.ShipmentLabelCreated},
		{"cancelled", "in_transit", shop.ShipmentCancelled},
		{"failure", "", shop.ShipmentCancelled},
		{"error", "", shop.ShipmentCancelled},
	}
	for _, tt := range tests {
		if got := ShipmentStatus(tt.status, tt.shipment); got != tt.want {
			t.Errorf("ShipmentStatus(%q, %q) = %q, want %q", tt.status, tt.shipment, got, tt.want)
		}
	}
}

func TestAdminURL(t *testing.T) {
	tests := []struct{ domain, want string }{
		{"jsmith.myshopify.com", "https://admin.shopify.com/store/jsmith/orders/42"},
		{"JSmith.MyShopify.com", "https://admin.shopify.com/store/jsmith/orders/42"},
		{"shop.example.com", "https://shop.example.com/admin/orders/42"},
		{"", ""},
		{"evil.example/x?", ""},
		{"javascript:alert(1)", ""},
		{"localhost", ""},
	}
	for _, tt := range tests {
		if got := AdminURL(tt.domain, "42"); got != tt.want {
			t.Errorf("AdminURL(%q) = %q, want %q", tt.domain, got, tt.want)
		}
	}
}

func TestDecodeGuestOrder(t *testing.T) {
	body := `{"id": 7, "name": "#1007", "email": " Guest@Example.COM ", "phone": "+966 50 000 0009", "currency": "SAR", "total_price": "10.00",
		"order_status_url": "javascript:alert(1)", "shipping_address": {"first_name": "Noura", "last_name": "A"}}`
	_, b, err := Decode(headers("orders/create"), []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	o := b.Orders[0]
	if o.CustomerRef != "shopify:guest:guest@example.com" || o.Customer.Ref != o.CustomerRef || o.Customer.ExternalID != "" || o.Customer.Name != "Noura A" {
		t.Errorf("guest = %+v", o.Customer)
	}
	if o.CustomerURL != "" {
		t.Errorf("a javascript: order_status_url became %q", o.CustomerURL)
	}
	byPhone := `{"id": 8, "name": "#1008", "phone": "+966 50 000 0009", "currency": "SAR", "total_price": "1"}`
	if _, b, err := Decode(headers("orders/create"), []byte(byPhone)); err != nil || b.Orders[0].CustomerRef != "shopify:guest:966500000009" {
		t.Errorf("guest by phone: %v %+v", err, b)
	}
	nobody := `{"id": 9, "name": "#1009", "currency": "SAR", "total_price": "1"}`
	if _, _, err := Decode(headers("orders/create"), []byte(nobody)); !errors.Is(err, webhooks.ErrUnknownTopic) {
		t.Errorf("an order with nobody to match: err = %v, want it ignored", err)
	}
}

func TestDecodeFulfillment(t *testing.T) {
	_, b, err := Decode(headers("fulfillments/update"), fixture(t, "fulfillment.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Shipments) != 1 || b.Len() != 1 {
		t.Fatalf("batch = %+v", b)
	}
	s := b.Shipments[0]
	if s.Ref != "shopify:255858046" || s.OrderExternalID != "450789469" || s.OrderNumber != "" || s.TrackingNumber != "1Z2345" || s.Carrier != "USPS" {
		t.Errorf("shipment = %+v", s)
	}
	// tracking_numbers and tracking_urls stand in when the singular ones are empty.
	body := `{"id": 5, "order_id": 6, "status": "success", "shipment_status": "in_transit", "tracking_numbers": ["A1", "A2"], "tracking_urls": ["https://t.example/A1"]}`
	if _, b, err := Decode(headers("fulfillments/create"), []byte(body)); err != nil || b.Shipments[0].TrackingNumber != "A1" ||
		b.Shipments[0].TrackingURL != "https://t.example/A1" || b.Shipments[0].Status != shop.ShipmentInTransit {
		t.Errorf("plural tracking: %v %+v", err, b)
	}
}

func TestDecodeRefund(t *testing.T) {
	_, b, err := Decode(headers("refunds/create"), fixture(t, "refund.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Payments) != 1 {
		t.Fatalf("payments = %+v", b.Payments)
	}
	p := b.Payments[0]
	if p.Ref != "shopify:179259969" || p.Kind != shop.KindRefund || p.Status != shop.PaymentSucceeded || p.OrderExternalID != "450789469" ||
		p.Amount != (shop.Money{Minor: 20900, Currency: "USD"}) || p.Method != "bogus" || p.CreatedAt.IsZero() {
		t.Errorf("refund = %+v", p)
	}
}

func TestDecodeCustomer(t *testing.T) {
	_, b, err := Decode(headers("customers/update"), fixture(t, "customer.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Customers) != 1 {
		t.Fatalf("batch = %+v", b)
	}
	c := b.Customers[0]
	if c.Ref != "shopify:207119551" || c.ExternalID != "207119551" || c.Email != "bob.norman@mail.example.com" ||
		c.Phone != "+16136120707" || c.Name != "Bob Norman" || c.UpdatedAt.IsZero() {
		t.Errorf("customer = %+v", c)
	}
}

func TestDecodeRefusesWithoutQuotingTheBody(t *testing.T) {
	tests := []struct{ topic, body string }{
		{"orders/create", `{"id": 1, "name": "#1", "email": "x@example.com", "currency": "SAR", "total_price": "SECRET-VALUE"}`},
		{"orders/create", `{"id": 1, "name": "#1", "email": "x@example.com", "currency": "SAR", "total_price": "1", "updated_at": "SECRET-VALUE"}`},
		{"orders/create", `{"id": "SECRET-VALUE", "name": "#1"}`},
		{"orders/create", `{"id": 1, "name": ["SECRET-VALUE"]}`},
		{"orders/create", `SECRET-VALUE`},
		{"customers/create", `{"id": 1, "updated_at": "SECRET-VALUE"}`},
		{"orders/create", `{"name": "#1"}`},
		{"fulfillments/create", `{"id": 1}`},
		{"refunds/create", `{"order_id": 1, "transactions": [{"id": 2, "kind": "refund", "amount": "SECRET-VALUE", "currency": "USD"}]}`},
	}
	for _, tt := range tests {
		_, _, err := Decode(headers(tt.topic), []byte(tt.body))
		if !errors.Is(err, webhooks.ErrMalformed) {
			t.Errorf("%s %s: err = %v, want ErrMalformed", tt.topic, tt.body, err)
			continue
		}
		if strings.Contains(err.Error(), "SECRET") {
			t.Errorf("the error quotes the body: %v", err)
		}
	}
}

func TestDecodeUnknownTopic(t *testing.T) {
	for _, topic := range []string{"products/create", "orders/delete", "", "app/uninstalled"} {
		d, _, err := Decode(headers(topic), fixture(t, "order.json"))
		if !errors.Is(err, webhooks.ErrUnknownTopic) {
			t.Errorf("%q: err = %v, want ErrUnknownTopic", topic, err)
		}
		if d.Topic != topic || d.ID == "" {
			t.Errorf("%q: delivery %+v does not name the delivery", topic, d)
		}
	}
	for _, topic := range Topics() {
		if _, _, err := Decode(headers(topic), []byte(`{}`)); errors.Is(err, webhooks.ErrUnknownTopic) {
			t.Errorf("%q is listed but not handled", topic)
		}
	}
}

func FuzzDecodeOrder(f *testing.F) {
	f.Add(fixture(f, "order.json"))
	f.Add([]byte(`{"id": 1, "name": "#1", "email": "a@b", "currency": "KWD", "total_price": "1.234", "line_items": [{"price": 1e400, "quantity": -1}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, topic := range []string{"orders/updated", "fulfillments/create", "refunds/create", "customers/update"} {
			_, _, err := Decode(headers(topic), body)
			if err != nil && !errors.Is(err, webhooks.ErrMalformed) && !errors.Is(err, webhooks.ErrUnknownTopic) {
				t.Fatalf("%s: error wraps neither ErrMalformed nor ErrUnknownTopic: %v", topic, err)
			}
		}
	})
}

// A guest is keyed as the store keys guests (shop.GuestRef), so the same
// person from a webhook and from /ingest or a CSV is one customer: a local
// phone is read in the default region, not kept as its bare digits.
func TestGuestKeyedAsTheStoreKeysGuests(t *testing.T) {
	body := []byte(`{"id": 1, "name": "#9", "currency": "SAR", "total_price": "10.00", "phone": "050 111 2222",
		"created_at": "2026-11-01T09:00:00+03:00", "updated_at": "2026-11-01T09:00:00+03:00"}`)
	header := func(name string) string {
		return map[string]string{HeaderTopic: "orders/create", HeaderWebhookID: "g-1"}[name]
	}
	_, batch, err := Decode(header, body)
	if err != nil {
		t.Fatal(err)
	}
	want := shop.GuestRef(shop.SourceShopify, "", "050 111 2222")
	if len(batch.Orders) != 1 || batch.Orders[0].CustomerRef != want || want != "shopify:guest:966501112222" {
		t.Errorf("guest ref = %+v, want %q", batch.Orders, want)
	}
}
