// Package bevateltest is a fake Bevatel API for tests: an HTTP server that
// answers the routes dashapp calls with the status codes and bodies of
// Chatwoot's API.
package bevateltest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// Token is the api_access_token the fake accepts.
const Token = "secret-api-token-4f1c"

// Verifications speaks GET /api/v1/accounts/1/conversations/{id}: 101 is
// Layla's (contact 1), 102 James's (contact 2), 500 is slow, 401 refuses
// the token, 5000 fails, anything else is unknown.
func Verifications(t testing.TB) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.Header.Get("api_access_token") != Token {
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
