package main

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// In the real cross-origin frame, a re-sent context for the same
// conversation leaves the panel as the agent left it: the pages "load
// more" fetched, an open details, the scroll position. Changed data
// replaces only the parts that changed: the summary shows a failed
// payment, and the orders' loaded pages stay.
func TestBrowserResentContextKeepsThePanel(t *testing.T) {
	host, page := newHost(t)
	path := filepath.Join(t.TempDir(), "state.db")
	base := startApp(t, "-allowed-origins", host.URL, "-db", path)
	appBase := strings.Replace(base, "127.0.0.1", "localhost", 1)
	browser := newBrowser(t)
	layla := compactJSON(t, readFixture(t, "layla.json"))
	*page = hostPage(t, appBase+"/", layla, hostMode{SendOnLoad: true, Answer: true}, "")
	do(t, browser, chromedp.Navigate(host.URL))
	app := frameContext(t, browser, appBase+"/")
	waitJS(t, app, `document.querySelector("#orders-more button")`, 10*time.Second)

	const orderRows = `document.querySelectorAll("table.orders tbody tr:not(#orders-more)").length`
	first := evalJS[int](t, app, orderRows)
	execJS(t, app, `document.querySelector("#orders-more button").click()`)
	waitJS(t, app, fmt.Sprintf("%s > %d", orderRows, first), 10*time.Second)
	loaded := evalJS[int](t, app, orderRows)
	execJS(t, app, `document.querySelector("details.attributes summary").click(); window.scrollTo(0, 400)`)
	waitJS(t, app, `document.querySelector("details.attributes").open`, 5*time.Second)
	scrolled := evalJS[float64](t, app, `window.scrollY`)
	if scrolled == 0 {
		t.Fatal("the frame did not scroll: the test would prove nothing about scrolling")
	}
	// Payments load when opened, and stay loaded and open.
	const paymentRows = `document.querySelectorAll("table.payments tbody tr:not(.more-row)").length`
	execJS(t, app, `document.querySelector("#payments-section summary").click()`)
	waitJS(t, app, paymentRows+" > 0", 10*time.Second)
	payments := evalJS[int](t, app, paymentRows)
	// A marker on a node proves it is the same node, not a copy.
	execJS(t, app, `document.querySelector("table.orders").dataset.marker = "kept"; document.querySelector("table.payments").dataset.marker = "kept"`)

	kept := func(when string) {
		t.Helper()
		if n := evalJS[int](t, app, orderRows); n != loaded {
			t.Errorf("%s: %d order rows, want the %d loaded", when, n, loaded)
		}
		if !evalJS[bool](t, app, `document.querySelector("details.attributes").open`) {
			t.Errorf("%s: the attributes closed", when)
		}
		if got := evalJS[string](t, app, `document.querySelector("table.orders").dataset.marker || ""`); got != "kept" {
			t.Errorf("%s: the orders table was replaced", when)
		}
	}
	paymentsKept := func(when string) {
		t.Helper()
		if n := evalJS[int](t, app, paymentRows); n != payments || !evalJS[bool](t, app, `document.querySelector("#payments-section").open`) {
			t.Errorf("%s: %d payment rows, want the %d loaded, open", when, n, payments)
		}
		if got := evalJS[string](t, app, `document.querySelector("table.payments").dataset.marker || ""`); got != "kept" {
			t.Errorf("%s: the payments table was replaced", when)
		}
	}

	// The host re-sends the same context (what a focus triggers).
	execJS(t, browser, `postContext(`+jsString(t, layla)+`)`)
	waitJS(t, app, `window.dashappBridge.unchanged >= 1 && document.getElementById("panel").getAttribute("aria-busy") === "false"`, 10*time.Second)
	kept("same context")
	paymentsKept("same context")
	if y := evalJS[float64](t, app, `window.scrollY`); y != scrolled {
		t.Errorf("same context: scrolled to %v, was %v", y, scrolled)
	}
	// And a focus of the frame, which asks the host again.
	execJS(t, app, `window.dispatchEvent(new Event("focus"))`)
	waitJS(t, app, `window.dashappBridge.unchanged >= 2`, 10*time.Second)
	kept("focus")
	paymentsKept("focus")

	// Layla's newest payment fails: the summary counts it, the orders stay,
	// and the open payments load again, showing it failed.
	const failed = `document.querySelector(".stat-alert dd") ? document.querySelector(".stat-alert dd").textContent.trim() : "0"`
	const failedRows = `document.querySelectorAll("table.payments tbody tr:not(.more-row) [data-status=failed]").length`
	before, failedBefore := evalJS[string](t, app, failed), evalJS[int](t, app, failedRows)
	store, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if _, err := store.Exec(`UPDATE payments SET status = 'failed' WHERE id = (SELECT p.id FROM payments p
		JOIN customers c ON c.id = p.customer_id WHERE c.ref = 'C-1001' AND p.status = 'succeeded' ORDER BY p.created_at DESC LIMIT 1)`); err != nil {
		t.Fatal(err)
	}
	execJS(t, browser, `postContext(`+jsString(t, layla)+`)`)
	waitJS(t, app, fmt.Sprintf(`(%s) !== %q`, failed, before), 10*time.Second)
	kept("changed payments")
	waitJS(t, app, fmt.Sprintf("%s === %d", failedRows, failedBefore+1), 10*time.Second)
	if !evalJS[bool](t, app, `document.querySelector("#payments-section").open`) {
		t.Error("changed payments: the payments section closed")
	}
}
