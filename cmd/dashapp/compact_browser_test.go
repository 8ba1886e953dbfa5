package main

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// At 320 px, Layla's summary and her first five orders fit in the first
// 900 px of the pane: each order is two lines (number and status; date and
// total), the contact and customer cards are one, and payments wait behind
// their own section. Wide panes keep the tables.
func TestBrowserCompactSidebar(t *testing.T) {
	e := embed(t)
	browser := e.browser
	do(t, browser, chromedp.EmulateViewport(1500, 1000))
	app := e.open(t, compactJSON(t, readFixture(t, "layla.json")), hostMode{SendOnLoad: true, Answer: true}, "")
	waitJS(t, app, `document.querySelector("#customer-panel table.orders td")`, 10*time.Second)
	execJS(t, browser, `document.getElementById("app").style.width = "320px"`)
	waitJS(t, app, `innerWidth === 320`, 5*time.Second)

	bottom := func(selector string) float64 {
		t.Helper()
		return evalJS[float64](t, app, fmt.Sprintf(`(() => { const r = document.querySelector(%q).getBoundingClientRect(); return r.bottom + scrollY; })()`, selector))
	}
	if b := bottom("#customer-panel .summary"); b > 900 {
		t.Errorf("at 320 px the summary ends at %.0f px, beyond 900", b)
	}
	if b := bottom("table.orders tbody tr:nth-child(5)"); b > 900 {
		t.Errorf("at 320 px the fifth order ends at %.0f px, beyond 900", b)
	}
	// Two lines: the number and the status share the first, the date and
	// the total the second.
	lines := evalJS[[]float64](t, app, `(() => { const tr = document.querySelector("table.orders tbody tr"); const top = c => tr.querySelector(c).getBoundingClientRect().top;
		return [top("th"), top("[data-status]"), top("time"), top(".money")]; })()`)
	if lines[0] != lines[1] || lines[2] != lines[3] || lines[2] <= lines[0] {
		t.Errorf("an order at 320 px is not number+status over date+total: tops %v", lines)
	}
	if n := evalJS[int](t, app, `document.querySelectorAll("#customer-panel > .card").length`); n != 1 {
		t.Errorf("Layla's contact and customer agree, yet %d cards show", n)
	}
	if email := evalJS[int](t, app, `[...document.querySelectorAll("#customer-panel .merged dd")].filter(d => d.textContent.includes("@")).length`); email != 1 {
		t.Errorf("the merged card shows the shared email %d times, want once", email)
	}
	if open := evalJS[bool](t, app, `document.querySelector("#payments-section").open`); open {
		t.Error("payments are open by default: they would follow every order")
	}
	execJS(t, app, `document.querySelector("#payments-section summary").click()`)
	waitJS(t, app, `document.querySelector("table.payments tbody tr:not(.pending-row)").getBoundingClientRect().height > 0`, 5*time.Second)

	execJS(t, browser, `document.getElementById("app").style.width = "900px"`)
	waitJS(t, app, `innerWidth === 900`, 5*time.Second)
	if d := evalJS[string](t, app, `getComputedStyle(document.querySelector("table.orders tbody td")).display`); d != "table-cell" {
		t.Errorf("at 900 px order cells are %q, not a table", d)
	}
}
