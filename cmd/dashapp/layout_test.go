package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Opened outside any dashboard, the app explains itself: it waits, offers
// Refresh, and in development points to the host simulator.
func TestBrowserWaitingOutsideDashboard(t *testing.T) {
	browser := newBrowser(t)
	base := startApp(t) // through run: development mode, so the simulator link shows
	do(t, browser, chromedp.Navigate(base+"/"))
	waitJS(t, browser, `document.querySelector("#panel .empty")`, 10*time.Second)

	if text := evalJS[string](t, browser, `document.querySelector("#panel").innerText`); !strings.Contains(text, "Waiting for the dashboard") {
		t.Errorf("waiting state does not say what it waits for:\n%s", text)
	}
	if got := evalJS[string](t, browser, `document.querySelector("#panel button.js-refresh").innerText`); got != "Refresh" {
		t.Errorf("waiting state's button reads %q, want Refresh", got)
	}
	if href := evalJS[string](t, browser, `(document.querySelector("#panel a[href]") || {}).href || ""`); href != base+"/simulator" {
		t.Errorf("waiting state links to %q, want the simulator %s/simulator", href, base)
	}
	if busy := evalJS[string](t, browser, `document.querySelector("#panel").getAttribute("aria-busy")`); busy != "false" {
		t.Errorf("waiting state is still aria-busy=%q", busy)
	}
	// Refresh outside a frame has no parent to ask; it must not throw.
	execJS(t, browser, `window.onerrorSeen = 0; addEventListener("error", () => window.onerrorSeen++); document.querySelector("#panel .js-refresh").click()`)
	if n := evalJS[int](t, browser, `window.onerrorSeen`); n != 0 {
		t.Errorf("Refresh outside the dashboard raised %d errors", n)
	}
}

// The dashboard gives the app panes from a phone-sized sidebar to a full
// screen: at none of them may the page scroll sideways, and narrow panes
// stack the table rows.
func TestBrowserLayoutWidths(t *testing.T) {
	e := embed(t)
	browser := e.browser
	do(t, browser, chromedp.EmulateViewport(1500, 900))
	app := e.open(t, compactJSON(t, readFixture(t, "layla.json")), hostMode{SendOnLoad: true, Answer: true}, "")
	waitJS(t, app, `document.querySelector("#customer-panel table.orders td")`, 10*time.Second)

	for _, width := range []int{320, 480, 768, 1400} {
		execJS(t, browser, fmt.Sprintf(`document.getElementById("app").style.width = "%dpx"`, width))
		waitJS(t, app, fmt.Sprintf(`innerWidth === %d`, width), 5*time.Second)
		scroll := evalJS[[]int](t, app, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`)
		if scroll[0] > scroll[1] {
			t.Errorf("at %d px the page scrolls sideways: scrollWidth %d > clientWidth %d", width, scroll[0], scroll[1])
		}
		display := evalJS[string](t, app, `getComputedStyle(document.querySelector("table.orders tbody td")).display`)
		stacked := display != "table-cell"
		if want := width <= 480; stacked != want {
			t.Errorf("at %d px order cells have display %q: stacked = %v, want %v", width, display, stacked, want)
		}
	}
}

// With no zone on the contact, dates follow the agent's browser: the bridge
// sends its zone, the server renders in it, and after every swap (load
// more included) Intl re-formats each <time> and names the zone.
func TestBrowserDatesInTheAgentsZone(t *testing.T) {
	app := embed(t, chromedp.Env("TZ=Asia/Riyadh")).open(t, compactJSON(t, readFixture(t, "layla.json")), hostMode{SendOnLoad: true, Answer: true}, "")
	waitJS(t, app, `document.querySelector("#customer-panel table.orders time")`, 10*time.Second)

	if zone := evalJS[string](t, app, `document.querySelector("#customer-panel").dataset.timeZone`); zone != "Asia/Riyadh" {
		t.Fatalf("panel rendered in %q, want the browser's Asia/Riyadh", zone)
	}
	// Layla's newest order was placed at 07:00 UTC: 10:00 in Riyadh.
	waitJS(t, app, `document.querySelector("table.orders time").title === "Asia/Riyadh"`, 5*time.Second) // re-formatted by the bridge
	if got := evalJS[string](t, app, `document.querySelector("table.orders time").textContent`); got != "1 Nov 2026, 10:00" {
		t.Errorf("newest order shows %q, want \"1 Nov 2026, 10:00\", as the server writes it", got)
	}
	execJS(t, app, `document.querySelector("#orders-more-button").click()`)
	waitJS(t, app, `document.querySelectorAll("table.orders tbody tr:not(#orders-more)").length > 20`, 10*time.Second)
	waitJS(t, app, `[...document.querySelectorAll("table.orders time")].every(el => el.title === "Asia/Riyadh" && /^\d{1,2} [A-Z][a-z]{2,3} \d{4}, \d{2}:\d{2}$/.test(el.textContent))`, 5*time.Second)
}
