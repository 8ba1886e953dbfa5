package handlers

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/gofiber/fiber/v2"

	"dashapp/db"
	"dashapp/static"
)

// newTestServer serves the demo database from a real SQLite file.
func newTestServer(t *testing.T, mutate ...func(*Deps)) *fiber.App {
	t.Helper()
	ctx := context.Background()
	store, err := db.Open(ctx, filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := db.SeedDemo(ctx, store); err != nil {
		t.Fatal(err)
	}
	assets, err := static.Load()
	if err != nil {
		t.Fatal(err)
	}
	deps := Deps{
		Store:  store,
		Ready:  store,
		Assets: assets,
		Config: Config{AllowedOrigins: []string{"https://chat.bevatel.com"}},
	}
	for _, m := range mutate {
		m(&deps)
	}
	return NewServer(deps)
}

type response struct {
	status int
	header http.Header
	body   string
}

func do(t *testing.T, app *fiber.App, req *http.Request) response {
	t.Helper()
	resp, err := app.Test(req, -1) // no timeout: the default 1 s flakes on a busy machine
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: string(body)}
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("appcontext", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// asHostString wraps a payload the way the host posts it, as a JSON string,
// and then as the bridge forwards it: JSON-encoded once more.
func asHostString(t *testing.T, payload []byte) []byte {
	t.Helper()
	var compact bytes.Buffer
	if err := json.Compact(&compact, payload); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(compact.String())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func postContext(t *testing.T, app *fiber.App, body []byte) response {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/context", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("HX-Request", "true")
	return do(t, app, req)
}

func parse(t *testing.T, body string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestContextMatchesDemoContacts(t *testing.T) {
	app := newTestServer(t)
	tests := []struct {
		name      string
		body      []byte
		matchedBy string
		show      []string
	}{
		{"layla as the host's JSON string", asHostString(t, fixture(t, "layla.json")), "contact_id", []string{"Layla Al-Harbi", "C-1001"}},
		{"layla as a mobile client's object", fixture(t, "layla.json"), "contact_id", []string{"Layla Al-Harbi"}},
		{"james by email, whatever its case", asHostString(t, fixture(t, "james.json")), "email", []string{"James Carter", "james.carter@example.com"}},
		{"empty contact falls back to the sender", asHostString(t, fixture(t, "empty_contact.json")), "contact_id", []string{"Layla Al-Harbi"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := postContext(t, app, tt.body)
			if resp.status != http.StatusOK {
				t.Fatalf("status %d: %s", resp.status, resp.body)
			}
			if ct := resp.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			doc := parse(t, resp.body)
			panel := doc.Find("#customer-panel")
			if got, _ := panel.Attr("data-matched-by"); got != tt.matchedBy {
				t.Errorf("matched by %q, want %q", got, tt.matchedBy)
			}
			for _, want := range tt.show {
				if !strings.Contains(panel.Text(), want) {
					t.Errorf("panel does not show %q", want)
				}
			}
			if n := doc.Find("table.orders tbody tr").Length(); n == 0 {
				t.Error("no order rows")
			}
		})
	}
}

func TestContextWithoutMatchSaysWhatWasSearched(t *testing.T) {
	app := newTestServer(t)
	resp := postContext(t, app, asHostString(t, fixture(t, "anonymous.json")))
	if resp.status != http.StatusOK {
		t.Fatalf("status %d: %s", resp.status, resp.body)
	}
	doc := parse(t, resp.body)
	if got, _ := doc.Find("#customer-panel").Attr("data-matched-by"); got != "" {
		t.Errorf("anonymous visitor matched by %q", got)
	}
	if doc.Find("table.orders").Length() != 0 {
		t.Error("no-match state shows an orders table")
	}
	if !strings.Contains(doc.Text(), "3") {
		t.Error("no-match state does not say it searched contact id 3")
	}
}

func TestContextRejectsBadInputWith4xx(t *testing.T) {
	app := newTestServer(t)
	tests := []struct {
		name   string
		body   []byte
		status int
		says   string
	}{
		{"not JSON", []byte(`hello`), 400, "not JSON"},
		{"a bare string that is not the appContext", []byte(`"hello"`), 400, "hello"},
		{"fetch-info event", []byte(`"bevatel-dashboard-app:fetch-info"`), 400, ""},
		{"another event", []byte(`{"event":"somethingElse","data":{}}`), 400, "somethingElse"},
		{"empty body", nil, 400, ""},
		{"over the size limit", bytes.Repeat([]byte("x"), DefaultBodyLimit+1), 413, "is 4,097 KB; dashapp accepts at most 4,096 KB."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := postContext(t, app, tt.body)
			if resp.status != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.status, tt.status, resp.body)
			}
			if !strings.HasPrefix(resp.header.Get("Content-Type"), "text/html") {
				t.Errorf("error is not an HTML fragment: %q", resp.header.Get("Content-Type"))
			}
			doc := parse(t, resp.body)
			alert := doc.Find("[role=alert]")
			if alert.Length() == 0 {
				t.Errorf("no role=alert error fragment in %s", resp.body)
			}
			if !strings.Contains(alert.Text(), tt.says) {
				t.Errorf("error %q does not say %q", alert.Text(), tt.says)
			}
		})
	}
}

// A realistic payload of 500 long messages must fit under the limit.
func TestContextAcceptsFiveHundredMessages(t *testing.T) {
	app := newTestServer(t)
	var payload map[string]any
	if err := json.Unmarshal(fixture(t, "layla.json"), &payload); err != nil {
		t.Fatal(err)
	}
	conv := payload["data"].(map[string]any)["conversation"].(map[string]any)
	msgs := conv["messages"].([]any)
	var many []any
	for i := 0; i < 500; i++ {
		m := map[string]any{}
		for k, v := range msgs[i%len(msgs)].(map[string]any) {
			m[k] = v
		}
		m["id"] = 10000 + i
		m["content"] = strings.Repeat("A longer customer message about an order. ", 20)
		many = append(many, m)
	}
	conv["messages"] = many
	raw, _ := json.Marshal(payload)
	body := asHostString(t, raw)
	if len(body) < 500_000 {
		t.Fatalf("test payload is only %d bytes", len(body))
	}
	resp := postContext(t, app, body)
	if resp.status != http.StatusOK {
		t.Fatalf("status %d for a %d-byte payload: %.300s", resp.status, len(body), resp.body)
	}
}

func TestLoadMoreFollowsKeysetPages(t *testing.T) {
	app := newTestServer(t)
	doc := parse(t, postContext(t, app, asHostString(t, fixture(t, "layla.json"))).body)
	seen := map[string]bool{}
	doc.Find("table.orders tbody tr:not(#orders-more)").Each(func(_ int, s *goquery.Selection) {
		seen[strings.TrimSpace(s.Find("th").First().Text())] = true
	})
	more, ok := doc.Find("#orders-more button").Attr("hx-get")
	if !ok {
		t.Fatal("Layla has more than a page of orders, but there is no load-more button")
	}
	resp := do(t, app, httptest.NewRequest(http.MethodGet, more, nil))
	if resp.status != http.StatusOK {
		t.Fatalf("load more: status %d: %s", resp.status, resp.body)
	}
	page := parse(t, "<table><tbody>"+resp.body+"</tbody></table>")
	rows := page.Find("tr:not(#orders-more)")
	if rows.Length() == 0 {
		t.Fatal("load more returned no rows")
	}
	rows.Each(func(_ int, s *goquery.Selection) {
		number := strings.TrimSpace(s.Find("th").First().Text())
		if seen[number] {
			t.Errorf("order %s appears on two pages", number)
		}
	})

	for _, bad := range []string{"/customers/1/orders?after=not-a-cursor", "/customers/x/orders", "/customers/-1/payments"} {
		if resp := do(t, app, httptest.NewRequest(http.MethodGet, bad, nil)); resp.status != http.StatusBadRequest {
			t.Errorf("GET %s: status %d, want 400", bad, resp.status)
		}
	}
}

func TestAppPageSecurityHeaders(t *testing.T) {
	app := newTestServer(t)
	resp := do(t, app, httptest.NewRequest(http.MethodGet, "/", nil))
	if resp.status != http.StatusOK {
		t.Fatalf("status %d", resp.status)
	}
	csp := resp.header.Get("Content-Security-Policy")
	nonce := regexp.MustCompile(`'nonce-([^']+)'`).FindStringSubmatch(csp)
	if nonce == nil {
		t.Fatalf("CSP has no nonce: %q", csp)
	}
	for _, want := range []string{"frame-ancestors https://chat.bevatel.com", "connect-src 'self'", "default-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows unsafe-inline: %q", csp)
	}
	doc := parse(t, resp.body)
	doc.Find("script[src]").Each(func(_ int, s *goquery.Selection) {
		if got, _ := s.Attr("nonce"); got != nonce[1] {
			t.Errorf("script %s has nonce %q, want the CSP's %q", s.AttrOr("src", ""), got, nonce[1])
		}
	})
	if resp.header.Get("Referrer-Policy") != "no-referrer" || resp.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("missing Referrer-Policy or nosniff: %v", resp.header)
	}
	second := do(t, app, httptest.NewRequest(http.MethodGet, "/", nil))
	if second.header.Get("Content-Security-Policy") == csp {
		t.Error("two requests got the same nonce")
	}
}

func TestAssetsAreCachedForeverAndCompressed(t *testing.T) {
	app := newTestServer(t)
	doc := parse(t, do(t, app, httptest.NewRequest(http.MethodGet, "/", nil)).body)
	var urls []string
	doc.Find("script[src]").Each(func(_ int, s *goquery.Selection) { urls = append(urls, s.AttrOr("src", "")) })
	doc.Find("link[rel=stylesheet]").Each(func(_ int, s *goquery.Selection) { urls = append(urls, s.AttrOr("href", "")) })
	if len(urls) < 3 {
		t.Fatalf("page references %d assets, want htmx, the bridge and the stylesheet", len(urls))
	}
	for _, u := range urls {
		req := httptest.NewRequest(http.MethodGet, u, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp := do(t, app, req)
		if resp.status != http.StatusOK {
			t.Fatalf("GET %s: %d", u, resp.status)
		}
		if cc := resp.header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("%s Cache-Control %q", u, cc)
		}
		if resp.header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s is not served compressed", u)
			continue
		}
		zr, err := gzip.NewReader(strings.NewReader(resp.body))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadAll(zr); err != nil {
			t.Errorf("%s: bad gzip: %v", u, err)
		}
	}
}

func TestHealthAndReadiness(t *testing.T) {
	app := newTestServer(t)
	for _, path := range []string{"/healthz", "/readyz"} {
		resp := do(t, app, httptest.NewRequest(http.MethodGet, path, nil))
		if resp.status != http.StatusOK || !strings.Contains(resp.body, `"ok"`) {
			t.Errorf("GET %s: %d %s", path, resp.status, resp.body)
		}
	}
	broken := newTestServer(t, func(d *Deps) { d.Ready = failingReady{} })
	resp := do(t, broken, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	if resp.status != http.StatusServiceUnavailable || !strings.Contains(resp.body, "database file is read-only") {
		t.Errorf("GET /readyz on a broken database: %d %s", resp.status, resp.body)
	}
}

type failingReady struct{}

func (failingReady) Ready(context.Context) error {
	return fmt.Errorf("database file is read-only")
}

func TestUnknownRouteIsA404Page(t *testing.T) {
	app := newTestServer(t)
	resp := do(t, app, httptest.NewRequest(http.MethodGet, "/nope", nil))
	if resp.status != http.StatusNotFound || !strings.Contains(resp.header.Get("Content-Type"), "text/html") {
		t.Errorf("GET /nope: %d %s", resp.status, resp.header.Get("Content-Type"))
	}
}

// The summary's last order is the newest order, the first row of the
// orders table: its number, status and time.
func TestSummaryShowsTheNewestOrder(t *testing.T) {
	app := newTestServer(t)
	for _, name := range []string{"layla.json", "james.json"} {
		doc := parse(t, postContext(t, app, asHostString(t, fixture(t, name))).body)
		last := doc.Find(".summary .stat").FilterFunction(func(_ int, s *goquery.Selection) bool {
			return s.Find("dt").Text() == "Last order"
		})
		first := doc.Find("table.orders tbody tr").First()
		number, status, placed := first.Find("th bdi").Text(), first.Find(".badge").AttrOr("data-status", ""), first.Find("time").AttrOr("datetime", "")
		if number == "" || last.Find("bdi").Text() != number || last.Find(".badge").AttrOr("data-status", "") != status ||
			last.Find("time").AttrOr("datetime", "") != placed {
			t.Errorf("%s: last order %q %q %q, want the first row's %q %q %q", name, last.Find("bdi").Text(),
				last.Find(".badge").AttrOr("data-status", ""), last.Find("time").AttrOr("datetime", ""), number, status, placed)
		}
	}
}
