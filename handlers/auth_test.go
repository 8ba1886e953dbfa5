package handlers

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"dashapp/handlers/session"
	"github.com/gofiber/fiber/v2"
)

const (
	keyNew = "new-key-0123456789abcdef"
	keyOld = "old-key-fedcba9876543210"
)

// clock is a settable Deps.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)} }

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func withKeys(clk *clock, keys ...string) func(*Deps) {
	return func(d *Deps) {
		d.Config.Keys = keys
		d.Now = clk.now
	}
}

// openPage GETs the app page with key and returns the response and the
// session token handed to the bridge.
func openPage(t *testing.T, app *fiber.App, key string) (response, string) {
	t.Helper()
	resp := do(t, app, httptest.NewRequest(http.MethodGet, "/?key="+url.QueryEscape(key), nil))
	var cfg struct {
		Token string `json:"token"`
	}
	if resp.status == http.StatusOK {
		raw := parse(t, resp.body).Find("#dashapp-config").Text()
		if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
			t.Fatalf("bridge config %q: %v", raw, err)
		}
	}
	return resp, cfg.Token
}

func withToken(req *http.Request, token string) *http.Request {
	req.Header.Set(session.TokenHeader, token)
	return req
}

func postContextWith(t *testing.T, app *fiber.App, token string) response {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/context", strings.NewReader(string(asHostString(t, fixture(t, "layla.json")))))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("HX-Request", "true")
	return do(t, app, withToken(req, token))
}

func TestAppPageNeedsTheAccessKey(t *testing.T) {
	app := newTestServer(t, withKeys(newClock(), keyNew, keyOld))
	for _, key := range []string{"", "wrong", keyNew[:len(keyNew)-1], keyNew + "x", keyNew + "," + keyOld} {
		resp, _ := openPage(t, app, key)
		if resp.status != http.StatusUnauthorized {
			t.Errorf("key %q: status %d, want 401", key, resp.status)
			continue
		}
		if !strings.HasPrefix(resp.header.Get("Content-Type"), "text/html") || !strings.Contains(resp.body, "?key=") ||
			!strings.Contains(resp.body, "registered in Bevatel") {
			t.Errorf("key %q: the 401 page does not say what to configure:\n%s", key, resp.body)
		}
		if strings.Contains(resp.body, keyNew) || strings.Contains(resp.body, keyOld) {
			t.Errorf("key %q: the 401 page contains a configured key", key)
		}
	}
	for _, key := range []string{keyNew, keyOld} {
		resp, token := openPage(t, app, key)
		if resp.status != http.StatusOK || token == "" {
			t.Fatalf("the right key: status %d, token %q", resp.status, token)
		}
		if strings.Contains(resp.body, keyNew) || strings.Contains(resp.body, keyOld) {
			t.Error("the app page contains the access key")
		}
		if resp.header.Get("Cache-Control") != "no-store" {
			t.Errorf("the page with a session token is cacheable: %q", resp.header.Get("Cache-Control"))
		}
		if parse(t, resp.body).Find(".dev-banner").Length() != 0 {
			t.Error("the unauthenticated banner shows although a key is set")
		}
	}
}

func TestDataRoutesNeedASessionToken(t *testing.T) {
	clk := newClock()
	app := newTestServer(t, withKeys(clk, keyNew))
	_, token := openPage(t, app, keyNew)
	if resp := postContextWith(t, app, token); resp.status != http.StatusOK || !strings.Contains(resp.body, "Layla Al-Harbi") {
		t.Fatalf("POST /context with a token: %d %.200s", resp.status, resp.body)
	}
	more := loadMoreURL(t, postContextWith(t, app, token))
	if resp := do(t, app, withToken(httptest.NewRequest(http.MethodGet, more, nil), token)); resp.status != http.StatusOK {
		t.Fatalf("GET %s with a token: %d", more, resp.status)
	}

	sig := token[strings.LastIndexByte(token, '.')+1:]
	tampered := []string{
		"",
		"garbage",
		token[:strings.LastIndexByte(token, '.')] + ".",      // no signature
		strings.Replace(token, ".", "0.", 1),                 // another session id, same signature
		strings.Split(token, ".")[0] + ".99999999999." + sig, // a later expiry, same signature
		token + "x",
	}
	for _, tok := range tampered {
		for _, req := range []*http.Request{
			httptest.NewRequest(http.MethodGet, "/customers/1/orders", nil),
			httptest.NewRequest(http.MethodGet, "/customers/1/payments", nil),
		} {
			req.Header.Set("HX-Request", "true")
			resp := do(t, app, withToken(req, tok))
			if resp.status != http.StatusUnauthorized || parse(t, resp.body).Find("[role=alert]").Length() == 0 ||
				strings.Contains(resp.body, "<html") {
				t.Errorf("%s with token %q: %d, want a 401 fragment: %.200s", req.URL, tok, resp.status, resp.body)
			}
			if strings.Contains(resp.body, "C-1001") {
				t.Errorf("%s with token %q shows customer data", req.URL, tok)
			}
		}
		if resp := postContextWith(t, app, tok); resp.status != http.StatusUnauthorized || strings.Contains(resp.body, "Layla") {
			t.Errorf("POST /context with token %q: %d %.200s", tok, resp.status, resp.body)
		}
	}

	clk.advance(session.DefaultTTL - time.Second)
	if resp := postContextWith(t, app, token); resp.status != http.StatusOK {
		t.Errorf("a token just before its expiry: %d", resp.status)
	}
	clk.advance(time.Second)
	if resp := postContextWith(t, app, token); resp.status != http.StatusUnauthorized || !strings.Contains(resp.body, "expired") {
		t.Errorf("an expired token: %d %.300s", resp.status, resp.body)
	}
}

// Rotation: "new,old" accepts sessions the old key opened; once the old key
// is gone, they stop working.
func TestKeyRotation(t *testing.T) {
	clk := newClock()
	_, oldToken := openPage(t, newTestServer(t, withKeys(clk, keyOld)), keyOld)
	rotating := newTestServer(t, withKeys(clk, keyNew, keyOld))
	if resp := postContextWith(t, rotating, oldToken); resp.status != http.StatusOK {
		t.Errorf("during the rotation, a session of the old key: %d", resp.status)
	}
	_, newToken := openPage(t, rotating, keyOld)
	rotated := newTestServer(t, withKeys(clk, keyNew))
	if resp := postContextWith(t, rotated, newToken); resp.status != http.StatusOK {
		t.Errorf("after the rotation, a session opened during it: %d", resp.status)
	}
	if resp := postContextWith(t, rotated, oldToken); resp.status != http.StatusUnauthorized {
		t.Errorf("after the rotation, a session of the old key: %d, want 401", resp.status)
	}
}

func TestDevModeNeedsNoKey(t *testing.T) {
	app := newTestServer(t)
	resp, token := openPage(t, app, "")
	if resp.status != http.StatusOK || token != "" {
		t.Fatalf("dev page: %d, token %q", resp.status, token)
	}
	if parse(t, resp.body).Find(".dev-banner").Length() != 1 {
		t.Error("no unauthenticated banner in development mode")
	}
	if resp := postContextWith(t, app, ""); resp.status != http.StatusOK {
		t.Errorf("dev POST /context: %d", resp.status)
	}
}

// At info level the access log says what was asked, never what was in it:
// no payload contents, no key, no token.
func TestAccessLogHoldsNoSecretsOrCustomerData(t *testing.T) {
	var out strings.Builder
	logger := slog.New(slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelInfo}))
	app := newTestServer(t, withKeys(newClock(), keyNew), func(d *Deps) { d.Logger = logger })
	_, token := openPage(t, app, keyNew)
	if resp := postContextWith(t, app, token); resp.status != http.StatusOK {
		t.Fatalf("POST /context: %d", resp.status)
	}
	openPage(t, app, "wrong-key-guess")
	log := out.String()
	if n := strings.Count(log, `"msg":"request"`); n != 3 {
		t.Fatalf("%d access log lines, want 3:\n%s", n, log)
	}
	for _, secret := range []string{keyNew, token, "wrong-key-guess", "layla@example.com", "Layla", "cust-1001", "+966 50 000 0001"} {
		if strings.Contains(log, secret) {
			t.Errorf("the access log contains %q:\n%s", secret, log)
		}
	}
}

// loadMoreURL is the panel's "load more orders" link.
func loadMoreURL(t *testing.T, panel response) string {
	t.Helper()
	more, ok := parse(t, panel.body).Find("#orders-more button").Attr("hx-get")
	if !ok {
		t.Fatalf("the panel has no load-more link: %.300s", panel.body)
	}
	return more
}

// paymentsURL is the link the panel's closed payments section loads its
// first page from when it is opened.
func paymentsURL(t *testing.T, panel response) string {
	t.Helper()
	doc := parse(t, panel.body)
	first, ok := doc.Find("details#payments-section").Attr("hx-get")
	if !ok {
		t.Fatalf("the panel's payments section links no first page: %.300s", panel.body)
	}
	return first
}

// The panel renders no payment rows, only their closed section; opening
// it loads the first page, for the session and customer the link was
// issued to alone.
func TestPaymentsLoadForThePanelsGrant(t *testing.T) {
	app := newTestServer(t, withKeys(newClock(), keyNew))
	_, token := openPage(t, app, keyNew)
	_, otherToken := openPage(t, app, keyNew)
	panel := postContextWith(t, app, token)
	if rows := parse(t, panel.body).Find("table.payments tbody tr"); rows.Length() != 1 || rows.AttrOr("id", "") != "payments-more" {
		t.Errorf("the panel's payments table holds %d rows, want its pending row alone", rows.Length())
	}
	if strings.Contains(panel.body, "PAY-") {
		t.Error("the panel renders payment refs before their section is opened")
	}
	first := paymentsURL(t, panel)
	if !strings.HasPrefix(first, "/customers/1/payments?") || !strings.Contains(first, "grant=") || strings.Contains(first, "after=") {
		t.Fatalf("first page of payments = %q, want Layla's, granted, without a cursor", first)
	}
	resp := do(t, app, hxGetWith(t, first, token))
	doc := parse(t, "<table><tbody>"+resp.body+"</tbody></table>")
	if resp.status != http.StatusOK || doc.Find("tr:not(.more-row)").Length() != 20 || doc.Find("tr#payments-more button").Length() != 1 {
		t.Fatalf("first page of payments: %d, %d rows: %.300s", resp.status, doc.Find("tr:not(.more-row)").Length(), resp.body)
	}
	if got := doc.Find(`td[data-label="Order"]`).First().Text(); !strings.HasPrefix(got, "ORD-") {
		t.Errorf("newest payment's order = %q", got)
	}
	if resp := do(t, app, hxGetWith(t, first, otherToken)); resp.status != http.StatusForbidden || strings.Contains(resp.body, "ORD-") {
		t.Errorf("another session's token: %d, want 403 without rows: %.200s", resp.status, resp.body)
	}
}

// A load-more link works only for the session it was issued to and the
// customer it was issued for: a token alone does not page through any id.
func TestLoadMoreNeedsThePanelsGrant(t *testing.T) {
	clk := newClock()
	app := newTestServer(t, withKeys(clk, keyNew))
	_, token := openPage(t, app, keyNew)
	_, otherToken := openPage(t, app, keyNew)
	more := loadMoreURL(t, postContextWith(t, app, token))
	if !strings.Contains(more, "grant=") {
		t.Fatalf("load-more link carries no grant: %s", more)
	}
	get := func(target, tok string) response {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("HX-Request", "true")
		return do(t, app, withToken(req, tok))
	}
	if resp := get(more, token); resp.status != http.StatusOK {
		t.Fatalf("the issued link: %d %.200s", resp.status, resp.body)
	}
	u, _ := url.Parse(more)
	q := u.Query()
	noGrant := u.Path + "?" + strings.Replace(u.RawQuery, "grant="+url.QueryEscape(q.Get("grant")), "", 1)
	for name, tt := range map[string]struct{ target, token string }{
		"another customer's id":   {strings.Replace(more, "/customers/1/", "/customers/2/", 1), token},
		"another session's token": {more, otherToken},
		"no grant":                {noGrant, token},
		"the payments of another": {strings.Replace(strings.Replace(more, "/customers/1/", "/customers/3/", 1), "/orders", "/payments", 1), token},
	} {
		resp := get(tt.target, tt.token)
		if resp.status != http.StatusForbidden || strings.Contains(resp.body, "ORD-") {
			t.Errorf("%s: %d, want 403 without rows: %.200s", name, resp.status, resp.body)
		}
	}
}
