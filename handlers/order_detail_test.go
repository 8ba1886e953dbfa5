package handlers

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gofiber/fiber/v2"

	"dashapp/db/memstore"
	"dashapp/db/shop"
	"dashapp/db/storetest"
	"dashapp/static"
)

// The contract's Detailer is this interface, and the stores have it.
var (
	_ OrderDetailStore   = storetest.Detailer(nil)
	_ storetest.Detailer = OrderDetailStore(nil)
	_ OrderDetailStore   = (*memstore.Store)(nil)
)

// detailLinks are the order toggles' detail URLs of a panel, in row order.
func detailLinks(t *testing.T, panel response) []string {
	t.Helper()
	var links []string
	parse(t, panel.body).Find("table.orders tbody tr th button.js-order-toggle").Each(func(_ int, s *goquery.Selection) {
		if s.AttrOr("aria-expanded", "") != "false" || s.AttrOr("type", "") != "button" {
			t.Errorf("toggle %q is not a collapsed disclosure button: %v", s.Text(), s.Nodes[0].Attr)
		}
		links = append(links, s.AttrOr("data-detail", ""))
	})
	return links
}

func hxGetWith(t *testing.T, target, token string) *http.Request {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.Header.Set("HX-Request", "true")
	return withToken(req, token)
}

// Every order row opens its detail: Layla's demo orders show their items
// with SKU, quantity, unit price and line total, the payments of the
// order, the platform's own label, the admin link, and for shipped orders
// the carrier, the tracking number and a tracking link in a new tab.
func TestOrderDetailShowsItemsShipmentsAndLinks(t *testing.T) {
	app := newTestServer(t)
	links := detailLinks(t, postContext(t, app, asHostString(t, fixture(t, "layla.json"))))
	if len(links) < 5 {
		t.Fatalf("%d order rows open a detail, want every row's", len(links))
	}
	var tracked, labelled, admin, paid bool
	for _, link := range links {
		resp := hxGet(t, app, link)
		if resp.status != http.StatusOK {
			t.Fatalf("GET %s: %d %.300s", link, resp.status, resp.body)
		}
		doc := parse(t, resp.body)
		d := doc.Find(".order-detail")
		if d.Length() != 1 || d.AttrOr("data-order", "") == "" {
			t.Fatalf("no order detail in %.300s", resp.body)
		}
		items := d.Find("table.items tbody tr")
		if items.Length() == 0 {
			t.Errorf("%s: no items", d.AttrOr("data-order", ""))
		}
		items.Each(func(_ int, row *goquery.Selection) {
			if n := row.Find("th, td").Length(); n != 5 {
				t.Errorf("an item row has %d cells, want name, SKU, quantity, unit price, line total", n)
			}
			if row.Find("td.num data.money").Length() != 2 {
				t.Errorf("an item row does not show its unit price and line total: %s", row.Text())
			}
		})
		if d.Find(".detail-number .js-copy").Length() != 1 || d.Find(".detail-number .copy-field").AttrOr("value", "") != d.AttrOr("data-order", "") {
			t.Errorf("the order number has no copy button holding it")
		}
		d.Find("a").Each(func(_ int, a *goquery.Selection) {
			href := a.AttrOr("href", "")
			if u, err := url.Parse(href); err != nil || (u.Scheme != "https" && u.Scheme != "http") {
				t.Errorf("link %q is not http(s)", href)
			}
			if a.AttrOr("target", "") != "_blank" || a.AttrOr("rel", "") != "noopener noreferrer" {
				t.Errorf("link %q does not open in a new tab without opener and referrer", href)
			}
		})
		if link := d.Find("a.tracking-link"); link.Length() > 0 {
			tracked = true
			if d.Find(".shipment strong").Text() == "" || d.Find(".tracking .copy-field").AttrOr("value", "") == "" {
				t.Errorf("a shipment lacks its carrier or tracking number copy: %s", d.Find(".shipment").Text())
			}
		}
		labelled = labelled || d.Find(".platform-status bdi").Text() != ""
		admin = admin || d.Find("a.admin-link").Length() > 0
		paid = paid || d.Find(".payments-list li").Length() > 0
		if d.Find(".shipping-address").Length() == 0 {
			t.Errorf("%s: no shipping address", d.AttrOr("data-order", ""))
		}
	}
	if !tracked || !labelled || !admin || !paid {
		t.Errorf("across Layla's first page: a tracking link %v, a platform label %v, an admin link %v, a payment %v; want each", tracked, labelled, admin, paid)
	}

	ar := hxGet(t, app, strings.Replace(links[0], "lang=en", "lang=ar", 1))
	d := parse(t, ar.body).Find(".order-detail")
	if d.AttrOr("dir", "") != "rtl" || !strings.Contains(d.Text(), "المنتجات") || strings.Contains(d.Text(), "Items") {
		t.Errorf("the Arabic detail is not Arabic: %.300s", d.Text())
	}
}

// The detail is a data route with the panel's grant: another session, another
// customer or no grant gets 403, another customer's order under one's own
// grant 404, bad ids 400, and no token 401; none of them shows an order.
func TestOrderDetailNeedsThePanelsGrant(t *testing.T) {
	app := newTestServer(t, withKeys(newClock(), keyNew))
	_, token := openPage(t, app, keyNew)
	_, otherToken := openPage(t, app, keyNew)
	links := detailLinks(t, postContextWith(t, app, token))
	if len(links) == 0 {
		t.Fatal("no detail links")
	}
	link := links[0]
	if !strings.Contains(link, "grant=") {
		t.Fatalf("the detail link carries no grant: %s", link)
	}
	if resp := do(t, app, hxGetWith(t, link, token)); resp.status != http.StatusOK || !strings.Contains(resp.body, "order-detail") {
		t.Fatalf("the issued link: %d %.200s", resp.status, resp.body)
	}
	u, _ := url.Parse(link)
	q := u.Query()
	q.Del("grant")
	// James's order under Layla's id and grant is "not found", not his order.
	jamesLinks := detailLinks(t, do(t, app, withToken(contextRequest(t, "james.json"), token)))
	if len(jamesLinks) == 0 {
		t.Fatal("James has no orders to borrow")
	}
	ju, _ := url.Parse(jamesLinks[0])
	jamesOrder := "/customers/1/orders/" + ju.Path[strings.LastIndexByte(ju.Path, '/')+1:] + "?" + u.RawQuery
	if !strings.HasPrefix(ju.Path, "/customers/") || strings.HasPrefix(ju.Path, "/customers/1/") {
		t.Fatalf("James's link %s", ju.Path)
	}
	for name, tt := range map[string]struct {
		target, token string
		status        int
	}{
		"another customer's id":   {strings.Replace(link, "/customers/1/", "/customers/2/", 1), token, http.StatusForbidden},
		"another session's token": {link, otherToken, http.StatusForbidden},
		"no grant":                {u.Path + "?" + q.Encode(), token, http.StatusForbidden},
		"no token":                {link, "", http.StatusUnauthorized},
		"an order not hers":       {jamesOrder, token, http.StatusNotFound},
		"a bad order id":          {"/customers/1/orders/x1?" + u.RawQuery, token, http.StatusBadRequest},
		"a negative order id":     {"/customers/1/orders/-3?" + u.RawQuery, token, http.StatusBadRequest},
	} {
		resp := do(t, app, hxGetWith(t, tt.target, tt.token))
		if resp.status != tt.status || strings.Contains(resp.body, "order-detail") {
			t.Errorf("%s: %d, want %d without a detail: %.200s", name, resp.status, tt.status, resp.body)
		}
	}
}

// A store without OrderDetail still serves the panel, with plain numbers.
func TestOrderRowsWithoutDetailStore(t *testing.T) {
	app := newMemServer(t, plainStore{linkedShop(t)})
	resp := postContext(t, app, contactMessage(`{"id":1,"name":"Layla","custom_attributes":{"shop_customer_ref":"C-2002"}}`))
	doc := parse(t, resp.body)
	if doc.Find("table.orders tbody tr th").Length() != 1 || doc.Find(".js-order-toggle").Length() != 0 {
		t.Errorf("want one plain order row: %.300s", resp.body)
	}
	if resp := hxGet(t, app, "/customers/2/orders/10"); resp.status != http.StatusNotFound {
		t.Errorf("the detail route without a detail store: %d, want 404", resp.status)
	}
}

// plainStore hides memstore's OrderDetail.
type plainStore struct{ CustomerStore }

// Only http(s) tracking and admin links are shown; the DASHAPP_ORDER_URL
// template fills in for a platform that gave none, its number escaped.
func TestOrderDetailLinks(t *testing.T) {
	s := linkedShop(t)
	if err := s.SetDetails(map[int64][]shop.Item{10: {{ID: 1, SKU: "SKU-<1>", Name: "<b>Oud</b>", Quantity: 2,
		UnitPrice: shop.Money{Minor: 5000, Currency: "SAR"}, LineTotal: shop.Money{Minor: 10000, Currency: "SAR"}}}},
		[]shop.Shipment{
			{ID: 1, Ref: "S1", OrderID: 10, Carrier: "Aramex", TrackingNumber: "AX1", TrackingURL: "javascript:alert(1)", Status: shop.ShipmentInTransit, StatusAt: time.Now()},
			{ID: 2, Ref: "S2", OrderID: 10, Carrier: "SMSA", TrackingNumber: "29111", TrackingURL: "https://track.example/29111", Status: shop.ShipmentOutForDelivery},
		}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ template, want string }{
		{"", ""},
		{"https://shop.example.com/admin/orders/{number}", "https://shop.example.com/admin/orders/O-2002-1"},
	} {
		app := newTestServerFor(t, s, tt.template)
		resp := hxGet(t, app, "/customers/2/orders/10?lang=en")
		if resp.status != http.StatusOK {
			t.Fatalf("%d %.300s", resp.status, resp.body)
		}
		d := parse(t, resp.body).Find(".order-detail")
		if got := d.Find("a.admin-link").AttrOr("href", ""); got != tt.want {
			t.Errorf("template %q: admin link %q, want %q", tt.template, got, tt.want)
		}
		if n := d.Find("a.tracking-link").Length(); n != 1 || d.Find("a.tracking-link").AttrOr("href", "") != "https://track.example/29111" {
			t.Errorf("%d tracking links (%q), want only the https one", n, d.Find("a.tracking-link").AttrOr("href", ""))
		}
		if strings.Contains(resp.body, "javascript:") || strings.Contains(resp.body, "<b>Oud") {
			t.Errorf("unsafe text reached the page: %s", resp.body)
		}
		if !strings.Contains(d.Text(), "In transit") || !strings.Contains(d.Text(), "Out for delivery") {
			t.Errorf("shipment statuses not named: %s", d.Find(".shipments-list").Text())
		}
	}

	withAdmin := shop.Order{Number: "#A 1/7", AdminURL: "https://admin.example/o/1"}
	if got := adminURL(withAdmin, "https://x.example/{number}"); got != "https://admin.example/o/1" {
		t.Errorf("the platform's admin link should win: %q", got)
	}
	withAdmin.AdminURL = "javascript:alert(1)"
	if got := adminURL(withAdmin, "https://x.example/orders/{number}"); got != "https://x.example/orders/%23A%201%2F7" {
		t.Errorf("template link %q, want the number escaped", got)
	}
	for _, bad := range []string{"ftp://x.example/{number}", "https://x.example/orders", "/orders/{number}", "javascript:alert('{number}')", "https://{number}"} {
		if CheckOrderURL(bad) == nil {
			t.Errorf("CheckOrderURL(%q) accepted it", bad)
		}
	}
	for _, good := range []string{"", "https://shop.example.com/admin/orders/{number}", "http://localhost:8080/o?n={number}"} {
		if err := CheckOrderURL(good); err != nil {
			t.Errorf("CheckOrderURL(%q): %v", good, err)
		}
	}
}

func newTestServerFor(t *testing.T, store *memstore.Store, orderURL string) *fiber.App {
	t.Helper()
	assets, err := static.Load()
	if err != nil {
		t.Fatal(err)
	}
	return NewServer(Deps{Store: store, Assets: assets, Config: Config{AllowedOrigins: []string{"https://chat.bevatel.com"}, OrderURL: orderURL}})
}

func contextRequest(t *testing.T, name string) *http.Request {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/context", strings.NewReader(string(asHostString(t, fixture(t, name)))))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("HX-Request", "true")
	return req
}
