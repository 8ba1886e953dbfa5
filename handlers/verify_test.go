package handlers

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"dashapp/handlers/bevatel"
	"dashapp/handlers/bevatel/bevateltest"
)

func TestContextIsVerifiedBeforeCustomerData(t *testing.T) {
	srv, _ := bevateltest.Verifications(t)
	var log strings.Builder
	withVerifier := func(baseURL string, failOpen bool) func(*Deps) {
		return func(d *Deps) {
			d.Verifier = bevatel.NewVerifier(baseURL, bevateltest.Token, 200*time.Millisecond, nil)
			d.Config.VerifyFailOpen = failOpen
			d.Logger = slog.New(slog.NewTextHandler(&log, nil))
		}
	}
	verified := newTestServer(t, withVerifier(srv.URL, false))
	resp := postContext(t, verified, asHostString(t, fixture(t, "layla.json")))
	if resp.status != http.StatusOK || !strings.Contains(resp.body, "C-1001") || strings.Contains(resp.body, "Unverified") {
		t.Errorf("a verified context: %d %.300s", resp.status, resp.body)
	}

	// Layla's contact in James's conversation: a forged context.
	forged := strings.Replace(string(fixture(t, "layla.json")), `"id": 101`, `"id": 102`, 1)
	resp = postContext(t, verified, asHostString(t, []byte(forged)))
	if resp.status != http.StatusForbidden || !strings.Contains(resp.body, "could not be verified") || strings.Contains(resp.body, "C-1001") {
		t.Errorf("a forged context: %d %.500s", resp.status, resp.body)
	}
	// The anonymous visitor's conversation 103 is unknown to the fake API.
	if resp := postContext(t, verified, asHostString(t, fixture(t, "anonymous.json"))); resp.status != http.StatusForbidden {
		t.Errorf("an unknown conversation: %d", resp.status)
	}

	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	closed := newTestServer(t, withVerifier(down.URL, false))
	resp = postContext(t, closed, asHostString(t, fixture(t, "layla.json")))
	if resp.status != http.StatusServiceUnavailable || !strings.Contains(resp.body, "could not ask Bevatel") || strings.Contains(resp.body, "C-1001") {
		t.Errorf("host API down, failing closed: %d %.500s", resp.status, resp.body)
	}
	open := newTestServer(t, withVerifier(down.URL, true))
	resp = postContext(t, open, asHostString(t, fixture(t, "layla.json")))
	if resp.status != http.StatusOK || !strings.Contains(resp.body, "Unverified context") || !strings.Contains(resp.body, "C-1001") {
		t.Errorf("host API down, failing open: %d %.500s", resp.status, resp.body)
	}
	// Even a forged context is refused when failing open: the host denied it.
	if resp := postContext(t, newTestServer(t, withVerifier(srv.URL, true)), asHostString(t, []byte(forged))); resp.status != http.StatusForbidden {
		t.Errorf("a forged context, failing open: %d", resp.status)
	}

	if !strings.Contains(log.String(), "verify context") {
		t.Errorf("the unreachable API was not logged:\n%s", log.String())
	}
	if strings.Contains(log.String(), bevateltest.Token) {
		t.Errorf("the log contains the API token:\n%s", log.String())
	}
}
