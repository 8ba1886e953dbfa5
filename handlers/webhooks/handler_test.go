package webhooks_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"dashapp/db/shop"
	"dashapp/handlers/webhooks"
	"dashapp/handlers/webhooks/shopify"
	"dashapp/handlers/webhooks/webhookstest"
	"dashapp/handlers/webhooks/woocommerce"
)

const secret = "dashapp-test-secret"

var clock = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// server mounts the receivers as the lead wires them, on a bare Fiber app,
// and keeps the log lines they write.
type server struct {
	app   *fiber.App
	store *webhookstest.Store
	log   *bytes.Buffer
}

func newServer(t *testing.T, shopifySecret, wooSecret string) *server {
	t.Helper()
	s := &server{app: fiber.New(fiber.Config{DisableStartupMessage: true}), store: &webhookstest.Store{}, log: &bytes.Buffer{}}
	logger := slog.New(slog.NewJSONHandler(s.log, nil))
	now := func() time.Time { return clock }
	s.app.Post("/webhooks/shopify", webhooks.Handler(shopify.Source, shopifySecret, s.store, logger, now))
	s.app.Post("/webhooks/woocommerce", webhooks.Handler(woocommerce.Source, wooSecret, s.store, logger, now))
	t.Cleanup(func() { s.checkLogsHoldNoBody(t) })
	return s
}

// Values of the fixtures that are personal data: none may reach a log.
var personal = []string{"bob.norman", "Norman", "Chestnut", "+16136120707", "john.doe", "969 Market", "555-5555", "imasecretipod"}

func (s *server) checkLogsHoldNoBody(t *testing.T) {
	logs := s.log.String()
	for _, l := range s.store.Logs {
		logs += fmt.Sprintf("%+v\n", l)
	}
	for _, p := range personal {
		if strings.Contains(logs, p) {
			t.Errorf("a log holds %q from a body:\n%s", p, logs)
		}
	}
}

func sign(body []byte, key string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func fixture(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (s *server) post(t *testing.T, path string, body []byte, headers map[string]string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := s.app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func shopifyHeaders(topic, id, signature string) map[string]string {
	return map[string]string{shopify.HeaderTopic: topic, shopify.HeaderWebhookID: id, shopify.HeaderHMAC: signature,
		shopify.HeaderShopDomain: "jsmith.myshopify.com"}
}

func (s *server) postShopify(t *testing.T, topic, id string, body []byte) (int, string) {
	return s.post(t, "/webhooks/shopify", body, shopifyHeaders(topic, id, sign(body, secret)))
}

func wantLog(t *testing.T, got shop.DeliveryLog, want shop.DeliveryLog) {
	t.Helper()
	want.At = clock
	if got != want {
		t.Errorf("delivery log = %+v, want %+v", got, want)
	}
}

func TestAcceptedDelivery(t *testing.T) {
	s := newServer(t, secret, secret)
	order := fixture(t, "shopify/testdata/order.json")
	status, body := s.postShopify(t, "orders/updated", "d-1", order)
	if status != 200 || body != "accepted" {
		t.Fatalf("answer %d %q, want 200 accepted", status, body)
	}
	if s.store.Written() != 1 || s.store.Batches[0].Orders[0].Number != "#1001" {
		t.Fatalf("written = %+v", s.store.Batches)
	}
	wantLog(t, s.store.LastLog(t), shop.DeliveryLog{Source: "shopify", DeliveryID: "d-1", Topic: "orders/updated", Outcome: shop.OutcomeAccepted, Records: 1})
}

func TestUnsetSecretIsNotFound(t *testing.T) {
	s := newServer(t, "", "")
	order := fixture(t, "shopify/testdata/order.json")
	for _, path := range []string{"/webhooks/shopify", "/webhooks/woocommerce"} {
		status, _ := s.post(t, path, order, shopifyHeaders("orders/create", "d-1", sign(order, "")))
		if status != 404 {
			t.Errorf("%s with no secret: %d, want 404", path, status)
		}
	}
	if s.store.Written() != 0 || len(s.store.Logs) != 0 {
		t.Errorf("an unset route wrote %d batches and %d log lines", s.store.Written(), len(s.store.Logs))
	}
}

func TestBadSignatureIsRefused(t *testing.T) {
	s := newServer(t, secret, secret)
	order := fixture(t, "shopify/testdata/order.json")
	tests := []struct {
		name, signature, reason string
	}{
		{"another key", sign(order, "other"), "X-Shopify-Hmac-Sha256 does not match the body"},
		{"none", "", "no X-Shopify-Hmac-Sha256 header"},
		{"not base64", "%%%", "X-Shopify-Hmac-Sha256 is not base64"},
		{"hex instead of base64", fmt.Sprintf("%x", hmac.New(sha256.New, []byte(secret)).Sum(nil)), "does not match"},
	}
	for _, tt := range tests {
		status, _ := s.post(t, "/webhooks/shopify", order, shopifyHeaders("orders/create", "d-1", tt.signature))
		if status != 401 {
			t.Errorf("%s: %d, want 401", tt.name, status)
		}
		l := s.store.LastLog(t)
		if l.Outcome != shop.OutcomeRefused || !strings.Contains(l.Reason, tt.reason) || l.Source != "shopify" ||
			l.DeliveryID != "d-1" || l.Topic != "orders/create" {
			t.Errorf("%s: logged %+v, want refused because %q, naming the delivery", tt.name, l, tt.reason)
		}
	}
	// Unsigned headers are cut short before they reach the log.
	long := strings.Repeat("é", 100)
	s.post(t, "/webhooks/shopify", order, shopifyHeaders(long, long, ""))
	if l := s.store.LastLog(t); len(l.Topic) > 64 || len(l.DeliveryID) > 64 || !strings.HasPrefix(long, l.Topic) || l.Topic == "" {
		t.Errorf("an unsigned 200-byte topic was logged as %q", l.Topic)
	}
	// The body was signed, then changed on the way.
	tampered := bytes.Replace(order, []byte(`"598.94"`), []byte(`"1.00"`), 1)
	if status, _ := s.post(t, "/webhooks/shopify", tampered, shopifyHeaders("orders/create", "d-2", sign(order, secret))); status != 401 {
		t.Errorf("a tampered body: %d, want 401", status)
	}
	if s.store.Written() != 0 || len(s.store.Deadlines) != 0 {
		t.Errorf("refused deliveries reached the store: %d batches", s.store.Written())
	}
}

func TestMalformedBodyIsBadRequest(t *testing.T) {
	s := newServer(t, secret, secret)
	tests := []struct{ name, body, reason string }{
		{"not JSON", `{"id": 1, "name": `, "not a JSON document"},
		{"a number too precise for KWD", `{"id": 1, "name": "#1", "email": "a@example.com", "currency": "KWD", "total_price": "1.2345"}`, "total_price"},
		{"a string for the line items", `{"id": 1, "name": "#1", "line_items": "many"}`, "line_items"},
	}
	for _, tt := range tests {
		status, _ := s.postShopify(t, "orders/create", "d-"+tt.name, []byte(tt.body))
		if status != 400 {
			t.Errorf("%s: %d, want 400", tt.name, status)
		}
		wantLog(t, s.store.LastLog(t), shop.DeliveryLog{Source: "shopify", DeliveryID: "d-" + tt.name, Topic: "orders/create",
			Outcome: shop.OutcomeMalformed, Reason: s.store.LastLog(t).Reason})
		if r := s.store.LastLog(t).Reason; !strings.Contains(r, tt.reason) {
			t.Errorf("%s: reason %q does not name %q", tt.name, r, tt.reason)
		}
	}
	if s.store.Written() != 0 || len(s.store.Deadlines) != 0 {
		t.Errorf("malformed deliveries reached the store")
	}
}

func TestUnknownTopicIsAcknowledged(t *testing.T) {
	s := newServer(t, secret, secret)
	status, body := s.postShopify(t, "products/create", "d-9", []byte(`{"id": 1, "title": "x"}`))
	if status != 200 || body != "ignored" {
		t.Errorf("answer %d %q, want 200 ignored", status, body)
	}
	l := s.store.LastLog(t)
	if l.Outcome != shop.OutcomeIgnored || l.Topic != "products/create" || l.DeliveryID != "d-9" || !strings.Contains(l.Reason, "products/create") {
		t.Errorf("logged %+v", l)
	}
	if s.store.Written() != 0 {
		t.Error("an ignored topic was written")
	}
}

func TestDuplicateIsAcknowledged(t *testing.T) {
	s := newServer(t, secret, secret)
	order := fixture(t, "shopify/testdata/order.json")
	s.postShopify(t, "orders/updated", "d-1", order)
	status, body := s.postShopify(t, "orders/updated", "d-1", order)
	if status != 200 || body != "duplicate" {
		t.Errorf("answer %d %q, want 200 duplicate", status, body)
	}
	wantLog(t, s.store.LastLog(t), shop.DeliveryLog{Source: "shopify", DeliveryID: "d-1", Topic: "orders/updated", Outcome: shop.OutcomeDuplicate})
	if s.store.Written() != 1 {
		t.Errorf("written %d times, want once", s.store.Written())
	}
}

func TestStoreFailureAsksForARetry(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		status int
		reason string
	}{
		{"store down", errors.New("disk I/O error on bob.norman@mail.example.com"), 500, "store failed"},
		{"order not there yet", &shop.RecordError{Index: 0, Field: "order_external_id", Err: fmt.Errorf("order %q: %w", "bob.norman", shop.ErrNotFound)}, 500, `field "order_external_id": not found`},
		{"record the store refuses", &shop.RecordError{Index: 0, Field: "total", Err: errors.New("Norman's total")}, 400, `record 0, field "total": rejected by the store`},
	}
	for _, tt := range tests {
		s := newServer(t, secret, secret)
		s.store.Fail = tt.err
		status, _ := s.postShopify(t, "orders/updated", "d-1", fixture(t, "shopify/testdata/order.json"))
		if status != tt.status {
			t.Errorf("%s: %d, want %d", tt.name, status, tt.status)
		}
		l := s.store.LastLog(t)
		if !strings.Contains(l.Reason, tt.reason) {
			t.Errorf("%s: reason %q, want %q", tt.name, l.Reason, tt.reason)
		}
		if tt.status == 500 && l.Outcome != shop.OutcomeFailed || tt.status == 400 && l.Outcome != shop.OutcomeMalformed {
			t.Errorf("%s: outcome %q", tt.name, l.Outcome)
		}
	}
}

// The store gets a deadline inside the second a platform waits, and a
// store that does not answer in time gets the delivery retried.
func TestAnswerWithinASecond(t *testing.T) {
	s := newServer(t, secret, secret)
	s.store.Block = true
	start := time.Now()
	status, _ := s.postShopify(t, "orders/updated", "d-1", fixture(t, "shopify/testdata/order.json"))
	if status != 500 {
		t.Errorf("a store past its deadline: %d, want 500", status)
	}
	if len(s.store.Deadlines) != 1 || s.store.Deadlines[0].IsZero() {
		t.Fatalf("the store was given no deadline: %v", s.store.Deadlines)
	}
	if d := s.store.Deadlines[0].Sub(start); d > webhooks.AnswerWithin {
		t.Errorf("the store's deadline is %v after the request, past %v", d, webhooks.AnswerWithin)
	}
	if l := s.store.LastLog(t); l.Outcome != shop.OutcomeFailed || l.Reason != "store did not answer in time" {
		t.Errorf("logged %+v", l)
	}
}

func TestCompressedBodyIsRefused(t *testing.T) {
	s := newServer(t, secret, secret)
	order := fixture(t, "shopify/testdata/order.json")
	h := shopifyHeaders("orders/create", "d-1", sign(order, secret))
	h["Content-Encoding"] = "gzip"
	if status, _ := s.post(t, "/webhooks/shopify", order, h); status != 415 {
		t.Errorf("a gzip body: %d, want 415", status)
	}
	if s.store.Written() != 0 {
		t.Error("a compressed body was written")
	}
}

func TestWooCommerceDeliveries(t *testing.T) {
	s := newServer(t, secret, secret)
	order := fixture(t, "woocommerce/testdata/order.json")
	h := map[string]string{woocommerce.HeaderTopic: "order.updated", woocommerce.HeaderDeliveryID: "w-1", woocommerce.HeaderSignature: sign(order, secret)}
	if status, _ := s.post(t, "/webhooks/woocommerce", order, h); status != 200 {
		t.Fatalf("signed order: %d", status)
	}
	if s.store.Written() != 1 || s.store.Batches[0].Orders[0].Number != "727" {
		t.Fatalf("written %+v", s.store.Batches)
	}
	h[woocommerce.HeaderSignature] = sign(order, "other")
	if status, _ := s.post(t, "/webhooks/woocommerce", order, h); status != 401 {
		t.Errorf("wrong signature: %d, want 401", status)
	}
	// Shopify's secret does not open WooCommerce's route, nor the other way.
	if status, _ := s.post(t, "/webhooks/shopify", order, map[string]string{shopify.HeaderTopic: "orders/create", shopify.HeaderHMAC: sign(order, "x")}); status != 401 {
		t.Errorf("cross-route: %d, want 401", status)
	}
	if s.store.Written() != 1 {
		t.Errorf("refused deliveries were written")
	}
}

func TestWooCommercePing(t *testing.T) {
	s := newServer(t, secret, secret)
	ping := fixture(t, "woocommerce/testdata/ping.txt")
	req := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	status, body := s.post(t, "/webhooks/woocommerce", ping, req)
	if status != 200 || body != "ignored" {
		t.Errorf("ping: %d %q, want 200", status, body)
	}
	wantLog(t, s.store.LastLog(t), shop.DeliveryLog{Source: "woocommerce", Outcome: shop.OutcomeIgnored, Reason: "ping"})
	// A ping-shaped body that claims a topic is a delivery: it must be signed.
	if status, _ := s.post(t, "/webhooks/woocommerce", ping, map[string]string{woocommerce.HeaderTopic: "order.created"}); status != 401 {
		t.Errorf("a topic with a ping body: %d, want 401", status)
	}
	// Shopify has no ping: the same body is refused there.
	if status, _ := s.post(t, "/webhooks/shopify", ping, req); status != 401 {
		t.Errorf("a ping to Shopify's route: %d, want 401", status)
	}
	if s.store.Written() != 0 {
		t.Error("a ping was written")
	}
}

// Platforms reorder deliveries: the older one reaches the store with its
// own updated_at, which is how the store tells it is stale.
func TestOlderDeliveryCarriesItsUpdatedAt(t *testing.T) {
	s := newServer(t, secret, secret)
	newer := []byte(`{"id": 5, "name": "#1005", "email": "a@example.com", "currency": "SAR", "total_price": "10.00", "financial_status": "paid", "fulfillment_status": "fulfilled", "updated_at": "2026-12-01T10:00:00+03:00"}`)
	older := []byte(`{"id": 5, "name": "#1005", "email": "a@example.com", "currency": "SAR", "total_price": "10.00", "financial_status": "pending", "updated_at": "2026-12-01T09:00:00+03:00"}`)
	s.postShopify(t, "orders/fulfilled", "d-new", newer)
	if status, _ := s.postShopify(t, "orders/create", "d-old", older); status != 200 {
		t.Fatalf("older delivery: %d", status)
	}
	if s.store.Written() != 2 {
		t.Fatalf("written %d", s.store.Written())
	}
	first, second := s.store.Batches[0].Orders[0], s.store.Batches[1].Orders[0]
	if !second.UpdatedAt.Before(first.UpdatedAt) || first.Status != shop.OrderShipped || second.Status != shop.OrderPending {
		t.Errorf("the store cannot tell the older delivery: %v %s, then %v %s", first.UpdatedAt, first.Status, second.UpdatedAt, second.Status)
	}
}
