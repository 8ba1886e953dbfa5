package handlers

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"dashapp/handlers/explorer"
	"dashapp/views"
)

// explorerRequest is a request of the page session sid, as the bridge sends it.
func explorerRequest(method, target, sid, body string) *http.Request {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(explorer.HeaderSession, sid)
	req.Header.Set(explorer.HeaderOrigin, "https://chat.bevatel.com")
	return req
}

func explorerRows(t *testing.T, body string) *goquery.Selection {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc.Find("tr.log-row")
}

func TestExplorerScopesLogToPageSession(t *testing.T) {
	app := newTestServer(t)
	a, b := explorer.NewSessionID(), explorer.NewSessionID()
	if r := do(t, app, explorerRequest("POST", "/context", a, string(fixture(t, "layla.json")))); r.status != 200 {
		t.Fatalf("POST /context = %d: %s", r.status, r.body)
	}

	own := do(t, app, explorerRequest("GET", "/explorer/entries/1/payload.json?session="+a, "", ""))
	if own.status != 200 || !strings.Contains(own.body, `"Layla Al-Harbi"`) {
		t.Fatalf("session A's download = %d %.80s", own.status, own.body)
	}
	if cd := own.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
		t.Errorf("Content-Disposition = %q, want an attachment", cd)
	}
	for _, target := range []string{"/explorer/entries/1/payload.json?session=" + b, "/explorer?entry=1"} {
		if r := do(t, app, explorerRequest("GET", target, b, "")); r.status != 404 {
			t.Errorf("session B: GET %s = %d, want 404", target, r.status)
		}
	}
	if rows := explorerRows(t, do(t, app, explorerRequest("GET", "/explorer", b, "")).body); rows.Length() != 0 {
		t.Errorf("session B's log shows %d rows of session A", rows.Length())
	}
	page := do(t, app, explorerRequest("GET", "/explorer", a, ""))
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page.body))
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.Find("tr.log-row").Length(); got != 1 {
		t.Errorf("session A's log has %d rows, want 1", got)
	}
	if got := doc.Find("#explorer-detail").AttrOr("data-seq", ""); got != "1" {
		t.Errorf("inspected entry %q, want 1", got)
	}
	if doc.Find(`.tree-leaf[data-path="data.contact.name"] .tree-value`).Text() != "Layla Al-Harbi" {
		t.Error("tree does not show data.contact.name")
	}
	if !strings.Contains(doc.Find(`tr.log-row td code`).First().Text(), "https://chat.bevatel.com") {
		t.Error("log row does not show the message's origin")
	}
	if r := do(t, app, explorerRequest("GET", "/explorer", "", "")); r.status != 400 {
		t.Errorf("GET /explorer without a session = %d, want 400", r.status)
	}
}

func TestExplorerKeepsLastFiftyEntries(t *testing.T) {
	app := newTestServer(t)
	sid := explorer.NewSessionID()
	if r := do(t, app, explorerRequest("POST", "/context", sid, string(fixture(t, "layla.json")))); r.status != 200 {
		t.Fatalf("POST /context = %d", r.status)
	}
	var batch []string
	for i := range explorer.MaxSessionEntries {
		batch = append(batch, `{"origin":"https://evil.example","size":`+strconv.Itoa(i)+`,"reason":"not-parent","preview":"<script>alert(1)</script>"}`)
		if len(batch) == explorer.MaxEventBatch || i == explorer.MaxSessionEntries-1 {
			if r := do(t, app, explorerRequest("POST", "/explorer/events", sid, "["+strings.Join(batch, ",")+"]")); r.status != 204 {
				t.Fatalf("batch up to event %d = %d: %s", i, r.status, r.body)
			}
			batch = nil
		}
	}
	if r := do(t, app, explorerRequest("GET", "/explorer/entries/1/payload.json?session="+sid, "", "")); r.status != 404 {
		t.Errorf("entry 1 after %d more = %d, want 404 (evicted)", explorer.MaxSessionEntries, r.status)
	}
	page := do(t, app, explorerRequest("GET", "/explorer", sid, ""))
	rows := explorerRows(t, page.body)
	if rows.Length() != explorer.MaxSessionEntries {
		t.Errorf("log has %d rows, want %d", rows.Length(), explorer.MaxSessionEntries)
	}
	if first, last := rows.First().AttrOr("data-seq", ""), rows.Last().AttrOr("data-seq", ""); first != "51" || last != "2" {
		t.Errorf("log runs from #%s to #%s, want #51 (newest) to #2", first, last)
	}
	if strings.Contains(page.body, "<script>alert") {
		t.Error("an ignored message's preview was rendered as HTML")
	}
	if r := do(t, app, explorerRequest("POST", "/explorer/events", sid, `[{"reason":"x","preview":"`+strings.Repeat("a", explorer.EventBodyLimit)+`"}]`)); r.status != 413 {
		t.Errorf("oversized batch = %d, want 413", r.status)
	}
	for name, body := range map[string]string{
		"empty batch":     `[]`,
		"too many events": "[" + strings.Repeat(`{"reason":"origin"},`, explorer.MaxEventBatch) + `{"reason":"origin"}]`,
		"a single object": `{"reason":"origin"}`,
		"no reason":       `[{"reason":"origin"},{"origin":"https://evil.example"}]`,
	} {
		if r := do(t, app, explorerRequest("POST", "/explorer/events", sid, body)); r.status != 400 {
			t.Errorf("%s = %d, want 400", name, r.status)
		}
	}
	if rows := explorerRows(t, do(t, app, explorerRequest("GET", "/explorer", sid, "")).body); rows.First().AttrOr("data-seq", "") != "51" {
		t.Errorf("a refused batch was logged: the newest row is #%s, want #51", rows.First().AttrOr("data-seq", ""))
	}
}

func TestExplorerOffRecordsNothing(t *testing.T) {
	app := newTestServer(t, func(d *Deps) { d.Config.ExplorerOff = true })
	sid := explorer.NewSessionID()
	if r := do(t, app, explorerRequest("POST", "/context", sid, string(fixture(t, "layla.json")))); r.status != 200 {
		t.Fatalf("POST /context = %d", r.status)
	}
	for _, target := range []string{"/explorer", "/explorer/entries/1/payload.json?session=" + sid} {
		if r := do(t, app, explorerRequest("GET", target, sid, "")); r.status != 404 {
			t.Errorf("explorer off: GET %s = %d, want 404", target, r.status)
		}
	}
	if r := do(t, app, explorerRequest("POST", "/explorer/events", sid, `[{"reason":"origin"}]`)); r.status != 404 {
		t.Errorf("explorer off: POST /explorer/events = %d, want 404", r.status)
	}
	page := do(t, app, httptest.NewRequest("GET", "/", nil))
	if strings.Contains(page.body, "tab-explorer") || strings.Contains(page.body, `"session"`) {
		t.Error("explorer off: the app page still offers the explorer")
	}
}

func TestExplorerSpeaksTheAgentsLanguage(t *testing.T) {
	app := newTestServer(t)
	sid := explorer.NewSessionID()
	if r := do(t, app, explorerRequest("POST", "/context", sid, string(fixture(t, "layla.json")))); r.status != 200 {
		t.Fatalf("POST /context = %d", r.status)
	}
	if r := do(t, app, explorerRequest("POST", "/explorer/events", sid, `[{"reason":"not-parent"},{"reason":"<b>new\u202e"}]`)); r.status != 204 {
		t.Fatalf("POST /explorer/events = %d: %s", r.status, r.body)
	}
	for _, lang := range []string{"en", "ar"} {
		doc := parse(t, do(t, app, explorerRequest("GET", "/explorer?lang="+lang, sid, "")).body)
		if got := doc.Find("#explorer-log-title").Text(); got != views.T(lang, "explorer.log") {
			t.Errorf("%s: log heading %q", lang, got)
		}
		status := func(reason string) string {
			return strings.TrimSpace(doc.Find(`tr.log-row[data-ignored="` + reason + `"] td`).Eq(4).Text())
		}
		if got := status("not-parent"); got != views.T(lang, "explorer.reason.not-parent") {
			t.Errorf("%s: not-parent row says %q", lang, got)
		}
		// A reason the bridge does not send is the page's text: shown as sent, hidden characters visible.
		if got := status("<b>new\u202e"); got != views.Tf(lang, "explorer.ignored", "<b>new⟦U+202E⟧") {
			t.Errorf("%s: unknown reason row says %q", lang, got)
		}
		if got := doc.Find(`.schema-report tr[data-kind="undocumented"] td`).Eq(1).Text(); got != views.T(lang, "explorer.kind.undocumented") {
			t.Errorf("%s: finding kind %q", lang, got)
		}
	}
}
