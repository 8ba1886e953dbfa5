package bevatel_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"dashapp/handlers/bevatel"
	"dashapp/handlers/bevatel/bevateltest"
)

func TestBevatelVerifier(t *testing.T) {
	srv, _ := bevateltest.Verifications(t)
	v := bevatel.NewVerifier(srv.URL+"/", bevateltest.Token, 200*time.Millisecond, nil)
	tests := []struct {
		name          string
		conv, contact int64
		notVerified   bool // denied: bevatel.ErrNotVerified
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
				if !errors.Is(err, bevatel.ErrNotVerified) {
					t.Errorf("err %v, want bevatel.ErrNotVerified", err)
				}
			case tt.unavailable != "":
				if err == nil || errors.Is(err, bevatel.ErrNotVerified) || !strings.Contains(err.Error(), tt.unavailable) {
					t.Errorf("err %v, want an unavailability error saying %q", err, tt.unavailable)
				}
			default:
				if err != nil {
					t.Errorf("err %v, want nil", err)
				}
			}
			if err != nil && strings.Contains(err.Error(), bevateltest.Token) {
				t.Errorf("the error contains the token: %v", err)
			}
		})
	}
	srv.Close()
	if err := v.Verify(context.Background(), 1, 777, 1); err == nil || errors.Is(err, bevatel.ErrNotVerified) {
		t.Errorf("connection refused: %v, want an unavailability error", err)
	}
}

// Answers are cached for a minute; failures to ask are not.
func TestBevatelVerifierCaches(t *testing.T) {
	srv, calls := bevateltest.Verifications(t)
	now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	v := bevatel.NewVerifier(srv.URL, bevateltest.Token, time.Second, clock)
	for range 3 {
		if err := v.Verify(context.Background(), 1, 101, 1); err != nil {
			t.Fatal(err)
		}
		if err := v.Verify(context.Background(), 1, 102, 1); !errors.Is(err, bevatel.ErrNotVerified) {
			t.Fatal(err)
		}
		_ = v.Verify(context.Background(), 1, 5000, 1)
	}
	if n := calls.Load(); n != 5 {
		t.Errorf("%d calls to the API, want 5 (one per answer, three failures)", n)
	}
	now = now.Add(bevatel.DefaultVerifyCacheTTL)
	_ = v.Verify(context.Background(), 1, 101, 1)
	if n := calls.Load(); n != 6 {
		t.Errorf("%d calls after the TTL, want 6", n)
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
	v := bevatel.NewVerifier(redirecting.URL, bevateltest.Token, time.Second, nil)
	err := v.Verify(context.Background(), 1, 101, 1)
	if err == nil || errors.Is(err, bevatel.ErrNotVerified) || !strings.Contains(err.Error(), "302") {
		t.Errorf("redirect: %v, want an error naming the 302", err)
	}
	if leaked.Load() != 0 {
		t.Error("the API token was sent to the redirect's target")
	}
}
