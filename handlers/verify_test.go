package handlers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const apiToken = "secret-api-token-4f1c"

// fakeBevatel speaks GET /api/v1/accounts/1/conversations/{id}: 101 is
// Layla's (contact 1), 102 James's (contact 2), 500 is slow, 401 refuses
// the token, 5000 fails, anything else is unknown.
func fakeBevatel(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.Header.Get("api_access_token") != apiToken {
			http.Error(w, `{"error":"Invalid Access Token"}`, http.StatusUnauthorized)
			return
		}
		var id int64
		if _, err := fmt.Sscanf(r.URL.Path, "/api/v1/accounts/1/conversations/%d", &id); err != nil {
			http.NotFound(w, r)
			return
		}
		switch id {
		case 101, 102:
			fmt.Fprintf(w, `{"id":%d,"account_id":1,"meta":{"sender":{"id":%d,"name":"x"}},"messages":[]}`, id, id-100)
		case 500:
			select {
			case <-time.After(2 * time.Second):
			case <-r.Context().Done():
			}
		case 401:
			http.Error(w, `{"error":"unauthorized"}`, http.StatusUnauthorized)
		case 5000:
			http.Error(w, "boom", http.StatusInternalServerError)
		default:
			http.Error(w, `{"error":"Resource could not be found"}`, http.StatusNotFound)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestBevatelVerifier(t *testing.T) {
	srv, _ := fakeBevatel(t)
	v := NewBevatelVerifier(srv.URL+"/", apiToken, 200*time.Millisecond, nil)
	tests := []struct {
		name          string
		conv, contact int64
		notVerified   bool // denied: ErrNotVerified
		unavailable   string
	}{
		{"the conversation is the contact's", 101, 1, false, ""},
		{"another contact's conversation", 102, 1, true, ""},
		{"unknown conversation (404)", 999, 1, true, ""},
		{"slower than the timeout", 500, 1, false, "Timeout"},
		{"token refused (401)", 401, 1, false, "refused DASHAPP_BEVATEL_TOKEN"},
		{"server error (500)", 5000, 1, false, "500"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			err := v.Verify(context.Background(), 1, tt.conv, tt.contact)
			if time.Since(start) > time.Second {
				t.Errorf("took %s, past the 200 ms timeout", time.Since(start))
			}
			switch {
			case tt.notVerified:
				if !errors.Is(err, ErrNotVerified) {
					t.Errorf("err %v, want ErrNotVerified", err)
				}
			case tt.unavailable != "":
				if err == nil || errors.Is(err, ErrNotVerified) || !strings.Contains(err.Error(), tt.unavailable) {
					t.Errorf("err %v, want an unavailability error saying %q", err, tt.unavailable)
				}
			default:
				if err != nil {
					t.Errorf("err %v, want nil", err)
				}
			}
			if err != nil && strings.Contains(err.Error(), apiToken) {
				t.Errorf("the error contains the token: %v", err)
			}
		})
	}
	srv.Close()
	if err := v.Verify(context.Background(), 1, 777, 1); err == nil || errors.Is(err, ErrNotVerified) {
		t.Errorf("connection refused: %v, want an unavailability error", err)
	}
}

// Answers are cached for a minute; failures to ask are not.
func TestBevatelVerifierCaches(t *testing.T) {
	srv, calls := fakeBevatel(t)
	clk := newClock()
	v := NewBevatelVerifier(srv.URL, apiToken, time.Second, clk.now)
	for range 3 {
		if err := v.Verify(context.Background(), 1, 101, 1); err != nil {
			t.Fatal(err)
		}
		if err := v.Verify(context.Background(), 1, 102, 1); !errors.Is(err, ErrNotVerified) {
			t.Fatal(err)
		}
		_ = v.Verify(context.Background(), 1, 5000, 1)
	}
	if n := calls.Load(); n != 5 {
		t.Errorf("%d calls to the API, want 5 (one per answer, three failures)", n)
	}
	clk.advance(DefaultVerifyCacheTTL)
	_ = v.Verify(context.Background(), 1, 101, 1)
	if n := calls.Load(); n != 6 {
		t.Errorf("%d calls after the TTL, want 6", n)
	}

	small := newVerdictCache(time.Minute, 3, clk.now)
	for i := range 10 {
		small.put([3]int64{1, int64(i), 1}, nil)
	}
	if len(small.m) > 3 {
		t.Errorf("cache holds %d entries, want at most 3", len(small.m))
	}
	if _, ok := small.get([3]int64{1, 9, 1}); !ok {
		t.Error("the newest entry was evicted")
	}
}

func TestContextIsVerifiedBeforeCustomerData(t *testing.T) {
	srv, _ := fakeBevatel(t)
	var log strings.Builder
	withVerifier := func(baseURL string, failOpen bool) func(*Deps) {
		return func(d *Deps) {
			d.Verifier = NewBevatelVerifier(baseURL, apiToken, 200*time.Millisecond, nil)
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
	if strings.Contains(log.String(), apiToken) {
		t.Errorf("the log contains the API token:\n%s", log.String())
	}
}

// Go's client forwards custom headers on a redirect, even to another host:
// following one would hand the API token to wherever Bevatel (or whoever
// answers at DASHAPP_BEVATEL_URL) points.
func TestBevatelVerifierFollowsNoRedirect(t *testing.T) {
	var leaked atomic.Int32
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("api_access_token") != "" {
			leaked.Add(1)
		}
		fmt.Fprint(w, `{"meta":{"sender":{"id":1}}}`)
	}))
	t.Cleanup(elsewhere.Close)
	redirecting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+r.URL.Path, http.StatusFound)
	}))
	t.Cleanup(redirecting.Close)
	v := NewBevatelVerifier(redirecting.URL, apiToken, time.Second, nil)
	err := v.Verify(context.Background(), 1, 101, 1)
	if err == nil || errors.Is(err, ErrNotVerified) || !strings.Contains(err.Error(), "302") {
		t.Errorf("redirect: %v, want an error naming the 302", err)
	}
	if leaked.Load() != 0 {
		t.Error("the API token was sent to the redirect's target")
	}
}
