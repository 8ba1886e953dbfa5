package zid

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

const credentials = "dashapp:zid-webhook-password"

// Known answer, computed outside Go (see testdata/README.md):
//
//	printf 'dashapp:zid-webhook-password' | base64
const basicAuth = "Basic ZGFzaGFwcDp6aWQtd2ViaG9vay1wYXNzd29yZA=="

func fixture(t testing.TB, name string) []byte { return webhookstest.Fixture(t, name) }

func headers(kv ...string) func(string) string {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h.Get
}

func TestVerify(t *testing.T) {
	body := fixture(t, "order_indelivery_kwd.json")
	tests := []struct {
		name        string
		credentials string
		header      func(string) string
		ok          bool
	}{
		{"known answer", credentials, headers("Authorization", basicAuth), true},
		{"scheme in lower case", credentials, headers("Authorization", "basic ZGFzaGFwcDp6aWQtd2ViaG9vay1wYXNzd29yZA=="), true},
		{"wrong password", "dashapp:another-password", headers("Authorization", basicAuth), false},
		{"password prefix only", credentials + "x", headers("Authorization", basicAuth), false},
		{"missing header", credentials, headers(), false},
		{"bearer instead of basic", credentials, headers("Authorization", "Bearer "+credentials), false},
		{"credentials not base64", credentials, headers("Authorization", "Basic "+credentials), false},
		{"no credentials configured", "", headers("Authorization", "Basic Og=="), false}, // Og== is ":"
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(tt.credentials, tt.header, body)
			if tt.ok && err != nil {
				t.Fatalf("Verify: %v, want nil", err)
			}
			if !tt.ok && !errors.Is(err, webhooks.ErrUnauthorized) {
				t.Fatalf("Verify: %v, want ErrUnauthorized", err)
			}
		})
	}
}

func decodeOK(t *testing.T, body []byte) (shop.Delivery, shop.OrderRecord) {
	t.Helper()
	d, b, err := Decode(headers(), body)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if len(b.Orders) != 1 || b.Len() != 1 {
		t.Fatalf("batch %+v, want one order", b)
	}
	return d, b.Orders[0]
}

func assertJSON(t *testing.T, got, want any) {
	t.Helper()
	g, _ := json.MarshalIndent(got, "", " ")
	w, _ := json.MarshalIndent(want, "", " ")
	if !bytes.Equal(g, w) {
		t.Errorf("got\n%s\nwant\n%s", g, w)
	}
}

func TestDecodeOrder(t *testing.T) {
	d, o := decodeOK(t, fixture(t, "order_indelivery_kwd.json"))
	if d != (shop.Delivery{Source: shop.SourceZid, Topic: TopicOrder}) {
		t.Errorf("delivery %+v: Zid sends no delivery id", d)
	}
	updated := time.Date(2023, 7, 4, 9, 14, 28, 0, time.UTC)
	customer := &shop.CustomerRecord{
		Ref: "zid:2083543", Source: shop.SourceZid, ExternalID: "2083543", Name: "Osama",
		Email: "example.user@email.com", Phone: "+966501234567", UpdatedAt: updated,
	}
	want := shop.OrderRecord{
		Number: "8OVNEhyqcf", Source: shop.SourceZid, ExternalID: "25304285",
		CustomerRef: "zid:2083543", Customer: customer,
		Status: shop.OrderShipped, PlatformStatus: "Delivery in progress", PaymentStatus: shop.OrderPaymentPaid,
		Total:    shop.Money{Minor: 12345, Currency: "KWD"},
		PlacedAt: time.Date(2023, 7, 4, 9, 12, 36, 0, time.UTC), UpdatedAt: updated,
		ShippingAddress: &shop.Address{Name: "Osama", Phone: "+966501234567", City: "Other", Country: "SA", Line: "Masked Street, Masked District"},
		CustomerURL:     "https://zid.store/osama/o/6IJWXOYLuR/inv",
		Items: []shop.ItemRecord{{
			SKU: "Z.251073.1684773377", Name: "حقيبة ظهر", Quantity: 3,
			UnitPrice: shop.Money{Minor: 4115, Currency: "KWD"}, LineTotal: shop.Money{Minor: 12345, Currency: "KWD"},
		}},
		Shipments: []shop.ShipmentRecord{{
			Ref: "zid:tracking:TRACK-12345678", Source: shop.SourceZid, OrderNumber: "8OVNEhyqcf", OrderExternalID: "25304285",
			Carrier: "FedEx", TrackingNumber: "TRACK-12345678", TrackingURL: "https://example.com/track?number=TRACK-12345678",
			Status: shop.ShipmentInTransit, StatusAt: updated, UpdatedAt: updated,
		}},
	}
	assertJSON(t, o, want)
}

func TestDecodeGuestWithConsignee(t *testing.T) {
	_, o := decodeOK(t, fixture(t, "order_new_guest.json"))
	if o.CustomerRef != "zid:guest:abdulrhmanaissa@hotmail.com" || o.Customer.ExternalID != "" {
		t.Errorf("guest: ref %q, customer %+v", o.CustomerRef, o.Customer)
	}
	if o.Status != shop.OrderPending || o.PlatformStatus != "جديد" || o.PaymentStatus != shop.OrderPaymentPending {
		t.Errorf("status %q (%q), payment %q", o.Status, o.PlatformStatus, o.PaymentStatus)
	}
	if o.Total != (shop.Money{Minor: 15000, Currency: "SAR"}) {
		t.Errorf("total %+v", o.Total)
	}
	if a := o.ShippingAddress; a == nil || *a != (shop.Address{Name: "Ibrahim", Phone: "966500000005", City: "أبرق خيطان", Country: "الكويت", Line: "fgf"}) {
		t.Errorf("address %+v: addressed to the consignee", a)
	}
	if len(o.Items) != 1 || o.Items[0].Quantity != 2 || o.Items[0].UnitPrice.Minor != 7500 || o.Items[0].LineTotal.Minor != 15000 {
		t.Errorf("items %+v", o.Items)
	}
	if len(o.Shipments) != 0 {
		t.Errorf("no tracking number yet, but shipments %+v", o.Shipments)
	}

	// A guest with no email is keyed by phone.
	byPhone := edit(t, "order_new_guest.json", func(m map[string]any) { m["customer"].(map[string]any)["email"] = "" })
	if _, o := decodeOK(t, byPhone); o.CustomerRef != "zid:guest:966550448447" {
		t.Errorf("guest by phone: ref %q", o.CustomerRef)
	}
}

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

func TestDecodeRefusals(t *testing.T) {
	tests := []struct {
		name string
		body []byte
		want error
	}{
		{"not JSON", []byte(`{"id": 1, "code": `), webhooks.ErrMalformed},
		{"an array", []byte(`[{"id": 1}]`), webhooks.ErrMalformed},
		{"a customer event, not an order", []byte(`{"id": 2083543, "name": "Osama", "email": "example.user@email.com"}`), webhooks.ErrUnknownTopic},
		{"order without code", edit(t, "order_new_guest.json", func(m map[string]any) { delete(m, "code") }), webhooks.ErrMalformed},
		{"KWD total with a fourth decimal", edit(t, "order_indelivery_kwd.json", func(m map[string]any) { m["order_total"] = "12.34560000000000" }), webhooks.ErrMalformed},
		{"unknown currency", edit(t, "order_new_guest.json", func(m map[string]any) { m["currency_code"] = "XXQ" }), webhooks.ErrMalformed},
		{"product price not an amount", edit(t, "order_new_guest.json", func(m map[string]any) {
			m["products"].([]any)[0].(map[string]any)["price"] = map[string]any{"amount": 1}
		}), webhooks.ErrMalformed},
		{"quantity not a count", edit(t, "order_new_guest.json", func(m map[string]any) {
			m["products"].([]any)[0].(map[string]any)["quantity"] = "2.5"
		}), webhooks.ErrMalformed},
		{"unreadable updated_at", edit(t, "order_new_guest.json", func(m map[string]any) { m["updated_at"] = "05-12-2024 | 03:27 م" }), webhooks.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, b, err := Decode(headers(), tt.body)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Decode: %v, want %v", err, tt.want)
			}
			if b.Len() != 0 {
				t.Errorf("a refused delivery returned records: %+v", b)
			}
		})
	}
}

// TestOrderStatuses is the README's mapping table, code by code.
func TestOrderStatuses(t *testing.T) {
	tests := []struct{ code, status, shipment string }{
		{"new", shop.OrderPending, shop.ShipmentLabelCreated},
		{"preparing", shop.OrderPaid, shop.ShipmentLabelCreated},
		{"ready", shop.OrderPaid, shop.ShipmentLabelCreated},
		{"processed", shop.OrderPaid, shop.ShipmentLabelCreated},
		{"indelivery", shop.OrderShipped, shop.ShipmentInTransit},
		{"inDelivery", shop.OrderShipped, shop.ShipmentInTransit},
		{"delivered", shop.OrderDelivered, shop.ShipmentDelivered},
		{"canceled", shop.OrderCancelled, shop.ShipmentCancelled},
		{"cancelled", shop.OrderCancelled, shop.ShipmentCancelled},
		{"failed", shop.OrderCancelled, shop.ShipmentCancelled},
		{"expired", shop.OrderCancelled, shop.ShipmentCancelled},
		{"voided", shop.OrderCancelled, shop.ShipmentCancelled},
		{"denied", shop.OrderCancelled, shop.ShipmentCancelled},
		{"refunded", shop.OrderRefunded, shop.ShipmentLabelCreated},
		{"reversed", shop.OrderRefunded, shop.ShipmentLabelCreated},
		{"reverse_in_progress", shop.OrderReturned, shop.ShipmentReturned},
		{"processingReverse", shop.OrderReturned, shop.ShipmentReturned},
		{"chargeback", shop.OrderOnHold, shop.ShipmentLabelCreated},
		{"canceledReversal", shop.OrderOnHold, shop.ShipmentLabelCreated},
		{"a_code_zid_adds_later", shop.OrderPending, shop.ShipmentLabelCreated},
	}
	for _, tt := range tests {
		if got := orderStatus(tt.code); got != tt.status {
			t.Errorf("orderStatus(%q) = %q, want %q", tt.code, got, tt.status)
		}
		if got := shipmentStatus(tt.code); got != tt.shipment {
			t.Errorf("shipmentStatus(%q) = %q, want %q", tt.code, got, tt.shipment)
		}
	}
}

func TestPaymentStatuses(t *testing.T) {
	for in, want := range map[string]string{
		"paid": shop.OrderPaymentPaid, "Paid": shop.OrderPaymentPaid, "pending": shop.OrderPaymentPending,
		"unpaid": shop.OrderPaymentPending, "refunded": shop.OrderPaymentRefunded, "voided": shop.OrderPaymentVoided,
		"partially_refunded": shop.OrderPaymentPartiallyRefunded, "failed": shop.OrderPaymentFailed, "": "", "mystery": "",
	} {
		if got := paymentStatus(in); got != want {
			t.Errorf("paymentStatus(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzDecode: never a panic, only the two documented refusals, and what it
// accepts is a record the store can take.
func FuzzDecode(f *testing.F) {
	f.Add(fixture(f, "order_indelivery_kwd.json"))
	f.Add(fixture(f, "order_new_guest.json"))
	f.Add([]byte(`{"id":1,"code":"x","order_status":{"code":"new"},"currency_code":"KWD","order_total":"1.0000"}`))
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
				if s.TrackingNumber == "" || !slices.Contains(shop.ShipmentStatuses, s.Status) {
					t.Fatalf("shipment %+v", s)
				}
			}
		}
	})
}

var canonical = append(slices.Clone(shop.OrderStatuses), shop.OrderOnHold, shop.OrderPartiallyRefunded, shop.OrderReturned)
