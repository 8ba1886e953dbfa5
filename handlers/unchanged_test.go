package handlers

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"dashapp/db"
	"dashapp/handlers/bevatel"
	"dashapp/handlers/ratelimit"
)

// switchVerifier denies every context once deny is set, and always
// contact 2's (James's).
type switchVerifier struct{ deny atomic.Bool }

func (v *switchVerifier) Verify(_ context.Context, _, _, contact int64) error {
	if v.deny.Load() || contact == 2 {
		return fmt.Errorf("test: %w", bevatel.ErrNotVerified)
	}
	return nil
}

func postVersioned(t *testing.T, app interface {
	Test(*http.Request, ...int) (*http.Response, error)
}, body []byte, version, query string, header ...string) response {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/context"+query, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("HX-Request", "true")
	if version != "" {
		req.Header.Set(HeaderVersion, version)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: b.String()}
}

// A context sent again with the version of its panel is answered 204 with
// no body; another language, another contact, a forged version or changed
// data render again, and a change that renders the same bytes is 204 too.
func TestUnchangedContext(t *testing.T) {
	var store *db.DB
	app := newTestServer(t, func(d *Deps) { store = d.Store.(*db.DB) })
	layla := asHostString(t, fixture(t, "layla.json"))

	first := postVersioned(t, app, layla, "", "?lang=en&tz=UTC")
	version := first.header.Get(HeaderVersion)
	if first.status != http.StatusOK || !strings.Contains(first.body, "C-1001") || !strings.HasPrefix(version, "p1.") {
		t.Fatalf("first context: %d, version %q, %.200s", first.status, version, first.body)
	}
	again := postVersioned(t, app, layla, version, "?lang=en&tz=UTC")
	if again.status != http.StatusNoContent || again.body != "" || again.header.Get(HeaderVersion) != version {
		t.Fatalf("the same context again: %d, version %q, %.200s", again.status, again.header.Get(HeaderVersion), again.body)
	}

	for name, tt := range map[string]struct {
		body           []byte
		version, query string
	}{
		"another language":  {layla, version, "?lang=ar&tz=UTC"},
		"another time zone": {layla, version, "?lang=en&tz=Asia/Riyadh"},
		"another contact":   {asHostString(t, fixture(t, "james.json")), version, "?lang=en&tz=UTC"},
		"no version":        {layla, "", "?lang=en&tz=UTC"},
	} {
		resp := postVersioned(t, app, tt.body, tt.version, tt.query)
		if resp.status != http.StatusOK || !strings.Contains(resp.body, `id="customer-panel"`) {
			t.Errorf("%s: %d %.200s", name, resp.status, resp.body)
		}
	}

	// A commit that changes nothing Layla's panel shows: rendered, found equal.
	other, err := sql.Open("sqlite", store.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Exec(`UPDATE customers SET name = 'James Renamed' WHERE ref = 'C-1002'`); err != nil {
		t.Fatal(err)
	}
	same := postVersioned(t, app, layla, version, "?lang=en&tz=UTC")
	if same.status != http.StatusNoContent || same.header.Get(HeaderVersion) == version {
		t.Errorf("data committed, panel the same: %d, version %q (was %q)", same.status, same.header.Get(HeaderVersion), version)
	}
	version = same.header.Get(HeaderVersion)
	if resp := postVersioned(t, app, layla, version, "?lang=en&tz=UTC"); resp.status != http.StatusNoContent {
		t.Errorf("the new version is not taken: %d", resp.status)
	}

	// Another connection renames Layla: the panel shows it.
	if _, err := other.Exec(`UPDATE customers SET name = 'Layla Renamed' WHERE ref = 'C-1001'`); err != nil {
		t.Fatal(err)
	}
	changed := postVersioned(t, app, layla, version, "?lang=en&tz=UTC")
	if changed.status != http.StatusOK || !strings.Contains(changed.body, "Layla Renamed") || changed.header.Get(HeaderVersion) == version {
		t.Errorf("changed data: %d %.200s", changed.status, changed.body)
	}
}

// The unchanged answer passes every check of a full POST /context: the
// session token, the per-session limit and the host's verification.
func TestUnchangedContextIsChecked(t *testing.T) {
	verifier := &switchVerifier{}
	app := newTestServer(t, func(d *Deps) {
		d.Verifier = verifier
		d.Config.Keys = []string{strings.Repeat("k", 32)}
		d.Config.SessionRate = ratelimit.Rate{PerSecond: 0.001, Burst: 4}
	})
	page := do(t, app, httptest.NewRequest(http.MethodGet, "/?key="+strings.Repeat("k", 32), nil))
	token := between(page.body, `"token":"`, `"`)
	if token == "" {
		t.Fatalf("no token in the app page: %.300s", page.body)
	}
	layla := asHostString(t, fixture(t, "layla.json"))
	first := postVersioned(t, app, layla, "", "", "X-Dashapp-Token", token)
	version := first.header.Get(HeaderVersion)
	if first.status != http.StatusOK || version == "" {
		t.Fatalf("first context: %d %q", first.status, version)
	}
	if resp := postVersioned(t, app, layla, version, ""); resp.status != http.StatusUnauthorized {
		t.Errorf("unchanged without the session token: %d", resp.status)
	}
	if resp := postVersioned(t, app, layla, version, "", "X-Dashapp-Token", token); resp.status != http.StatusNoContent {
		t.Errorf("unchanged with the token: %d", resp.status)
	}
	// Another contact's body under Layla's version: rendered and verified.
	james := asHostString(t, fixture(t, "james.json"))
	if resp := postVersioned(t, app, james, version, "", "X-Dashapp-Token", token); resp.status != http.StatusForbidden || strings.Contains(resp.body, "C-100") {
		t.Errorf("James's context with Layla's version: %d %.200s", resp.status, resp.body)
	}
	verifier.deny.Store(true)
	if resp := postVersioned(t, app, layla, version, "", "X-Dashapp-Token", token); resp.status != http.StatusForbidden || strings.Contains(resp.body, "C-1001") {
		t.Errorf("unchanged, no longer verified: %d %.200s", resp.status, resp.body)
	}
	verifier.deny.Store(false)
	if resp := postVersioned(t, app, layla, version, "", "X-Dashapp-Token", token); resp.status != http.StatusTooManyRequests {
		t.Errorf("unchanged past the session's limit: %d", resp.status)
	}
}

func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i+len(start):]
	if j := strings.Index(s, end); j >= 0 {
		return s[:j]
	}
	return ""
}

// A panel shown under the "unverified" warning (the host could not be
// asked, failing open) carries no version: the next context is verified
// and rendered again, never answered "unchanged".
func TestUnverifiedPanelHasNoVersion(t *testing.T) {
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	app := newTestServer(t, func(d *Deps) {
		d.Verifier = bevatel.NewVerifier(down.URL, "token", 200*time.Millisecond, nil)
		d.Config.VerifyFailOpen = true
	})
	resp := postVersioned(t, app, asHostString(t, fixture(t, "layla.json")), "", "")
	if resp.status != http.StatusOK || !strings.Contains(resp.body, "Unverified context") {
		t.Fatalf("failing open: %d %.200s", resp.status, resp.body)
	}
	if v := resp.header.Get(HeaderVersion); v != "" {
		t.Errorf("an unverified panel carries the version %q", v)
	}
}
