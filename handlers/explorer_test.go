package handlers

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"dashapp/views"
)

// explorerRequest is a request of the page session sid, as the bridge sends it.
func explorerRequest(method, target, sid, body string) *http.Request {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(headerSession, sid)
	req.Header.Set(headerOrigin, "https://chat.bevatel.com")
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
	a, b := newSessionID(), newSessionID()
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
	sid := newSessionID()
	if r := do(t, app, explorerRequest("POST", "/context", sid, string(fixture(t, "layla.json")))); r.status != 200 {
		t.Fatalf("POST /context = %d", r.status)
	}
	var batch []string
	for i := range maxSessionEntries {
		batch = append(batch, `{"origin":"https://evil.example","size":`+strconv.Itoa(i)+`,"reason":"not-parent","preview":"<script>alert(1)</script>"}`)
		if len(batch) == maxEventBatch || i == maxSessionEntries-1 {
			if r := do(t, app, explorerRequest("POST", "/explorer/events", sid, "["+strings.Join(batch, ",")+"]")); r.status != 204 {
				t.Fatalf("batch up to event %d = %d: %s", i, r.status, r.body)
			}
			batch = nil
		}
	}
	if r := do(t, app, explorerRequest("GET", "/explorer/entries/1/payload.json?session="+sid, "", "")); r.status != 404 {
		t.Errorf("entry 1 after %d more = %d, want 404 (evicted)", maxSessionEntries, r.status)
	}
	page := do(t, app, explorerRequest("GET", "/explorer", sid, ""))
	rows := explorerRows(t, page.body)
	if rows.Length() != maxSessionEntries {
		t.Errorf("log has %d rows, want %d", rows.Length(), maxSessionEntries)
	}
	if first, last := rows.First().AttrOr("data-seq", ""), rows.Last().AttrOr("data-seq", ""); first != "51" || last != "2" {
		t.Errorf("log runs from #%s to #%s, want #51 (newest) to #2", first, last)
	}
	if strings.Contains(page.body, "<script>alert") {
		t.Error("an ignored message's preview was rendered as HTML")
	}
	if r := do(t, app, explorerRequest("POST", "/explorer/events", sid, `[{"reason":"x","preview":"`+strings.Repeat("a", eventBodyLimit)+`"}]`)); r.status != 413 {
		t.Errorf("oversized batch = %d, want 413", r.status)
	}
	for name, body := range map[string]string{
		"empty batch":     `[]`,
		"too many events": "[" + strings.Repeat(`{"reason":"origin"},`, maxEventBatch) + `{"reason":"origin"}]`,
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
	sid := newSessionID()
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

func TestExplorerLogEvictsLeastRecentlyUsedAndIdleSessions(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	l := newExplorerLog(func() time.Time { return now })
	first := newSessionID()
	l.add(first, ExplorerEntry{Ignored: "origin"})
	for range maxSessions - 1 {
		l.add(newSessionID(), ExplorerEntry{Ignored: "origin"})
	}
	if _, ok := l.entries(first); !ok { // touching it makes it the most recent
		t.Fatal("first session gone before the limit")
	}
	l.add(newSessionID(), ExplorerEntry{Ignored: "origin"})
	if _, ok := l.entries(first); !ok {
		t.Error("the most recently used session was evicted")
	}
	if got := len(l.sessions); got != maxSessions {
		t.Errorf("%d sessions kept, want %d", got, maxSessions)
	}
	now = now.Add(sessionIdle + time.Second)
	if _, ok := l.entries(first); ok {
		t.Error("a session idle for longer than sessionIdle is still readable")
	}
	if got := len(l.sessions); got != 0 {
		t.Errorf("%d idle sessions kept", got)
	}
}

func TestExplorerSpeaksTheAgentsLanguage(t *testing.T) {
	app := newTestServer(t)
	sid := newSessionID()
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

// Entry and session counts alone would let 1000 sessions of 50 payloads of
// 4 MB each hold 200 GB; the log also keeps to a byte budget, dropping the
// least recently used sessions first, then the oldest entries of the one
// being added to.
func TestExplorerLogKeepsToItsByteBudget(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	l := newExplorerLog(func() time.Time { return now })
	payload := make([]byte, DefaultBodyLimit)
	older, newer := newSessionID(), newSessionID()
	l.add(older, ExplorerEntry{Raw: payload})
	for range maxLogBytes / len(payload) {
		l.add(newer, ExplorerEntry{Raw: payload})
	}
	if l.bytes > maxLogBytes {
		t.Errorf("log holds %d bytes, budget %d", l.bytes, maxLogBytes)
	}
	if _, ok := l.entries(older); ok {
		t.Error("the least recently used session survived the budget")
	}
	entries, _ := l.entries(newer)
	if want := maxLogBytes / len(payload); len(entries) != want || entries[len(entries)-1].Seq != want {
		t.Errorf("newer session keeps %d entries, last %d; want the newest %d", len(entries), entries[len(entries)-1].Seq, want)
	}
	huge := newSessionID()
	l.add(huge, ExplorerEntry{Raw: make([]byte, maxLogBytes+1)})
	if entries, _ := l.entries(huge); len(entries) != 1 || len(l.sessions) != 1 || l.bytes != maxLogBytes+1 {
		t.Errorf("an entry over the whole budget: %d entries, %d sessions, %d bytes; want it kept alone", len(entries), len(l.sessions), l.bytes)
	}
}
