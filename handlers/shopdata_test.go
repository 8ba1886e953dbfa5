package handlers

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"dashapp/db"
)

// The live-data routes are wired: a source whose secret is unset is not
// served, a set one checks its signature, /ingest writes into the real
// database and the panel shows what it wrote, and /status needs the key.
func TestShopDataRoutes(t *testing.T) {
	const secret, token, key = "shopify-secret", "ingest-token-0123", "access-key-0123456789"
	app := newTestServer(t, func(d *Deps) {
		d.Shop = d.Store.(*db.DB)
		d.Config.ShopifySecret, d.Config.IngestToken = secret, token
	})
	post := func(path, body string, header map[string]string) response {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		for k, v := range header {
			req.Header.Set(k, v)
		}
		return do(t, app, req)
	}
	if r := post("/webhooks/salla", `{}`, nil); r.status != http.StatusNotFound {
		t.Errorf("salla without DASHAPP_SALLA_SECRET: %d, want 404", r.status)
	}
	order, err := os.ReadFile("webhooks/shopify/testdata/order.json")
	if err != nil {
		t.Fatal(err)
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(order)
	signed := map[string]string{"X-Shopify-Topic": "orders/updated", "X-Shopify-Webhook-Id": "w-1",
		"X-Shopify-Hmac-Sha256": base64.StdEncoding.EncodeToString(mac.Sum(nil))}
	if r := post("/webhooks/shopify", string(order), map[string]string{"X-Shopify-Topic": "orders/updated", "X-Shopify-Hmac-Sha256": "bad"}); r.status != http.StatusUnauthorized {
		t.Errorf("shopify with a bad signature: %d, want 401", r.status)
	}
	if r := post("/webhooks/shopify", string(order), signed); r.status != http.StatusOK {
		t.Errorf("signed shopify delivery: %d %s", r.status, r.body)
	}

	record := `[{"type":"customer","ref":"C-9001","name":"Noor Haddad","email":"noor@example.com","updated_at":"2026-11-01T09:00:00Z"},` +
		`{"type":"order","number":"A9001","customer_ref":"C-9001","status":"paid","currency":"SAR","total":"149.50","placed_at":"2026-11-01T09:30:00+03:00","updated_at":"2026-11-01T09:30:00+03:00"}]`
	if r := post("/ingest", record, nil); r.status != http.StatusUnauthorized {
		t.Errorf("/ingest without the token: %d, want 401", r.status)
	}
	// Fiber's c.Body() would inflate a compressed body without limit.
	if r := post("/ingest", record, map[string]string{"Authorization": "Bearer " + token, "Content-Encoding": "gzip"}); r.status != http.StatusUnsupportedMediaType {
		t.Errorf("/ingest with a compressed body: %d, want 415", r.status)
	}
	if r := post("/ingest", record, map[string]string{"Authorization": "Bearer " + token}); r.status != http.StatusOK {
		t.Fatalf("/ingest: %d %s", r.status, r.body)
	}
	panel := post("/context", `{"event":"appContext","data":{"conversation":{"id":9},"contact":{"id":900,"email":"NOOR@example.com"},"currentAgent":{"id":1,"name":"A"}}}`, nil)
	if panel.status != http.StatusOK || !strings.Contains(panel.body, "A9001") || !strings.Contains(panel.body, "Noor Haddad") {
		t.Errorf("the panel does not show the ingested order: %d %.300s", panel.status, panel.body)
	}

	keyed := newTestServer(t, func(d *Deps) { d.Shop = d.Store.(*db.DB); d.Config.Keys = []string{key} })
	if r := do(t, keyed, httptest.NewRequest(http.MethodGet, "/status", nil)); r.status != http.StatusUnauthorized {
		t.Errorf("/status without the key: %d, want 401", r.status)
	}
	if r := do(t, keyed, httptest.NewRequest(http.MethodGet, "/status?key="+key, nil)); r.status != http.StatusOK || !strings.Contains(r.body, "DASHAPP_SHOPIFY_SECRET") {
		t.Errorf("/status with the key: %d %.300s", r.status, r.body)
	}
}
