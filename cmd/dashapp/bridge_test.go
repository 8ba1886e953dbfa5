package main

import (
	"fmt"
	"github.com/chromedp/chromedp"
	"strings"
	"testing"
	"time"
)

// The host re-sends the context when the dashboard's theme changes; the app
// follows without a reload, and the panel stays.
func TestBrowserFollowsThemeResend(t *testing.T) {
	layla := readFixture(t, "layla.json")
	e := embed(t)
	app := e.open(t, withTheme(t, layla, "light"), hostMode{SendOnLoad: true, Answer: true}, "")
	browser := e.browser
	waitJS(t, app, `document.querySelector("#customer-panel")`, 10*time.Second)
	if got := evalJS[string](t, app, `document.documentElement.dataset.theme`); got != "light" {
		t.Fatalf("theme %q before the switch, want light", got)
	}
	execJS(t, app, `window.pageLoadMarker = 1`) // survives only if the frame is not reloaded
	execJS(t, browser, `postContext(`+jsString(t, withTheme(t, layla, "dark"))+`)`)
	waitJS(t, app, `document.documentElement.dataset.theme === "dark"`, 5*time.Second)
	waitJS(t, app, `window.dashappBridge.accepted >= 2 && document.querySelector("#panel").getAttribute("aria-busy") === "false"`, 5*time.Second)
	if evalJS[int](t, app, `window.pageLoadMarker || 0`) != 1 {
		t.Error("the frame reloaded to change theme")
	}
	if text := evalJS[string](t, app, `document.querySelector("#panel").innerText`); !strings.Contains(text, "Layla Al-Harbi") {
		t.Errorf("panel lost the customer after the theme switch:\n%s", text)
	}
}

// The dashboard hides an inactive app's tab with display:none and shows it
// again later; no resize or visibilitychange fires inside the frame. The
// bridge must ask for fresh context after every return, and never while
// hidden. Its IntersectionObserver alone heard of about half of them in
// Chromium (a throttled hidden frame may never compute the hidden state);
// the animation frames a hidden frame does not get tell it every time.
func TestBrowserAsksAgainWhenTabReappears(t *testing.T) {
	e := embed(t)
	app := e.open(t, compactJSON(t, readFixture(t, "layla.json")), hostMode{SendOnLoad: true, Answer: true}, "")
	browser := e.browser
	waitJS(t, app, `document.querySelector("#customer-panel")`, 10*time.Second)
	time.Sleep(1100 * time.Millisecond) // past the bridge's once-a-second throttle

	asks := `window.hostLog.filter(m => m.fromApp && m.data === "bevatel-dashboard-app:fetch-info").length`
	for return_ := 1; return_ <= 4; return_++ {
		before := evalJS[int](t, browser, asks)
		execJS(t, browser, `document.getElementById("app").style.display = "none"`)
		time.Sleep(1500 * time.Millisecond)
		if got := evalJS[int](t, browser, asks); got != before {
			t.Fatalf("hiding the tab sent %d fetch-info requests", got-before)
		}
		execJS(t, browser, `document.getElementById("app").style.display = ""`)
		waitJS(t, browser, fmt.Sprintf("%s > %d", asks, before), 3*time.Second)
		waitJS(t, app, fmt.Sprintf("window.dashappBridge.accepted >= %d", return_+1), 5*time.Second)
		time.Sleep(1100 * time.Millisecond)
	}
}

// Chatwoot's own dashboard listens for "chatwoot-dashboard-app:fetch-info":
// with -host chatwoot the bridge asks with that prefix, and the host's
// answer fills the panel.
func TestBrowserChatwootPrefix(t *testing.T) {
	host, page := newHost(t)
	appURL := appOnLocalhost(t, host.URL, "-host", "chatwoot")
	browser := newBrowser(t)
	*page = hostPage(t, appURL, compactJSON(t, readFixture(t, "layla.json")), hostMode{SendOnLoad: false, Answer: true, Prefix: "chatwoot"}, "")
	do(t, browser, chromedp.Navigate(host.URL))
	app := frameContext(t, browser, appURL)
	waitJS(t, app, `document.querySelector("#customer-panel[data-matched-by=contact_id]")`, 10*time.Second)
	asked := evalJS[[]string](t, browser, `window.hostLog.filter(m => m.fromApp).map(m => String(m.data))`)
	for _, m := range asked {
		if m != "chatwoot-dashboard-app:fetch-info" {
			t.Errorf("the app posted %q to a Chatwoot host", m)
		}
	}
	if len(asked) == 0 {
		t.Error("the app never asked the Chatwoot host for the context")
	}
}
