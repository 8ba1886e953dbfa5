package main

import (
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// BenchmarkBrowserPostMessageToPaint opens the app in a host page the way
// the dashboard does on every conversation switch (a fresh frame document
// that gets the appContext on load) and reports, as medians over the
// iterations: ms/paint-median, from the bridge receiving the host's message
// to the start of the frame that paints the panel (bridge.js marks both);
// and ms/ready-median, from the frame's navigation to DOMContentLoaded,
// when the deferred bridge listens. Headless Chromium on loopback, against
// the demo database. Run with -benchtime=30x.
func BenchmarkBrowserPostMessageToPaint(b *testing.B) {
	browser := newBrowser(b)
	host, page := newHost(b)
	appURL := appOnLocalhost(b, host.URL)
	*page = hostPage(b, appURL, compactJSON(b, readFixture(b, "layla.json")), hostMode{SendOnLoad: true, Answer: true}, "")
	do(b, browser, chromedp.Navigate(host.URL))
	app := frameContext(b, browser, appURL)

	const painted = `performance.getEntriesByName("dashapp:frame").length > 0 && !window.benchOld`
	var paint, ready []float64
	for b.Loop() {
		waitJS(b, app, painted, 10*time.Second)
		paint = append(paint, evalJS[float64](b, app, `performance.getEntriesByName("dashapp:frame")[0].startTime - performance.getEntriesByName("dashapp:context")[0].startTime`))
		ready = append(ready, evalJS[float64](b, app, `performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd`))
		if !evalJS[bool](b, app, `!!document.querySelector("#customer-panel[data-matched-by=contact_id]")`) {
			b.Fatal("the painted panel is not Layla's")
		}
		// The next conversation: a fresh document, which the host posts to on load.
		execJS(b, app, `window.benchOld = true; location.reload()`)
	}
	b.ReportMetric(median(paint), "ms/paint-median")
	b.ReportMetric(median(ready), "ms/ready-median")
	b.ReportMetric(0, "ns/op") // the loop's time is the harness's polling, not the app's
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
