package handlers

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"net/http/httptest"
	"testing"
)

// A compressed body would be inflated by Fiber's c.Body() without any limit
// (and again on every call), past the BodyLimit that only sees its
// compressed size: a few KB of gzip become hundreds of MB in memory.
func TestCompressedBodyIsRefused(t *testing.T) {
	app := newTestServer(t)
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	if _, err := zw.Write(make([]byte, 32<<20)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	for _, encoding := range []string{"gzip", "deflate", "br", "gzip, gzip"} {
		req := httptest.NewRequest(http.MethodPost, "/context", bytes.NewReader(bomb.Bytes()))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Content-Encoding", encoding)
		req.Header.Set("HX-Request", "true")
		if r := do(t, app, req); r.status != http.StatusUnsupportedMediaType {
			t.Errorf("Content-Encoding %q: status %d, want 415", encoding, r.status)
		}
	}
	// identity is no encoding: the body is read as is.
	req := httptest.NewRequest(http.MethodPost, "/context", bytes.NewReader(asHostString(t, fixture(t, "layla.json"))))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-Encoding", "identity")
	if r := do(t, app, req); r.status != http.StatusOK {
		t.Errorf("Content-Encoding identity: status %d, want 200", r.status)
	}
}
