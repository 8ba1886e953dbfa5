package handlers

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// Dates show in the customer's zone when the contact names one, else in the
// agent's (?tz= from the bridge), else UTC; load-more pages keep the zone.
func TestDatesFollowTheChosenTimeZone(t *testing.T) {
	app := newTestServer(t)
	withZone := func(zone string) []byte {
		var msg map[string]any
		if err := json.Unmarshal(fixture(t, "layla.json"), &msg); err != nil {
			t.Fatal(err)
		}
		msg["data"].(map[string]any)["contact"].(map[string]any)["custom_attributes"].(map[string]any)["timezone"] = zone
		b, err := json.Marshal(msg)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name, tz string
		payload  []byte
		zone     string
		first    string // Layla's newest order, placed 2026-11-01T07:00:00Z
	}{
		{"no zone known", "", fixture(t, "layla.json"), "UTC", "1 Nov 2026, 07:00"},
		{"the agent's", "Asia/Riyadh", fixture(t, "layla.json"), "Asia/Riyadh", "1 Nov 2026, 10:00"},
		{"the customer's wins", "Asia/Riyadh", withZone("Asia/Dubai"), "Asia/Dubai", "1 Nov 2026, 11:00"},
		{"a bad customer zone is ignored", "Asia/Riyadh", withZone("../../etc/passwd"), "Asia/Riyadh", "1 Nov 2026, 10:00"},
		{"the server's own zone is never used", "Local", fixture(t, "layla.json"), "UTC", "1 Nov 2026, 07:00"},
		{"unknown zones fall back", "Mars/Olympus", fixture(t, "layla.json"), "UTC", "1 Nov 2026, 07:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/context?"+url.Values{"tz": {tt.tz}}.Encode(), bytes.NewReader(asHostString(t, tt.payload)))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("HX-Request", "true")
			resp := do(t, app, req)
			if resp.status != http.StatusOK {
				t.Fatalf("status %d: %.300s", resp.status, resp.body)
			}
			doc := parse(t, resp.body)
			if got, _ := doc.Find("#customer-panel").Attr("data-time-zone"); got != tt.zone {
				t.Errorf("panel zone %q, want %q", got, tt.zone)
			}
			if got := strings.TrimSpace(doc.Find("table.orders tbody tr td time").First().Text()); got != tt.first {
				t.Errorf("newest order shows %q, want %q", got, tt.first)
			}
			more, _ := doc.Find("#orders-more button").Attr("hx-get")
			u, err := url.Parse(more)
			if err != nil || u.Query().Get("tz") != tt.zone {
				t.Fatalf("load-more link %q does not carry the zone %q", more, tt.zone)
			}
			page := parse(t, "<table><tbody>"+do(t, app, httptest.NewRequest(http.MethodGet, more, nil)).body+"</tbody></table>")
			if page.Find("time").Length() == 0 {
				t.Fatal("the next page has no dates")
			}
			if next, _ := page.Find("#orders-more button").Attr("hx-get"); next != "" && !strings.Contains(next, "tz="+url.QueryEscape(tt.zone)) {
				t.Errorf("the next page's link %q lost the zone", next)
			}
		})
	}
}
