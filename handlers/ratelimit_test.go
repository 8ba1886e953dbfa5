package handlers

import (
	"dashapp/handlers/ratelimit"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestRateLimitPerSession(t *testing.T) {
	clk := newClock()
	app := newTestServer(t, withKeys(clk, keyNew), func(d *Deps) {
		d.Config.SessionRate = ratelimit.Rate{PerSecond: 1, Burst: 3}
	})
	_, a := openPage(t, app, keyNew)
	_, b := openPage(t, app, keyNew)
	get := func(token string) response { return postContextWith(t, app, token) }
	for i := range 3 {
		if resp := get(a); resp.status != http.StatusOK {
			t.Fatalf("request %d within the burst: %d", i+1, resp.status)
		}
	}
	resp := get(a)
	if resp.status != http.StatusTooManyRequests {
		t.Fatalf("request past the burst: %d, want 429", resp.status)
	}
	if resp.header.Get("Retry-After") != "1" {
		t.Errorf("Retry-After %q, want 1", resp.header.Get("Retry-After"))
	}
	if alert := parse(t, resp.body).Find("[role=alert]"); alert.Length() == 0 || !strings.Contains(alert.Text(), "Wait 1 s") {
		t.Errorf("429 is not a fragment that says how long to wait: %s", resp.body)
	}
	if resp := get(b); resp.status != http.StatusOK {
		t.Errorf("another session is limited too: %d", resp.status)
	}
	clk.advance(time.Second)
	if resp := get(a); resp.status != http.StatusOK {
		t.Errorf("after a second the session got no new token: %d", resp.status)
	}
}

func TestRateLimitPerIP(t *testing.T) {
	clk := newClock()
	app := newTestServer(t, func(d *Deps) {
		d.Now = clk.now
		d.Config.IPRate = ratelimit.Rate{PerSecond: 0.5, Burst: 2}
	})
	// app.Test connects every request from one address; the per-session
	// test shows that keys are counted apart.
	get := func() response { return do(t, app, httptest.NewRequest(http.MethodGet, "/healthz", nil)) }
	get()
	get()
	resp := get()
	if resp.status != http.StatusTooManyRequests || resp.header.Get("Retry-After") != "2" {
		t.Fatalf("third request at 0.5/s burst 2: %d Retry-After %q", resp.status, resp.header.Get("Retry-After"))
	}
	if !strings.Contains(resp.body, "<html") || !strings.Contains(resp.body, "Too many requests") {
		t.Errorf("429 without HX-Request is not a page: %s", resp.body)
	}
	clk.advance(2 * time.Second)
	if resp := get(); resp.status != http.StatusOK {
		t.Errorf("after Retry-After the address is still limited: %d", resp.status)
	}
}

func TestRateLimitOff(t *testing.T) {
	app := newTestServer(t, func(d *Deps) { d.Config.IPRate = ratelimit.Rate{PerSecond: -1} })
	for i := range 300 {
		if resp := do(t, app, httptest.NewRequest(http.MethodGet, "/healthz", nil)); resp.status != http.StatusOK {
			t.Fatalf("request %d with the limit off: %d", i, resp.status)
		}
	}
}
