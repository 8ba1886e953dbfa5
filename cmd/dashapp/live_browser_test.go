package main

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const liveShopifySecret = "dashapp-shopify-test-secret"

// The end-to-end test: a shop's signed Shopify deliveries arrive
// over HTTP at the whole program, and the agent's framed panel, in a real
// browser, shows the new order on the next fetch-info, then the tracking
// link the fulfilment added to it.
func TestBrowserLiveDeliveryReachesThePanel(t *testing.T) {
	host, page := newHost(t)
	base, _, _ := startAppWithEnv(t, map[string]string{"DASHAPP_SHOPIFY_SECRET": liveShopifySecret},
		"-demo=off", "-allowed-origins", host.URL)
	waitReady(t, base)
	appURL := strings.Replace(base, "127.0.0.1", "localhost", 1) + "/?lang=en"
	browser := newBrowser(t)

	// Bob writes in before his order exists: the panel finds nobody.
	*page = hostPage(t, appURL, bobContext(t), hostMode{SendOnLoad: true, Answer: true}, "")
	do(t, browser, chromedp.Navigate(host.URL))
	app := frameContext(t, browser, appURL)
	waitJS(t, app, `document.querySelector("#customer-panel .empty")`, 10*time.Second)

	// Shopify's orders/create, before anything was shipped.
	var order map[string]any
	if err := json.Unmarshal(shopifyFixture(t, "order.json"), &order); err != nil {
		t.Fatal(err)
	}
	order["fulfillments"], order["fulfillment_status"] = []any{}, nil
	created, err := json.Marshal(order)
	if err != nil {
		t.Fatal(err)
	}
	deliverShopify(t, base, "orders/create", "e2e-order-1", created)

	execJS(t, app, `document.querySelector("#refresh, .js-refresh").click()`)
	row := `[...document.querySelectorAll("table.orders tbody tr")].find(tr => tr.querySelector("th bdi").textContent.trim() === "#1001")`
	waitJS(t, app, row, 10*time.Second)
	if got := evalJS[string](t, app, `document.querySelector("#customer-panel").dataset.matchedBy`); got != "email" {
		t.Errorf("Bob matched by %q, want email", got)
	}
	if text := evalJS[string](t, app, row+`.innerText`); !strings.Contains(text, "USD 598.94") {
		t.Errorf("order row does not show the order's total_price, USD 598.94: %q", text)
	}
	if n := evalJS[int](t, app, `document.querySelectorAll("a.tracking").length`); n != 0 {
		t.Fatalf("an unshipped order shows %d tracking links", n)
	}

	// A minute later the shop ships it: fulfillments/create with USPS's
	// tracking number, and the agent refreshes.
	deliverShopify(t, base, "fulfillments/create", "e2e-fulfillment-1", shopifyFixture(t, "fulfillment.json"))
	execJS(t, app, `document.querySelector("#refresh, .js-refresh").click()`)
	waitJS(t, app, row+`.querySelector("a.tracking")`, 10*time.Second)
	const wantURL = "https://tools.usps.com/go/TrackConfirmAction_input?qtc_tLabels1=1Z2345"
	if got := evalJS[string](t, app, row+`.querySelector("a.tracking").href`); got != wantURL {
		t.Errorf("tracking link %q, want %q", got, wantURL)
	}
	text := evalJS[string](t, app, row+`.querySelector("a.tracking").innerText`)
	for _, want := range []string{"USPS", "1Z2345"} {
		if !strings.Contains(text, want) {
			t.Errorf("tracking link %q does not show %q", text, want)
		}
	}
	// The link is on screen, not just in the document.
	if !evalJS[bool](t, app, row+`.querySelector("a.tracking").checkVisibility()`) {
		t.Error("the tracking link is not visible")
	}
}

// bobContext is Layla's appContext as Bob Norman's, the customer of
// Shopify's order example: his email is how the panel finds him.
func bobContext(t testing.TB) string {
	t.Helper()
	return compactJSON(t, strings.NewReplacer(
		"layla@example.com", "bob.norman@mail.example.com",
		"Layla Al-Harbi", "Bob Norman",
		"cust-1001", "cust-bob",
	).Replace(readFixture(t, "layla.json")))
}

func shopifyFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "handlers", "webhooks", "shopify", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// deliverShopify posts body as Shopify does, signed with the base64
// HMAC-SHA256 of the raw body, and fails unless it is accepted.
func deliverShopify(t testing.TB, base, topic, id string, body []byte) {
	t.Helper()
	mac := hmac.New(sha256.New, []byte(liveShopifySecret))
	mac.Write(body)
	req, err := http.NewRequest(http.MethodPost, base+"/webhooks/shopify", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Shopify-Topic", topic)
	req.Header.Set("X-Shopify-Webhook-Id", id)
	req.Header.Set("X-Shopify-Shop-Domain", "jsmith.myshopify.com")
	req.Header.Set("X-Shopify-Hmac-Sha256", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("deliver %s: %v", topic, err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("deliver %s: %d %s", topic, resp.StatusCode, answer)
	}
}
