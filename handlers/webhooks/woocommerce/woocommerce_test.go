package woocommerce

import (
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
		HeaderTopic: topic, HeaderDeliveryID: "36e520ebabc2fa725092ff4a47acedf2", HeaderSource: "https://header.example/",
	})
}

func TestKnownAnswerSignatures(t *testing.T) {
	webhookstest.CheckVectors(t, "testdata", HeaderSignature, Verify)
}

func TestDecodeDocumentedOrder(t *testing.T) {
	d, b, err := Decode(headers("order.updated"), fixture(t, "order.json"))
	if err != nil {
		t.Fatal(err)
	}
	if d != (shop.Delivery{Source: "woocommerce", ID: "36e520ebabc2fa725092ff4a47acedf2", Topic: "order.updated"}) {
		t.Errorf("delivery = %+v", d)
	}
	if len(b.Orders) != 1 || b.Len() != 1 {
		t.Fatalf("batch = %+v", b)
	}
	o := b.Orders[0]
	checks := []struct{ name, got, want string }{
		{"number", o.Number, "727"},
		{"external id", o.ExternalID, "727"},
		{"status", o.Status, shop.OrderPaid},
		{"platform status", o.PlatformStatus, "processing"},
		{"payment status", o.PaymentStatus, shop.OrderPaymentPaid},
		// From the signed body's own REST link, not the unsigned header.
		{"admin url", o.AdminURL, "https://example.com/wp-admin/post.php?action=edit&post=727"},
		{"customer url", o.CustomerURL, ""},
		{"customer ref", o.CustomerRef, "woocommerce:guest:john.doe@example.com"},
		{"customer email", o.Customer.Email, "john.doe@example.com"},
		{"customer phone", o.Customer.Phone, "(555) 555-5555"},
		{"customer name", o.Customer.Name, "John Doe"},
		{"address name", o.ShippingAddress.Name, "John Doe"},
		{"address phone", o.ShippingAddress.Phone, "(555) 555-5555"},
		{"address city", o.ShippingAddress.City, "San Francisco"},
		{"address country", o.ShippingAddress.Country, "US"},
		{"address line", o.ShippingAddress.Line, "969 Market, CA, 94103"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if o.Customer.Ref != o.CustomerRef || o.Customer.ExternalID != "" {
		t.Errorf("guest = %+v", o.Customer)
	}
	if o.Total != (shop.Money{Minor: 2935, Currency: "USD"}) {
		t.Errorf("total = %+v, want 29.35 USD", o.Total)
	}
	if want := time.Date(2017, 3, 22, 19, 28, 2, 0, time.UTC); !o.PlacedAt.Equal(want) {
		t.Errorf("placed at %v, want %v", o.PlacedAt, want)
	}
	if want := time.Date(2017, 3, 22, 19, 28, 8, 0, time.UTC); !o.UpdatedAt.Equal(want) || !o.Customer.UpdatedAt.Equal(want) {
		t.Errorf("updated at %v (customer %v), want %v", o.UpdatedAt, o.Customer.UpdatedAt, want)
	}
	want := []shop.ItemRecord{
		{Name: "Woo Single #1", Quantity: 2, UnitPrice: shop.Money{Minor: 300, Currency: "USD"}, LineTotal: shop.Money{Minor: 600, Currency: "USD"}},
		{Name: "Ship Your Idea &ndash; Color: Black, Size: M Test", SKU: "Bar3", Quantity: 1, UnitPrice: shop.Money{Minor: 1200, Currency: "USD"}, LineTotal: shop.Money{Minor: 1200, Currency: "USD"}},
	}
	if len(o.Items) != len(want) {
		t.Fatalf("items = %+v", o.Items)
	}
	for i := range want {
		if o.Items[i] != want[i] {
			t.Errorf("item %d = %+v, want %+v", i, o.Items[i], want[i])
		}
	}
}

// WooCommerce's price is subtotal / quantity as a float: when it has more
// decimals than the currency, the unit price comes from the subtotal.
func TestLineItemUnitPrice(t *testing.T) {
	tests := []struct {
		currency, price, subtotal, total string
		quantity                         int
		unit, line                       int64
	}{
		{"USD", "3.3333333333", `"10.00"`, `"10.00"`, 3, 333, 1000},
		{"USD", "6.6666666667", `"20.00"`, `"20.00"`, 3, 667, 2000},
		{"KWD", "1.2345", `"3.704"`, `"3.704"`, 3, 1235, 3704},
		{"KWD", `"1.234"`, `"2.468"`, `"2.468"`, 2, 1234, 2468},
	}
	for _, tt := range tests {
		body := `{"id": 9, "number": "9", "status": "processing", "currency": "` + tt.currency + `", "total": "1", "billing": {"email": "a@example.com"},
			"line_items": [{"name": "x", "quantity": ` + string(rune('0'+tt.quantity)) + `, "price": ` + tt.price + `, "subtotal": ` + tt.subtotal + `, "total": ` + tt.total + `}]}`
		_, b, err := Decode(headers("order.created"), []byte(body))
		if err != nil {
			t.Errorf("%s %s: %v", tt.currency, tt.price, err)
			continue
		}
		it := b.Orders[0].Items[0]
		if it.UnitPrice.Minor != tt.unit || it.LineTotal.Minor != tt.line {
			t.Errorf("%s %s: unit %+v line %+v, want %d and %d", tt.currency, tt.price, it.UnitPrice, it.LineTotal, tt.unit, tt.line)
		}
	}
}

func TestOrderStatusTable(t *testing.T) {
	tests := []struct{ status, want string }{
		{"pending", shop.OrderPending},
		{"processing", shop.OrderPaid},
		{"on-hold", shop.OrderOnHold},
		{"completed", shop.OrderShipped},
		{"cancelled", shop.OrderCancelled},
		{"refunded", shop.OrderRefunded},
		{"failed", shop.OrderPending},
		{"checkout-draft", shop.OrderPending},
		{"trash", shop.OrderCancelled},
		{"delivered", shop.OrderDelivered}, // a plugin's status named like a canonical one
		{"partially-refunded", shop.OrderPartiallyRefunded},
		{"awaiting-pickup", shop.OrderPending}, // any other plugin status
	}
	for _, tt := range tests {
		if got := OrderStatus(tt.status); got != tt.want {
			t.Errorf("OrderStatus(%q) = %q, want %q", tt.status, got, tt.want)
		}
	}
}

func TestPaymentStatusTable(t *testing.T) {
	tests := []struct {
		status        string
		paid, refunds bool
		want          string
	}{
		{"pending", false, false, shop.OrderPaymentPending},
		{"on-hold", false, false, shop.OrderPaymentPending},
		{"checkout-draft", false, false, shop.OrderPaymentPending},
		{"processing", true, false, shop.OrderPaymentPaid},
		{"processing", false, false, shop.OrderPaymentPaid},
		{"completed", true, false, shop.OrderPaymentPaid},
		{"completed", true, true, shop.OrderPaymentPartiallyRefunded},
		{"refunded", true, true, shop.OrderPaymentRefunded},
		{"failed", false, false, shop.OrderPaymentFailed},
		{"cancelled", false, false, ""},
		{"cancelled", true, false, shop.OrderPaymentPaid},
	}
	for _, tt := range tests {
		if got := PaymentStatus(tt.status, tt.paid, tt.refunds); got != tt.want {
			t.Errorf("PaymentStatus(%q, paid=%v, refunds=%v) = %q, want %q", tt.status, tt.paid, tt.refunds, got, tt.want)
		}
	}
}

func TestDecodeRegisteredCustomerOrder(t *testing.T) {
	body := `{"id": 10, "number": "A-10", "status": "completed", "currency": "SAR", "total": "149.50", "customer_id": 25,
		"billing": {"first_name": "Layla", "email": "layla@example.com", "phone": "+966500000001"}}`
	_, b, err := Decode(webhookstest.Headers(map[string]string{HeaderTopic: "order.created", HeaderSource: "https://shop.example/store/"}), []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	o := b.Orders[0]
	if o.Number != "A-10" || o.CustomerRef != "woocommerce:25" || o.Customer.ExternalID != "25" || o.Total.Minor != 14950 || o.ShippingAddress != nil {
		t.Errorf("order = %+v, customer %+v", o, o.Customer)
	}
	// No REST link in the body: the site comes from X-WC-Webhook-Source.
	if o.AdminURL != "https://shop.example/store/wp-admin/post.php?action=edit&post=10" {
		t.Errorf("admin url = %q", o.AdminURL)
	}
	for _, hostile := range []string{"javascript:alert(1)//", "", "//evil.example/", "https://user:pw@evil.example/"} {
		if got := adminURL(hostile, "10"); got != "" {
			t.Errorf("adminURL(%q) = %q, want none", hostile, got)
		}
	}
	nobody := `{"id": 11, "status": "pending", "currency": "SAR", "total": "1"}`
	if _, _, err := Decode(headers("order.created"), []byte(nobody)); !errors.Is(err, webhooks.ErrUnknownTopic) {
		t.Errorf("an order with nobody to match: err = %v, want it ignored", err)
	}
}

func TestDecodeCustomer(t *testing.T) {
	_, b, err := Decode(headers("customer.updated"), fixture(t, "customer.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Customers) != 1 || b.Len() != 1 {
		t.Fatalf("batch = %+v", b)
	}
	c := b.Customers[0]
	if c.Ref != "woocommerce:25" || c.ExternalID != "25" || c.Email != "john.doe@example.com" || c.Phone != "(555) 555-5555" ||
		c.Name != "John Doe" || !c.UpdatedAt.Equal(time.Date(2017, 3, 21, 19, 9, 30, 0, time.UTC)) {
		t.Errorf("customer = %+v", c)
	}
}

func TestPing(t *testing.T) {
	ping := fixture(t, "ping.txt")
	if !Ping(webhookstest.Headers(nil), ping) {
		t.Error("the documented ping is not recognised")
	}
	for _, tt := range []struct {
		headers map[string]string
		body    string
	}{
		{nil, "webhook_id=3&x=1"},
		{nil, "webhook_id="},
		{nil, `{"webhook_id": 3}`},
		{map[string]string{HeaderTopic: "order.created"}, "webhook_id=3"},
		{map[string]string{HeaderSignature: "abc="}, "webhook_id=3"},
	} {
		if Ping(webhookstest.Headers(tt.headers), []byte(tt.body)) {
			t.Errorf("%v %q taken for a ping", tt.headers, tt.body)
		}
	}
}

func TestDecodeIgnoresDeletionsAndUnknownTopics(t *testing.T) {
	for _, topic := range []string{"order.deleted", "customer.deleted", "product.created", "coupon.updated", "action.woocommerce_add_to_cart", ""} {
		d, _, err := Decode(headers(topic), []byte(`{"id": 727}`))
		if !errors.Is(err, webhooks.ErrUnknownTopic) {
			t.Errorf("%q: err = %v, want ErrUnknownTopic", topic, err)
		}
		if d.Topic != topic || d.ID == "" {
			t.Errorf("%q: delivery %+v", topic, d)
		}
	}
	for _, topic := range Topics() {
		if _, _, err := Decode(headers(topic), []byte(`{}`)); errors.Is(err, webhooks.ErrUnknownTopic) {
			t.Errorf("%q is listed but not handled", topic)
		}
	}
}

func TestDecodeRefusesWithoutQuotingTheBody(t *testing.T) {
	tests := []struct{ topic, body string }{
		{"order.created", `{"id": 1, "currency": "SAR", "total": "SECRET-VALUE", "billing": {"email": "a@example.com"}}`},
		{"order.created", `{"id": 1, "currency": "SAR", "total": "1", "date_modified_gmt": "SECRET-VALUE", "billing": {"email": "a@example.com"}}`},
		{"order.created", `{"id": 1, "currency": "SAR", "total": "1", "billing": {"email": "a@example.com"}, "line_items": [{"quantity": 1, "price": "SECRET-VALUE", "total": "1"}]}`},
		{"order.created", `{"id": "SECRET-VALUE"}`},
		{"order.created", `SECRET-VALUE`},
		{"order.updated", `{"number": "1"}`},
		{"customer.created", `{"email": "SECRET-VALUE"}`},
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

func FuzzDecodeOrder(f *testing.F) {
	f.Add(fixture(f, "order.json"))
	f.Add([]byte(`{"id": 1, "currency": "KWD", "total": "1.234", "billing": {"phone": "1"}, "line_items": [{"price": 1e400, "quantity": 3, "subtotal": "-1"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, topic := range []string{"order.updated", "customer.updated"} {
			_, _, err := Decode(headers(topic), body)
			if err != nil && !errors.Is(err, webhooks.ErrMalformed) && !errors.Is(err, webhooks.ErrUnknownTopic) {
				t.Fatalf("%s: error wraps neither ErrMalformed nor ErrUnknownTopic: %v", topic, err)
			}
		}
	})
}
