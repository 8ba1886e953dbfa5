package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// With an access key, "load more" is an htmx request that must carry the
// page's session token and the panel's grant: the next page arrives, and
// the rows of the two pages do not overlap.
func TestBrowserLoadMoreWithAccessKey(t *testing.T) {
	host, page := newHost(t)
	base := startApp(t, "-key", testKey, "-demo=on", "-allowed-origins", host.URL)
	appBase := strings.Replace(base, "127.0.0.1", "localhost", 1)
	browser := newBrowser(t)
	*page = hostPage(t, appBase+"/?key="+testKey, compactJSON(t, readFixture(t, "layla.json")), hostMode{SendOnLoad: true, Answer: true}, "")
	do(t, browser, chromedp.Navigate(host.URL))
	app := frameContext(t, browser, appBase+"/")
	waitJS(t, app, `document.querySelector("#orders-more button")`, 10*time.Second)

	rows := `[...document.querySelectorAll("table.orders tbody tr:not(#orders-more) th")].map(th => th.textContent.trim())`
	first := evalJS[[]string](t, app, rows)
	execJS(t, app, `document.querySelector("#orders-more button").click()`)
	waitJS(t, app, fmt.Sprintf(`document.querySelectorAll("table.orders tbody tr:not(#orders-more)").length > %d`, len(first)), 10*time.Second)
	all := evalJS[[]string](t, app, rows)
	seen := map[string]bool{}
	for _, number := range all {
		if seen[number] {
			t.Errorf("order %s shows twice after load more", number)
		}
		seen[number] = true
	}
	if alert := evalJS[int](t, app, `document.querySelectorAll("table.orders [role=alert]").length`); alert != 0 {
		t.Errorf("load more answered with an error row: %s", evalJS[string](t, app, `document.querySelector("table.orders [role=alert]").textContent`))
	}
}
