package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

const testKey = "test-access-key-0123456789"

func TestParseKeys(t *testing.T) {
	tests := []struct {
		in   string
		want int
		err  string
	}{
		{"", 0, ""},
		{testKey, 1, ""},
		{" " + testKey + " , other-key-abcdefghijkl ", 2, ""},
		{"short", 0, "at least 16"},
		{testKey + ",a,", 0, "key 2 is 1 characters"},
		{testKey + "," + testKey + "x," + testKey + "y", 0, "holds 3 keys"},
	}
	for _, tt := range tests {
		keys, err := parseKeys(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("parseKeys(%q): error %v, want one saying %q", tt.in, err, tt.err)
			}
			if err != nil && strings.Contains(err.Error(), "short") {
				t.Errorf("the error repeats the key: %v", err)
			}
			continue
		}
		if err != nil || len(keys) != tt.want {
			t.Errorf("parseKeys(%q) = %d keys, %v; want %d", tt.in, len(keys), err, tt.want)
		}
	}
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// With a key, the server is in production mode: only the configured origin
// may frame it (not its own loopback names), the page needs the key, and
// neither the key nor the session token reaches the log.
func TestServeWithKey(t *testing.T) {
	base, log := startAppWithLog(t, "-key", testKey, "-allowed-origins", "https://dash.example.com")
	resp, body := get(t, base+"/")
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "?key=") {
		t.Errorf("GET / without the key: %d", resp.StatusCode)
	}
	resp, body = get(t, base+"/?key="+testKey)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET / with the key: %d", resp.StatusCode)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.HasSuffix(csp, "frame-ancestors https://dash.example.com") {
		t.Errorf("production CSP %q allows more than the configured origin to frame the app", csp)
	}
	if strings.Contains(body, testKey) || strings.Contains(body, "dev-banner") {
		t.Error("the page shows the key or the unauthenticated banner")
	}
	token := body[strings.Index(body, `"token":"`)+len(`"token":"`):]
	token = token[:strings.IndexByte(token, '"')]
	if len(token) < 40 {
		t.Fatalf("no session token in the page: %q", token)
	}
	out := log()
	for _, secret := range []string{testKey, token} {
		if strings.Contains(out, secret) {
			t.Errorf("the log contains a secret:\n%s", out)
		}
	}
	if strings.Contains(out, "development mode") || !strings.Contains(out, "?key=…") {
		t.Errorf("the start message does not say how to register the URL in production:\n%s", out)
	}
}

func TestServeWithoutKeyIsDevelopment(t *testing.T) {
	base, log := startAppWithLog(t, "-allowed-origins", "https://dash.example.com")
	resp, body := get(t, base+"/")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "dev-banner") {
		t.Errorf("development page: %d, banner shown: %v", resp.StatusCode, strings.Contains(body, "dev-banner"))
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, strings.Replace(base, "127.0.0.1", "localhost", 1)) {
		t.Errorf("development CSP %q does not let the simulator frame the app", csp)
	}
	if !strings.Contains(log(), "development mode") {
		t.Errorf("the log does not warn about development mode:\n%s", log())
	}
}
