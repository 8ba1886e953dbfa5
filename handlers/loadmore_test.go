package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"dashapp/db/shop"
)

// brokenOrders is a store whose order pages fail, as a shop API can.
type brokenOrders struct{ CustomerStore }

func (brokenOrders) Orders(context.Context, int64, string, int) (shop.OrderPage, error) {
	return shop.OrderPage{}, errors.New("shop API timed out")
}

// A failed "load more" from htmx answers a row that takes the button row's
// place (htmx 4 swaps error responses), never a section that would break
// the table.
func TestLoadMoreFailureIsATableRow(t *testing.T) {
	app := newTestServer(t)
	broken := newTestServer(t, func(d *Deps) { d.Store = brokenOrders{d.Store} })
	tests := []struct {
		name      string
		app       func() response
		status    int
		id        string
		colspan   string
		retryGets bool // a server fault retries the same page; a refused request refreshes the panel
		lang      string
	}{
		{"bad cursor", func() response { return hxGet(t, app, "/customers/1/orders?after=not-a-cursor&lang=ar") }, 400, "orders-more", "5", false, "ar"},
		{"bad customer id", func() response { return hxGet(t, app, "/customers/x/payments") }, 400, "payments-more", "6", false, "en"},
		{"store failure", func() response { return hxGet(t, broken, "/customers/1/orders?after=abc") }, 500, "orders-more", "5", true, "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := tt.app()
			if resp.status != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.status, tt.status, resp.body)
			}
			if !strings.HasPrefix(strings.TrimSpace(resp.body), "<tr") {
				t.Fatalf("response is not a table row: %.200s", resp.body)
			}
			doc := parse(t, "<table><tbody>"+resp.body+"</tbody></table>")
			row := doc.Find("tbody > tr#" + tt.id)
			if row.Length() != 1 {
				t.Fatalf("no row #%s in %s", tt.id, resp.body)
			}
			if got, _ := row.Find("td").Attr("colspan"); got != tt.colspan {
				t.Errorf("colspan %q, want %q", got, tt.colspan)
			}
			if lang, _ := row.Find("[role=alert]").Attr("lang"); lang != tt.lang {
				t.Errorf("the error is in %q, want the panel's language %q", lang, tt.lang)
			}
			if row.Find("[role=alert]").Length() != 1 {
				t.Errorf("the error is not announced: %s", resp.body)
			}
			get, retries := row.Find("button#" + tt.id + "-button").Attr("hx-get")
			if retries != tt.retryGets || (retries && get != "/customers/1/orders?after=abc") {
				t.Errorf("retry hx-get = %q (%v), want a retry: %v", get, retries, tt.retryGets)
			}
			if refresh := row.Find("button.js-refresh").Length() == 1; refresh == tt.retryGets {
				t.Errorf("refresh button shown = %v, want %v", refresh, !tt.retryGets)
			}
		})
	}
	if resp := do(t, app, httptest.NewRequest(http.MethodGet, "/customers/x/orders", nil)); !strings.HasPrefix(strings.ToLower(resp.body), "<!doctype html>") {
		t.Errorf("a plain (non-htmx) request should get the error page: %.200s", resp.body)
	}
}

func hxGet(t *testing.T, app *fiber.App, target string) response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.Header.Set("HX-Request", "true")
	return do(t, app, req)
}
