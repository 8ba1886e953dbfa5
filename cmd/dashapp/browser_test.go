package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// hostPage plays the Bevatel dashboard: it frames the app and posts the
// appContext as a JSON string to "*" on load, answering fetch-info only to
// the frame that asked, as the real host does.
const hostPageTemplate = `<!doctype html><meta charset="utf-8"><title>host</title>
<iframe id="app" name="app" src="APP_URL" width="900" height="700"></iframe>
ROGUE_FRAME
<script>
let payload = PAYLOAD;
const mode = MODE;
window.hostLog = [];
const frame = document.getElementById("app");
frame.addEventListener("load", () => { if (mode.sendOnLoad) frame.contentWindow.postMessage(payload, "*"); });
// The agent opens another conversation, or the theme changes: like
// Frame.vue, the host posts the new context and answers every later
// fetch-info with it.
window.postContext = (next) => { payload = next; frame.contentWindow.postMessage(payload, "*"); };
window.addEventListener("message", (e) => {
  window.hostLog.push({data: e.data, origin: e.origin, fromApp: e.source === frame.contentWindow});
  if (e.data === mode.prefix + "-dashboard-app:fetch-info" && mode.answer) e.source.postMessage(payload, "*");
});
</script>`

type hostMode struct {
	SendOnLoad bool   `json:"sendOnLoad"`
	Answer     bool   `json:"answer"`
	Prefix     string `json:"prefix"` // of fetch-info; "" is bevatel
}

// compactJSON turns a fixture into the one-line string the host posts.
func compactJSON(t testing.TB, fixture string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(fixture), &v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// jsString is a JavaScript string literal, safe inside a <script> element.
func jsString(t testing.TB, s string) string {
	t.Helper()
	b, err := json.Marshal(s) // escapes <, > and & as \u003c…
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func hostPage(t testing.TB, appURL, payload string, mode hostMode, rogue string) string {
	t.Helper()
	if mode.Prefix == "" {
		mode.Prefix = "bevatel"
	}
	m, _ := json.Marshal(mode)
	return strings.NewReplacer("APP_URL", appURL, "PAYLOAD", jsString(t, payload), "MODE", string(m), "ROGUE_FRAME", rogue).Replace(hostPageTemplate)
}

// appOnLocalhost starts dashapp allowing hostOrigin, and returns the app's
// URL on "localhost": another site than the 127.0.0.1 host page, so Chromium
// isolates the frame exactly as it would under the real dashboard.
func appOnLocalhost(t testing.TB, hostOrigin string, args ...string) string {
	t.Helper()
	base := startApp(t, append([]string{"-allowed-origins", hostOrigin}, args...)...)
	return strings.Replace(base, "127.0.0.1", "localhost", 1) + "/"
}

// newHost reserves the host's origin first, because the app must be told
// to allow it before the page exists.
func newHost(t testing.TB) (*httptest.Server, *string) {
	t.Helper()
	page := new(string)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(*page))
	}))
	t.Cleanup(srv.Close)
	return srv, page
}

func TestBrowserHostContextShowsLaylasOrders(t *testing.T) {
	app := embed(t).open(t, compactJSON(t, readFixture(t, "layla.json")), hostMode{SendOnLoad: true, Answer: true}, "")
	waitJS(t, app, `document.querySelector("#customer-panel")`, 10*time.Second)

	if got := evalJS[string](t, app, `document.querySelector("#customer-panel").dataset.matchedBy`); got != "contact_id" {
		t.Errorf("matched by %q, want contact_id", got)
	}
	text := evalJS[string](t, app, `document.querySelector("#panel").innerText`)
	for _, want := range []string{"Layla Al-Harbi", "C-1001"} {
		if !strings.Contains(text, want) {
			t.Errorf("panel does not show %q:\n%s", want, text)
		}
	}
	if n := evalJS[int](t, app, `document.querySelectorAll("table.orders tbody tr:not(#orders-more)").length`); n < 6 {
		t.Errorf("panel shows %d order rows, want at least 6", n)
	}
	// Payments load when their closed section is opened, as an agent does.
	const paymentRows = `document.querySelectorAll("table.payments tbody tr:not(.more-row)").length`
	if n := evalJS[int](t, app, paymentRows); n != 0 {
		t.Errorf("panel shows %d payment rows before their section is opened", n)
	}
	execJS(t, app, `document.querySelector("#payments-section summary").click()`)
	waitJS(t, app, paymentRows+` >= 20 && document.querySelector("#payments-more button")`, 10*time.Second)
}

func TestBrowserAsksForContextOnLoadWhenNoneArrives(t *testing.T) {
	e := embed(t)
	app := e.open(t, compactJSON(t, readFixture(t, "layla.json")), hostMode{SendOnLoad: false, Answer: true}, "")
	browser, appURL := e.browser, e.appURL
	waitJS(t, browser, `window.hostLog && window.hostLog.some(m => m.data === "bevatel-dashboard-app:fetch-info" && m.fromApp)`, 10*time.Second)
	if got := evalJS[string](t, browser, `window.hostLog.find(m => m.fromApp).origin`); got+"/" != appURL {
		t.Errorf("fetch-info came from origin %q, want %q", got, appURL)
	}
	waitJS(t, app, `document.querySelector("#customer-panel[data-matched-by=contact_id]")`, 10*time.Second)
}

func TestBrowserEmptyContactFallsBackToSender(t *testing.T) {
	app := embed(t).open(t, compactJSON(t, readFixture(t, "empty_contact.json")), hostMode{SendOnLoad: true, Answer: true}, "")
	waitJS(t, app, `document.querySelector("#customer-panel")`, 10*time.Second)
	if got := evalJS[string](t, app, `document.querySelector("#customer-panel").dataset.matchedBy`); got == "" {
		t.Errorf("an empty contact with conversation.meta.sender matched nobody")
	}
	if text := evalJS[string](t, app, `document.querySelector("#panel").innerText`); !strings.Contains(text, "Layla Al-Harbi") {
		t.Errorf("panel does not show the sender's customer:\n%s", text)
	}
}

// A sibling frame on a third origin posts a forged context for James: the
// app keeps showing Layla, and the bridge counts the message as ignored.
func TestBrowserForgedMessagesChangeNothing(t *testing.T) {
	e := embed(t)

	forged := compactJSON(t, readFixture(t, "james.json"))
	rogue := rogueServer(t, `<!doctype html><script>
const forged = `+jsString(t, forged)+`;
setInterval(() => parent.frames["app"].postMessage(forged, "*"), 100);
</script>`)
	// The host sends once and does not answer fetch-info, so exactly one
	// message may be accepted however slowly the frame loads.
	app := e.open(t, compactJSON(t, readFixture(t, "layla.json")), hostMode{SendOnLoad: true, Answer: false},
		`<iframe src="`+rogue+`" width="10" height="10"></iframe>`)
	waitJS(t, app, `document.querySelector("#customer-panel")`, 10*time.Second)
	waitJS(t, app, `window.dashappBridge.ignored["not-parent"] >= 3`, 10*time.Second)

	// A message that claims the parent as its source but comes from an
	// origin that is not allowed: dispatched inside the frame, because a
	// browser cannot be made to deliver one for real.
	execJS(t, app, `window.dispatchEvent(new MessageEvent("message", {data: `+jsString(t, forged)+`, origin: "https://evil.example", source: window.parent}))`)
	waitJS(t, app, `window.dashappBridge.ignored["origin"] >= 1`, 5*time.Second)
	time.Sleep(300 * time.Millisecond) // a forged POST, had one been sent, would have landed by now

	text := evalJS[string](t, app, `document.querySelector("#panel").innerText`)
	if strings.Contains(text, "James Carter") || !strings.Contains(text, "Layla Al-Harbi") {
		t.Errorf("a forged message changed the panel:\n%s", text)
	}
	if n := evalJS[int](t, app, `window.dashappBridge.accepted`); n != 1 {
		t.Errorf("bridge accepted %d messages, want only the host's 1", n)
	}
}

// rogueServer serves page on 127.0.0.2: a third site, neither the host's
// nor the app's.
func rogueServer(t testing.TB, page string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Fatalf("listen on 127.0.0.2: %v", err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(page))
	}))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

// embedded is dashapp framed by a host page on another site, in a browser.
type embedded struct {
	browser context.Context // the host page's tab
	hostURL string
	appURL  string
	page    *string
}

// embed starts dashapp allowing a host page's origin, and then a browser
// (so the browser closes first: cleanups run in reverse, and the app's
// shutdown would otherwise wait on the browser's sockets).
func embed(t *testing.T, browserOptions ...chromedp.ExecAllocatorOption) *embedded {
	t.Helper()
	host, page := newHost(t)
	appURL := appOnLocalhost(t, host.URL)
	return &embedded{browser: newBrowser(t, browserOptions...), hostURL: host.URL, appURL: appURL, page: page}
}

// open loads the host page, which posts payload as mode says, and returns
// the app frame's context.
func (e *embedded) open(t *testing.T, payload string, mode hostMode, rogue string) context.Context {
	t.Helper()
	*e.page = hostPage(t, e.appURL, payload, mode, rogue)
	do(t, e.browser, chromedp.Navigate(e.hostURL))
	return frameContext(t, e.browser, e.appURL)
}
