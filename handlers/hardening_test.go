package handlers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"dashapp/db/shop"
)

func TestWrongMethodIs405WithAllow(t *testing.T) {
	app := newTestServer(t)
	tests := []struct{ method, path, allow string }{
		{http.MethodDelete, "/context", "POST"},
		{http.MethodGet, "/context", "POST"},
		{http.MethodPost, "/", "GET, HEAD"},
		{http.MethodPut, "/customers/7/orders", "GET, HEAD"},
		{http.MethodPost, "/healthz", "GET, HEAD"},
	}
	for _, tt := range tests {
		resp := do(t, app, httptest.NewRequest(tt.method, tt.path, nil))
		if resp.status != http.StatusMethodNotAllowed || resp.header.Get("Allow") != tt.allow {
			t.Errorf("%s %s: %d, Allow %q; want 405, Allow %q", tt.method, tt.path, resp.status, resp.header.Get("Allow"), tt.allow)
		}
	}
	for _, path := range []string{"/nope", "/customers/7", "/customers//orders"} {
		if resp := do(t, app, httptest.NewRequest(http.MethodPost, path, nil)); resp.status != http.StatusNotFound {
			t.Errorf("POST %s: %d, want 404", path, resp.status)
		}
	}
}

// The 401 page is read by an agent, who cannot configure the server: it
// says whom to ask. What to configure goes to the log.
func TestKeyRequiredSpeaksToTheAgent(t *testing.T) {
	var logged bytes.Buffer
	app := newTestServer(t, withKeys(newClock(), keyNew), func(d *Deps) { d.Logger = slog.New(slog.NewTextHandler(&logged, nil)) })
	for lang, want := range map[string]string{"en": "ask your Bevatel admin", "ar": "اطلب من مسؤول Bevatel"} {
		resp := do(t, app, httptest.NewRequest(http.MethodGet, "/?key=wrong&lang="+lang, nil))
		if resp.status != http.StatusUnauthorized || !strings.Contains(resp.body, want) {
			t.Errorf("%s: %d, page does not say %q", lang, resp.status, want)
		}
		if strings.Contains(resp.body, "DASHAPP_KEY") {
			t.Errorf("%s: the agent's page names the server's configuration", lang)
		}
	}
	if !strings.Contains(logged.String(), "DASHAPP_KEY") || strings.Contains(logged.String(), "wrong") {
		t.Errorf("the log does not say what to configure, or repeats the key given:\n%s", logged.String())
	}
}

// brokenSummary is a store whose summaries fail as the SQLite store's do:
// its error already names the customer.
type brokenSummary struct{ CustomerStore }

func (brokenSummary) Summary(_ context.Context, id int64) (shop.Summary, error) {
	return shop.Summary{}, fmt.Errorf("summary of customer %d: %w", id, errors.New("database disk image is malformed"))
}

func TestStoreErrorIsLoggedOnce(t *testing.T) {
	var logged bytes.Buffer
	app := newTestServer(t, func(d *Deps) {
		d.Store = brokenSummary{d.Store}
		d.Logger = slog.New(slog.NewTextHandler(&logged, nil))
	})
	if resp := postContext(t, app, fixture(t, "layla.json")); resp.status != http.StatusInternalServerError {
		t.Fatalf("status %d", resp.status)
	}
	if n := strings.Count(logged.String(), "summary of customer"); n != 1 {
		t.Errorf("the log names the summary %d times:\n%s", n, logged.String())
	}
}
