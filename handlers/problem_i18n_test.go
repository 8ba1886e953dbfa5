package handlers

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"github.com/gofiber/fiber/v2"

	"dashapp/handlers/appcontext"
	"dashapp/handlers/bevatel"
	"dashapp/handlers/bevatel/bevateltest"
	"dashapp/handlers/explorer"
	"dashapp/handlers/ratelimit"
	"dashapp/views"
)

// Every problem a handler answers reads in the request's language: ?lang=
// first, then Accept-Language; as the htmx fragment and as the error page.
func TestProblemsSpeakTheRequestsLanguage(t *testing.T) {
	_, badJSON := appcontext.Decode([]byte("hello"), appcontext.DefaultLimits)
	if badJSON == nil {
		t.Fatal("the decoder accepted hello")
	}
	srv, _ := bevateltest.Verifications(t)
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	withVerifier := func(baseURL string, failOpen bool) func(*Deps) {
		return func(d *Deps) {
			d.Verifier = bevatel.NewVerifier(baseURL, bevateltest.Token, 200*time.Millisecond, nil)
			d.Config.VerifyFailOpen = failOpen
		}
	}
	forged := asHostString(t, []byte(strings.Replace(string(fixture(t, "layla.json")), `"id": 101`, `"id": 102`, 1)))
	layla := asHostString(t, fixture(t, "layla.json"))
	post := func(body []byte) func() *http.Request {
		return func() *http.Request {
			req := httptest.NewRequest(http.MethodPost, "/context", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			return req
		}
	}
	get := func(target string) func() *http.Request {
		return func() *http.Request { return httptest.NewRequest(http.MethodGet, target, nil) }
	}
	withTokenOf := func(token *string, req func() *http.Request) func() *http.Request {
		return func() *http.Request { return withToken(req(), *token) }
	}

	dev := newTestServer(t)
	keyed := newTestServer(t, withKeys(newClock(), keyNew))
	_, token := openPage(t, keyed, keyNew)
	expiring := newClock()
	expiringApp := newTestServer(t, withKeys(expiring, keyNew), func(d *Deps) { d.Config.SessionTTL = time.Minute })
	_, expired := openPage(t, expiringApp, keyNew)
	expiring.advance(time.Hour)
	// The clock is frozen, so a drained bucket stays drained and every
	// later request waits the same 2 s.
	ipLimited := newTestServer(t, func(d *Deps) { d.Now = newClock().now; d.Config.IPRate = ratelimit.Rate{PerSecond: 0.5, Burst: 1} })
	do(t, ipLimited, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	sessionLimited := newTestServer(t, withKeys(newClock(), keyNew), func(d *Deps) { d.Config.SessionRate = ratelimit.Rate{PerSecond: 0.25, Burst: 1} })
	_, limitedToken := openPage(t, sessionLimited, keyNew)
	do(t, sessionLimited, withToken(httptest.NewRequest(http.MethodGet, "/customers/x/orders", nil), limitedToken))

	tests := []struct {
		name     string
		app      *fiber.App
		req      func() *http.Request
		status   int
		key      string
		args     []any
		fragment bool // always a fragment, whoever asks
	}{
		{"bad message", dev, post([]byte("hello")), 400, "problem.bad_message", []any{badJSON.Error()}, false},
		{"body over the limit", dev, post(bytes.Repeat([]byte("x"), DefaultBodyLimit+1)), 413, "problem.body_too_large", []any{4097, 4096}, false},
		{"bad customer id", dev, get("/customers/x/payments"), 400, "problem.bad_customer", nil, false},
		{"bad cursor", dev, get("/customers/1/orders?after=not-a-cursor"), 400, "problem.bad_cursor", nil, false},
		{"store failure", newTestServer(t, func(d *Deps) { d.Store = brokenOrders{d.Store} }), get("/customers/1/orders?after=abc"), 500, "problem.internal", nil, false},
		{"unknown route", dev, get("/nope"), 404, "problem.not_found", nil, false},
		{"simulator on another host", dev, func() *http.Request {
			req := httptest.NewRequest(http.MethodGet, "/simulator", nil)
			req.Host = "dashapp.test:8080"
			return req
		}, 400, "problem.simulator_host", []any{"8080", "8080"}, false},
		{"explorer event without a page session", dev, func() *http.Request {
			return httptest.NewRequest(http.MethodPost, "/explorer/events", strings.NewReader(`{"reason":"origin"}`))
		}, 400, "problem.event_no_session", []any{explorer.HeaderSession}, false},
		{"explorer without a page session", dev, get("/explorer"), 400, "problem.explorer_no_session", nil, false},
		{"access key missing", keyed, get("/?key=wrong"), 401, "problem.key_required", nil, false},
		{"session token missing", keyed, post(layla), 401, "problem.session_missing", nil, false},
		{"session token expired", expiringApp, withTokenOf(&expired, post(layla)), 401, "problem.session_expired", nil, false},
		{"load more without the grant", keyed, withTokenOf(&token, get("/customers/1/orders?after=abc")), 403, "problem.not_granted", nil, false},
		{"address over its rate", ipLimited, get("/healthz"), 429, "problem.rate_limited.address", []any{0.5, 2}, false},
		{"session over its rate", sessionLimited, withTokenOf(&limitedToken, get("/customers/x/orders")), 429, "problem.rate_limited.session", []any{0.25, 4}, false},
		{"context denied by the host", newTestServer(t, withVerifier(srv.URL, false)), post(forged), 403, "problem.not_verified", []any{"102", "1"}, false},
		{"host unreachable, failing closed", newTestServer(t, withVerifier(down.URL, false)), post(layla), 503, "problem.verify_unavailable", nil, false},
		{"host unreachable, failing open", newTestServer(t, withVerifier(down.URL, true)), post(layla), 200, "problem.unverified", nil, true},
	}
	langs := []struct {
		name, query, accept, want string
	}{
		{"no preference", "", "", views.English},
		{"?lang=ar", views.Arabic, "", views.Arabic},
		{"Accept-Language: ar-SA", "", "ar-SA,ar;q=0.9,en;q=0.5", views.Arabic},
		{"?lang=en over Accept-Language: ar", views.English, "ar", views.English},
	}
	for _, tt := range tests {
		for _, l := range langs {
			for _, htmx := range []bool{true, false} {
				form := "page"
				if htmx {
					form = "fragment"
				} else if tt.fragment {
					continue
				}
				t.Run(tt.name+"/"+l.name+"/"+form, func(t *testing.T) {
					req := tt.req()
					if l.query != "" {
						q := req.URL.Query()
						q.Set("lang", l.query)
						req.URL.RawQuery = q.Encode()
						req.RequestURI = req.URL.RequestURI() // app.Test sends RequestURI
					}
					if l.accept != "" {
						req.Header.Set("Accept-Language", l.accept)
					}
					if htmx {
						req.Header.Set("HX-Request", "true")
					}
					resp := do(t, tt.app, req)
					if resp.status != tt.status {
						t.Fatalf("status %d, want %d: %.300s", resp.status, tt.status, resp.body)
					}
					doc := parse(t, resp.body)
					page := strings.HasPrefix(strings.ToLower(resp.body), "<!doctype html>")
					if page != (!htmx && !tt.fragment) {
						t.Errorf("a whole page: %v, want %v: %.200s", page, !page, resp.body)
					}
					if page {
						assertLangDir(t, "<html>", doc.Find("html"), l.want)
					}
					alert := doc.Find("[role=alert]")
					if alert.Length() != 1 {
						t.Fatalf("%d alerts in %s", alert.Length(), resp.body)
					}
					assertLangDir(t, "the alert", alert, l.want)
					want := views.T(l.want, tt.key+".title")
					if got := strings.TrimSpace(alert.Find(".problem-title").Text()); got != want {
						t.Errorf("title %q, want %q", got, want)
					}
					want = views.Tf(l.want, tt.key+".detail", tt.args...)
					if got := alert.ChildrenFiltered("p").First().Text(); got != want {
						t.Errorf("detail %q, want %q", got, want)
					}
					if tt.status >= 400 && !strings.Contains(alert.Text(), views.Tf(l.want, "problem.status", tt.status)) {
						t.Errorf("the alert does not give the status in %s: %s", l.want, alert.Text())
					}
					if l.want == views.Arabic {
						alert.Find(".actions").Children().Each(func(_ int, s *goquery.Selection) {
							if !hasArabic(s.Text()) {
								t.Errorf("action %q is not in Arabic", s.Text())
							}
						})
						if title := alert.Find(".problem-title").Text(); !hasArabic(title) || strings.Contains(title, tt.key) {
							t.Errorf("the title %q is not Arabic", title)
						}
					}
				})
			}
		}
	}
}

func assertLangDir(t *testing.T, what string, s *goquery.Selection, lang string) {
	t.Helper()
	wantDir := "ltr"
	if lang == views.Arabic {
		wantDir = "rtl"
	}
	if got, _ := s.Attr("lang"); got != lang {
		t.Errorf("%s lang=%q, want %q", what, got, lang)
	}
	if got, _ := s.Attr("dir"); got != wantDir {
		t.Errorf("%s dir=%q, want %q", what, got, wantDir)
	}
}

func hasArabic(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Arabic, r) })
}

// Every problem key the handlers (and their subsystem packages) name is in
// the catalog, including those no request above reaches. A missing key
// would show as the key itself.
func TestProblemKeysAreInTheCatalog(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	inSubpackages, err := filepath.Glob("*/*.go")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, inSubpackages...)
	literal := regexp.MustCompile(`"(problem\.[a-z_.]+)"`)
	keys := []string{"problem.rate_limited.address", "problem.rate_limited.session"} // built from ratelimit.Middleware's what
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			if !strings.HasSuffix(m[1], ".") {
				keys = append(keys, m[1])
			}
		}
	}
	if len(keys) < 20 {
		t.Fatalf("found only %d problem keys; is the pattern still right?", len(keys))
	}
	for _, key := range keys {
		for _, part := range []string{".title", ".detail"} {
			for _, lang := range []string{views.English, views.Arabic} {
				if views.T(lang, key+part) == key+part {
					t.Errorf("%s%s has no %s text", key, part, lang)
				}
			}
		}
	}
}
