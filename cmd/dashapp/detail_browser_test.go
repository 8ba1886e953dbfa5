package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// shippedToggle selects the toggle of Layla's first order that has shipped:
// its detail has a shipment with a tracking link.
const shippedToggle = `[...document.querySelectorAll("table.orders tbody tr")].find(tr => tr.querySelector(".badge[data-status=shipped], .badge[data-status=delivered]")).querySelector(".js-order-toggle")`

// openDetailFrame frames the app with an access key (so the detail link's
// grant is checked) under a host on another site, whose iframe has no
// allow attribute, as the real dashboard's. It returns the host's tab, the
// host's URL and the app frame, with Layla's panel shown.
func openDetailFrame(t *testing.T) (host context.Context, hostURL string, app context.Context) {
	t.Helper()
	srv, page := newHost(t)
	base := startApp(t, "-key", testKey, "-demo=on", "-allowed-origins", srv.URL)
	appBase := strings.Replace(base, "127.0.0.1", "localhost", 1)
	tab := newBrowser(t)
	*page = hostPage(t, appBase+"/?key="+testKey, compactJSON(t, readFixture(t, "layla.json")), hostMode{SendOnLoad: true, Answer: true}, "")
	if strings.Contains(*page, "allow=") {
		t.Fatal("the host's frame must carry no allow attribute, as the dashboard's")
	}
	do(t, tab, chromedp.Navigate(srv.URL))
	app = frameContext(t, tab, appBase+"/")
	waitJS(t, app, `document.querySelector(".js-order-toggle")`, 10*time.Second)
	settle(t, app)
	execJS(t, app, shippedToggle+`.id = "shipped-toggle"`)
	return tab, srv.URL, app
}

// settle gives the frame the focus once (a click on the contact's name) and lets the context it asks for
// on focus arrive, so the panel the test works in is not replaced under it.
func settle(t *testing.T, app context.Context) {
	t.Helper()
	do(t, app, chromedp.Click(chromedp.CSS("#contact-name")))
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) && !evalJS[bool](t, app, `window.dashappBridge.accepted >= 2`) {
		time.Sleep(50 * time.Millisecond)
	}
	waitJS(t, app, `document.querySelector("#panel").getAttribute("aria-busy") === "false" && document.querySelector(".js-order-toggle")`, 10*time.Second)
}

// An order's detail opens in place from the keyboard, shows its items and
// its tracking link, and closes again with Enter and with Escape.
func TestBrowserOrderDetailByKeyboard(t *testing.T) {
	_, _, app := openDetailFrame(t)
	expanded := `document.querySelector("#shipped-toggle").getAttribute("aria-expanded")`
	detailShown := `(() => { const s = document.getElementById(document.querySelector("#shipped-toggle").getAttribute("aria-controls")); return s && !s.closest("tr").hidden && s.querySelector(".order-detail") })()`

	do(t, app, chromedp.Focus(chromedp.CSS("#shipped-toggle")), chromedp.KeyEvent(kb.Enter))
	waitJS(t, app, detailShown, 10*time.Second)
	if got := evalJS[string](t, app, expanded); got != "true" {
		t.Errorf("aria-expanded %q after opening, want true", got)
	}
	detail := `document.getElementById(document.querySelector("#shipped-toggle").getAttribute("aria-controls")).querySelector(".order-detail")`
	if n := evalJS[int](t, app, detail+`.querySelectorAll("table.items tbody tr").length`); n == 0 {
		t.Error("the detail shows no items")
	}
	items := evalJS[string](t, app, detail+`.querySelector("table.items").innerText`)
	for _, col := range []string{"Item", "SKU", "Qty", "Unit price", "Line total"} {
		if !strings.Contains(items, col) {
			t.Errorf("the items table has no %q column:\n%s", col, items)
		}
	}
	link := evalJS[map[string]string](t, app, `(() => { const a = `+detail+`.querySelector("a.tracking-link"); return a ? {href: a.href, target: a.target, rel: a.rel, visible: String(a.offsetParent !== null)} : {} })()`)
	if !strings.HasPrefix(link["href"], "https://") || link["target"] != "_blank" || link["rel"] != "noopener noreferrer" || link["visible"] != "true" {
		t.Errorf("tracking link %v, want a visible https link in a new tab without opener or referrer", link)
	}
	if evalJS[bool](t, app, `document.activeElement.id !== "shipped-toggle"`) {
		t.Error("opening moved the focus off the toggle")
	}

	// Enter again closes it; the detail stays loaded but hidden.
	do(t, app, chromedp.KeyEvent(kb.Enter))
	waitJS(t, app, expanded+` === "false" && !(`+detailShown+`)`, 5*time.Second)

	// Open again (no second request needed), Tab into the detail, and
	// Escape closes it and returns to the order.
	do(t, app, chromedp.KeyEvent(kb.Enter))
	waitJS(t, app, detailShown, 5*time.Second)
	// The row's own tracking link (in its status cell) comes first in the
	// tab order when the order has one; the detail follows.
	for range 3 {
		if evalJS[bool](t, app, `!!document.activeElement.closest(".detail-row")`) {
			break
		}
		do(t, app, chromedp.KeyEvent(kb.Tab))
	}
	waitJS(t, app, `document.activeElement.closest(".detail-row")`, 5*time.Second)
	do(t, app, chromedp.KeyEvent(kb.Escape))
	waitJS(t, app, expanded+` === "false" && document.activeElement.id === "shipped-toggle"`, 5*time.Second)
}

// The copy buttons work in the dashboard's frame, which has no
// allow="clipboard-write": there the async clipboard API is refused, and
// the text must still reach the clipboard. The host page (allowed to read
// its clipboard) reads what the frame copied.
func TestBrowserCopyInFrameWithoutClipboardPermission(t *testing.T) {
	tab, hostURL, app := openDetailFrame(t)
	// The host reads while the agent works in the frame: headless Chromium
	// would call the host's document unfocused.
	if _, err := chromedp.Call(tab, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"clipboard-read", "clipboard-write"} {
		if _, err := chromedp.CallBrowser(tab, browser.SetPermission, browser.SetPermissionParams{
			Permission: &browser.PermissionDescriptor{Name: name}, Setting: "granted", Origin: hostURL,
		}); err != nil {
			t.Fatalf("grant %s to the host: %v", name, err)
		}
	}
	readClipboard := func() string {
		t.Helper()
		v, err := chromedp.Run(tab, chromedp.Evaluate[string](`navigator.clipboard.readText()`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("the host reads the clipboard: %v", err)
		}
		return v
	}
	if _, err := chromedp.Run(tab, chromedp.Evaluate[any](`navigator.clipboard.writeText("before the copy")`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatalf("the host writes the clipboard: %v", err)
	}
	if got := readClipboard(); got != "before the copy" {
		t.Fatalf("the clipboard holds %q before the copy", got)
	}
	// The frame is as restricted as the dashboard's: the async API fails.
	if r, err := chromedp.Run(app, chromedp.Evaluate[string](`navigator.clipboard.writeText("x").then(() => "written", e => e.name)`, chromedp.EvalAwaitPromise)); err != nil || r == "written" {
		t.Fatalf("the frame may use navigator.clipboard (%q, %v): the test would not show the fallback works", r, err)
	}

	do(t, app, chromedp.Click(chromedp.CSS("#shipped-toggle")))
	waitJS(t, app, `document.querySelector(".order-detail .tracking .js-copy")`, 10*time.Second)
	number := evalJS[string](t, app, `document.querySelector(".order-detail").dataset.order`)
	tracking := evalJS[string](t, app, `document.querySelector(".order-detail .tracking .copy-field").value`)

	do(t, app, chromedp.Click(chromedp.CSS(".order-detail .detail-number .js-copy")))
	waitJS(t, app, `document.querySelector(".order-detail .detail-number .copy-status").textContent === "Copied"`, 5*time.Second)
	if got := readClipboard(); got != number {
		t.Errorf("after copying the order number the clipboard holds %q, want %q", got, number)
	}
	// From the keyboard: Enter on the tracking number's copy button.
	do(t, app, chromedp.Focus(chromedp.CSS(".order-detail .tracking .js-copy")), chromedp.KeyEvent(kb.Enter))
	waitJS(t, app, `document.querySelector(".order-detail .tracking .copy-status").textContent === "Copied"`, 5*time.Second)
	if got := readClipboard(); got != tracking {
		t.Errorf("after copying the tracking number the clipboard holds %q, want %q", got, tracking)
	}
	if evalJS[bool](t, app, `[...document.querySelectorAll(".copy-field")].some(f => !f.hidden)`) {
		t.Error("a copy field stays visible after a copy that worked")
	}
}

// framedOrderDetail is Layla's panel with a shipped order's detail open,
// for a11yPages.
func framedOrderDetail(theme, lang string) func(*testing.T, context.Context, string, *string, string) context.Context {
	panel := framedPanel("layla.json", theme, lang, `document.querySelector(".js-order-toggle")`)
	return func(t *testing.T, browser context.Context, host string, page *string, appURL string) context.Context {
		app := panel(t, browser, host, page, appURL)
		execJS(t, app, shippedToggle+`.click()`)
		waitJS(t, app, `document.querySelector(".order-detail .tracking-link") && document.querySelector(".js-order-toggle[aria-expanded=true]")`, 10*time.Second)
		return app
	}
}

// Layla's thumbnail is on a host the CSP does not allow: the picture goes,
// and her initials show in its place.
func TestBrowserAvatarFallsBackToInitials(t *testing.T) {
	app := embed(t).open(t, compactJSON(t, readFixture(t, "layla.json")), hostMode{SendOnLoad: true, Answer: true}, "")
	waitJS(t, app, `document.querySelector("#customer-panel .contact .avatar")`, 10*time.Second)
	waitJS(t, app, `!document.querySelector("#customer-panel .contact img")`, 10*time.Second)
	got := evalJS[map[string]string](t, app, `(() => { const a = document.querySelector("#customer-panel .contact .avatar"); const r = a.getBoundingClientRect(); return {text: a.innerText.trim(), w: String(r.width), visible: String(a.checkVisibility())} })()`)
	if got["text"] != "LH" || got["visible"] != "true" || got["w"] == "0" {
		t.Errorf("the avatar without its picture shows %v, want Layla Al-Harbi's initials LH", got)
	}
}

// When even execCommand is refused (and the async API is, in the frame),
// the number is shown selected in its field, with how to copy it by hand.
func TestBrowserCopyFallsBackToSelectToCopy(t *testing.T) {
	_, _, app := openDetailFrame(t)
	do(t, app, chromedp.Click(chromedp.CSS("#shipped-toggle")))
	waitJS(t, app, `document.querySelector(".order-detail .detail-number .js-copy")`, 10*time.Second)
	execJS(t, app, `document.execCommand = () => false`)
	do(t, app, chromedp.Click(chromedp.CSS(".order-detail .detail-number .js-copy")))
	waitJS(t, app, `document.querySelector(".order-detail .detail-number .copy-status").textContent.includes("Ctrl+C")`, 5*time.Second)
	got := evalJS[map[string]string](t, app, `(() => { const f = document.querySelector(".order-detail .detail-number .copy-field"); return {
		visible: String(f.checkVisibility() && f.getBoundingClientRect().left >= 0), focused: String(document.activeElement === f),
		selected: f.value.substring(f.selectionStart, f.selectionEnd), value: f.value} })()`)
	if got["visible"] != "true" || got["focused"] != "true" || got["selected"] != got["value"] || got["value"] == "" {
		t.Errorf("the select-to-copy field: %v, want it on screen, focused and wholly selected", got)
	}
}

// An open order detail fits every pane, from the 320 px sidebar up: nothing
// scrolls sideways, and the detail spans the table's width.
func TestBrowserOrderDetailWidths(t *testing.T) {
	e := embed(t)
	do(t, e.browser, chromedp.EmulateViewport(1500, 900))
	app := e.open(t, compactJSON(t, readFixture(t, "layla.json")), hostMode{SendOnLoad: true, Answer: true}, "")
	waitJS(t, app, `document.querySelector(".js-order-toggle")`, 10*time.Second)
	execJS(t, app, shippedToggle+`.click()`)
	waitJS(t, app, `document.querySelector(".order-detail .tracking-link")`, 10*time.Second)
	for _, width := range []int{320, 480, 768, 1400} {
		execJS(t, e.browser, fmt.Sprintf(`document.getElementById("app").style.width = "%dpx"`, width))
		waitJS(t, app, fmt.Sprintf(`innerWidth === %d`, width), 5*time.Second)
		got := evalJS[[]float64](t, app, `[document.documentElement.scrollWidth, document.documentElement.clientWidth,
			document.querySelector(".order-detail").getBoundingClientRect().width, document.querySelector("table.orders").getBoundingClientRect().width]`)
		if got[0] > got[1] {
			t.Errorf("at %d px with a detail open the page scrolls sideways: scrollWidth %v > clientWidth %v", width, got[0], got[1])
		}
		if got[2] < got[3]*0.9 {
			t.Errorf("at %d px the detail is %v px wide in a %v px table", width, got[2], got[3])
		}
	}
}
