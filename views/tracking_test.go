package views

import (
	"strings"
	"testing"
)

// An order row links its newest shipment's tracking page, named by the
// tracking number and marked as opening a new tab; a row without a
// shipment, or with a URL that is not http(s), has no link.
func TestOrderRowTrackingLink(t *testing.T) {
	rows := orderRows(3)
	rows[0].TrackingCarrier, rows[0].TrackingNumber, rows[0].TrackingURL = "Aramex", "41234567890", "https://www.aramex.com/track/results?ShipmentNumber=41234567890"
	rows[1].TrackingCarrier, rows[1].TrackingNumber, rows[1].TrackingURL = "SMSA", "SM1", "javascript:alert(1)"
	for _, lang := range []string{"en", "ar"} {
		doc := renderRows(t, OrderRows(lang, OrderList{Rows: rows}))
		links := doc.Find("a.tracking")
		if links.Length() != 1 {
			t.Fatalf("%s: %d tracking links, want 1", lang, links.Length())
		}
		link := links.First()
		if got := link.Closest("tr").Find("th").Text(); !strings.Contains(got, "SO-1000") {
			t.Errorf("%s: tracking link in the row of %q, want SO-1000", lang, got)
		}
		if got := link.AttrOr("href", ""); got != rows[0].TrackingURL {
			t.Errorf("%s: href %q", lang, got)
		}
		if link.AttrOr("target", "") != "_blank" || link.AttrOr("rel", "") != "noopener noreferrer" {
			t.Errorf("%s: link opens with target %q rel %q", lang, link.AttrOr("target", ""), link.AttrOr("rel", ""))
		}
		text := link.Text()
		for _, want := range []string{T(lang, "orders.track"), "Aramex", "41234567890", T(lang, "link.newTab")} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: link text %q lacks %q", lang, text, want)
			}
		}
		if link.Find("bdi[dir=ltr], [dir=ltr]").Length() == 0 {
			t.Errorf("%s: the tracking number is not isolated left-to-right", lang)
		}
	}
	if T("ar", "orders.track") == T("en", "orders.track") {
		t.Error("orders.track has no Arabic")
	}
}
