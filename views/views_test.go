package views

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
	"golang.org/x/net/html"

	"dashapp/db/shop"
)

const testNonce = "test-nonce"

var fetched = time.Date(2026, 11, 24, 14, 5, 0, 0, time.UTC)

// renderHTML renders c as the server would, with a CSP nonce.
func renderHTML(t *testing.T, c templ.Component) string {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(templ.WithNonce(context.Background(), testNonce), &buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	return buf.String()
}

// render parses a component and checks the rules that hold for all of them.
func render(t *testing.T, c templ.Component) *goquery.Document {
	t.Helper()
	return parse(t, renderHTML(t, c))
}

// renderRows parses table rows in a table, where the HTML parser keeps them.
func renderRows(t *testing.T, c templ.Component) *goquery.Document {
	t.Helper()
	return render(t, tableBody(c))
}

// tableBody puts rows in a table.
func tableBody(rows templ.Component) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		if _, err := io.WriteString(w, "<table><tbody>"); err != nil {
			return err
		}
		if err := rows.Render(ctx, w); err != nil {
			return err
		}
		_, err := io.WriteString(w, "</tbody></table>")
		return err
	})
}

func parse(t *testing.T, s string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(s))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	assertStrictCSP(t, doc.Nodes[0])
	return doc
}

// assertStrictCSP walks every element, including <template> contents, and
// fails on what a strict CSP would block or what would let customer text
// run: style or on* attributes, inline scripts, javascript: URLs.
func assertStrictCSP(t *testing.T, n *html.Node) {
	t.Helper()
	if n.Type == html.ElementNode {
		checkElement(t, n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		assertStrictCSP(t, c)
	}
}

func checkElement(t *testing.T, n *html.Node) {
	t.Helper()
	attrs := map[string]string{}
	for _, a := range n.Attr {
		name := strings.ToLower(a.Key)
		attrs[name] = a.Val
		if name == "style" || strings.HasPrefix(name, "on") || strings.HasPrefix(name, "hx-on") {
			t.Errorf("<%s> has a %s attribute: CSP forbids inline styles and handlers", n.Data, a.Key)
		}
		if url := strings.ToLower(strings.TrimSpace(a.Val)); (name == "href" || name == "src" || name == "action" || name == "hx-get") &&
			(strings.HasPrefix(url, "javascript:") || strings.HasPrefix(url, "data:")) {
			t.Errorf("<%s %s=%q> would run or embed customer text", n.Data, a.Key, a.Val)
		}
	}
	switch n.Data {
	case "style":
		t.Errorf("<style> element: CSP allows only the stylesheet")
	case "script":
		if attrs["type"] == "application/json" {
			return // a data block, never executed
		}
		if attrs["src"] == "" {
			t.Errorf("inline <script>: CSP allows only nonce'd external scripts")
		}
		if attrs["nonce"] != testNonce {
			t.Errorf("<script src=%q> nonce = %q, want %q", attrs["src"], attrs["nonce"], testNonce)
		}
	}
}

func orderRows(n int) []OrderRow {
	statuses := shop.OrderStatuses
	rows := make([]OrderRow, n)
	for i := range rows {
		rows[i] = OrderRow{
			Number:   fmt.Sprintf("SO-%d", 1000-i),
			PlacedAt: fetched.Add(-time.Duration(i) * 24 * time.Hour),
			Status:   statuses[i%len(statuses)],
			Items:    i + 1,
			Total:    shop.Money{Minor: int64(10000 + i), Currency: "SAR"},
		}
	}
	return rows
}

func singleCustomerPanel() Panel {
	last := orderRows(1)[0]
	return Panel{
		Lang: "en",
		Contact: ContactCard{
			ContactID: 42, Name: "James Carter", Email: "james@example.com", Phone: "+966500000001",
			Company: "Carter Trading", ThumbnailURL: "https://cdn.example.com/jc.png",
			Social:     []Link{{Label: "twitter", URL: "https://twitter.com/jc"}},
			Attributes: []Attribute{{Key: "plan_tier", Value: "gold"}},
		},
		Searched:  []SearchedKey{{Key: "email", Value: "james@example.com"}},
		MatchedBy: "email",
		Customer:  &CustomerCard{ID: 7, Ref: "C-1001", Name: "James Carter", Email: "james@example.com", Phone: "+966500000001", Since: fetched.AddDate(-2, 0, 0)},
		Summary: Summary{
			LifetimeSpend:  []shop.Money{{Minor: 1234567, Currency: "SAR"}, {Minor: 2500, Currency: "USD"}},
			OrderCount:     12,
			LastOrder:      &last,
			RefundCount:    1,
			Refunded:       []shop.Money{{Minor: 5000, Currency: "SAR"}},
			FailedPayments: 2,
		},
		Orders:      OrderList{Rows: orderRows(3), MoreURL: "/customers/7/orders?after=abc&lang=en"},
		PaymentsURL: "/customers/7/payments?lang=en&tz=UTC",
		FetchedAt:   fetched,
	}
}

// paymentsPage is the first page of singleCustomerPanel's payments, which
// their section loads when opened.
func paymentsPage() PaymentList {
	return PaymentList{Rows: []PaymentRow{
		{Ref: "P-1", CreatedAt: fetched, Kind: shop.KindCharge, Method: "card", CardBrand: "visa", CardLast4: "4242", Status: shop.PaymentSucceeded, Amount: shop.Money{Minor: 14950, Currency: "SAR"}, OrderNumber: "SO-1000"},
		{Ref: "P-2", CreatedAt: fetched, Kind: shop.KindRefund, Method: "bank_transfer", Status: shop.PaymentFailed, Amount: shop.Money{Minor: 5000, Currency: "SAR"}},
	}}
}

func TestPanelSingleCustomer(t *testing.T) {
	p := singleCustomerPanel()
	doc := render(t, PanelView(p))

	root := doc.Find("section.panel#customer-panel")
	if root.Length() != 1 {
		t.Fatalf("want one section.panel#customer-panel, got %d", root.Length())
	}
	if got := root.AttrOr("data-matched-by", ""); got != "email" {
		t.Errorf("data-matched-by = %q", got)
	}
	if got := root.AttrOr("data-fetched-at", ""); got != strconv.FormatInt(fetched.Unix(), 10) {
		t.Errorf("data-fetched-at = %q", got)
	}
	if got := strings.TrimSpace(doc.Find("#contact-name").Text()); got != "James Carter" {
		t.Errorf("contact name = %q", got)
	}
	if img := doc.Find(".contact img"); img.AttrOr("src", "") != p.Contact.ThumbnailURL || img.AttrOr("alt", "x") != "" || img.AttrOr("referrerpolicy", "") != "no-referrer" {
		t.Errorf("thumbnail = %v", img.Nodes)
	}
	link := doc.Find(".links a")
	if link.AttrOr("href", "") != "https://twitter.com/jc" || link.AttrOr("rel", "") != "noopener noreferrer" || link.AttrOr("target", "") != "_blank" {
		t.Errorf("social link attrs = %v", link.Nodes)
	}
	if got := doc.Find(".attributes dt").Text(); got != "plan tier" {
		t.Errorf("attribute key = %q", got)
	}
	if got := doc.Find(".match-note").Text(); got != "Matched by email" {
		t.Errorf("match note = %q", got)
	}
	if got := strings.TrimSpace(doc.Find("#customer-name").Text()); got != "James Carter" {
		t.Errorf("customer name = %q", got)
	}
	if got := doc.Find(".customer .ref").Text(); got != "C-1001" {
		t.Errorf("customer ref = %q", got)
	}
	if doc.Find(".candidates").Length() != 0 {
		t.Error("a single match lists candidates")
	}

	// Summary: one Money per currency, and failed payments stand out.
	spend := doc.Find(".stat").First().Find("data.money")
	if spend.Length() != 2 || spend.First().Text() != "SAR 12,345.67" || spend.Last().Text() != "USD 25.00" {
		t.Errorf("lifetime spend = %q", spend.Text())
	}
	if alert := doc.Find(".stat.stat-alert"); alert.Length() != 1 || alert.Find("dd").Text() != "2" {
		t.Errorf("failed payments highlight = %d elements", alert.Length())
	}

	// Orders: a semantic table, newest first, each row with badge and money.
	orders := doc.Find("table.orders")
	if orders.Find("caption").Length() != 1 || orders.Find(`thead th[scope="col"]`).Length() != 5 {
		t.Errorf("orders table lacks a caption or column headers")
	}
	rows := orders.Find("tbody tr:not(.more-row)")
	if rows.Length() != len(p.Orders.Rows) {
		t.Fatalf("order rows = %d, want %d", rows.Length(), len(p.Orders.Rows))
	}
	rows.Each(func(i int, row *goquery.Selection) {
		want := p.Orders.Rows[i]
		if got := strings.TrimSpace(row.Find(`th[scope="row"]`).Text()); got != want.Number {
			t.Errorf("row %d number = %q, want %q", i, got, want.Number)
		}
		if got := row.Find(".badge").AttrOr("data-status", ""); got != want.Status {
			t.Errorf("row %d badge status = %q, want %q", i, got, want.Status)
		}
		if got := row.Find("data.money").Text(); got != formatMoney("en", want.Total) {
			t.Errorf("row %d total = %q", i, got)
		}
		if got := row.Find("time").AttrOr("datetime", ""); got != want.PlacedAt.Format(time.RFC3339) {
			t.Errorf("row %d datetime = %q", i, got)
		}
		row.Find("td, th").Each(func(_ int, c *goquery.Selection) {
			if c.AttrOr("data-label", "") == "" {
				t.Errorf("row %d has a cell without data-label", i)
			}
		})
	})

	// Payments: a closed section whose first page loads, in place of its
	// pending row, when the agent opens it.
	section := doc.Find("details#payments-section")
	want := map[string]string{"hx-get": p.PaymentsURL, "hx-trigger": "toggle once", "hx-target": "#payments-more", "hx-swap": "outerHTML"}
	for attr, value := range want {
		if got := section.AttrOr(attr, ""); got != value {
			t.Errorf("payments section %s = %q, want %q", attr, got, value)
		}
	}
	if _, open := section.Attr("open"); open {
		t.Error("the payments section starts open")
	}
	pending := doc.Find("table.payments tbody tr")
	if pending.Length() != 1 || pending.AttrOr("id", "") != "payments-more" || pending.Find("td").AttrOr("colspan", "") != "6" ||
		!strings.Contains(pending.Text(), "Loading payments") {
		t.Errorf("payments table before it loads = %q", pending.Text())
	}

	// The first page: refunds read as negative, cards as brand and last four.
	payments := renderRows(t, PaymentRows("en", paymentsPage())).Find("tr")
	if payments.Length() != 2 {
		t.Fatalf("payment rows = %d", payments.Length())
	}
	charge, refund := payments.Eq(0), payments.Eq(1)
	if got := charge.Find(`td[data-label="Method"]`).Text(); got != "Visa •••• 4242" {
		t.Errorf("card method = %q", got)
	}
	if got := refund.Find("data.money").Text(); got != "-SAR 50.00" {
		t.Errorf("refund amount = %q", got)
	}
	if refund.Find("data.money.negative").Length() != 1 {
		t.Error("refund amount is not marked negative")
	}
	if got := refund.Find(`td[data-label="Order"]`).Text(); got != "—" {
		t.Errorf("unlinked payment order = %q", got)
	}
	if got := refund.Find(".badge").First().Text(); got != "Refund" {
		t.Errorf("kind badge = %q", got)
	}
}

func TestPanelAmbiguous(t *testing.T) {
	p := Panel{
		Lang:      "en",
		Contact:   ContactCard{Phone: "+966500000001"},
		Searched:  []SearchedKey{{Key: "phone", Value: "+966500000001"}},
		MatchedBy: "phone",
		Candidates: []CustomerCard{
			{Ref: "C-1", Name: "Sara Ali", Email: "sara@example.com", Phone: "+966500000001"},
			{Ref: "C-2", Name: "Omar Ali", Phone: "+966500000001"},
		},
		FetchedAt: fetched,
	}
	doc := render(t, PanelView(p))
	items := doc.Find(".candidates li")
	if items.Length() != 2 {
		t.Fatalf("candidates = %d, want 2", items.Length())
	}
	for i, c := range p.Candidates {
		text := items.Eq(i).Text()
		for _, want := range []string{c.Ref, c.Name, c.Phone} {
			if !strings.Contains(text, want) {
				t.Errorf("candidate %d lacks %q: %q", i, want, text)
			}
		}
	}
	if !strings.Contains(doc.Text(), "2 customers share this phone; none was picked.") {
		t.Errorf("no explanation of the ambiguity in %q", doc.Find(".notice").Text())
	}
	if n := doc.Find("table, .summary, #customer-name").Length(); n != 0 {
		t.Errorf("ambiguous panel shows a customer's history (%d elements)", n)
	}
}

func TestPanelNoMatch(t *testing.T) {
	tests := []struct {
		name     string
		searched []SearchedKey
		want     []string
	}{
		{"searched keys listed", []SearchedKey{{Key: "contact_id", Value: "42"}, {Key: "email", Value: "x@example.com"}, {Key: "phone", Value: "+966500000009"}},
			[]string{"Contact ID", "42", "Email", "x@example.com", "Phone", "+966500000009"}},
		{"nothing to search", nil, []string{"The contact has no contact ID, identifier, email or phone to search for."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := render(t, PanelView(Panel{Lang: "en", Searched: tt.searched, FetchedAt: fetched}))
			empty := doc.Find(".empty")
			if got := empty.Find(".empty-title").Text(); got != "No customer found" {
				t.Errorf("title = %q", got)
			}
			if got := empty.Find(".searched .field").Length(); got != len(tt.searched) {
				t.Errorf("searched fields = %d, want %d", got, len(tt.searched))
			}
			for _, want := range tt.want {
				if !strings.Contains(empty.Text(), want) {
					t.Errorf("empty state lacks %q: %q", want, empty.Text())
				}
			}
			if doc.Find("table, .candidates").Length() != 0 {
				t.Error("no-match panel shows orders or candidates")
			}
			if got := doc.Find("#contact-name").Text(); !strings.Contains(got, "Unknown contact") {
				t.Errorf("nameless contact = %q", got)
			}
		})
	}
}

func TestPanelEmptyHistory(t *testing.T) {
	p := singleCustomerPanel()
	p.Orders, p.Summary = OrderList{}, Summary{}
	doc := render(t, PanelView(p))
	if doc.Find("table.orders").Length() != 0 {
		t.Error("empty history still renders the orders table")
	}
	titles := doc.Find(".block .empty-title")
	if titles.Length() != 1 || titles.Text() != "No orders yet" {
		t.Errorf("empty states = %q", titles.Text())
	}
	// Payments load when opened: an empty first page is one row saying so.
	first := renderRows(t, PaymentRows("en", PaymentList{}))
	if rows := first.Find("tr"); rows.Length() != 1 || rows.Find("td").AttrOr("colspan", "") != "6" || rows.Find(".empty-title").Text() != "No payments yet" {
		t.Errorf("empty first page of payments = %q", rows.Text())
	}
	if doc.Find(".stat-alert").Length() != 0 {
		t.Error("zero failed payments highlighted")
	}
}

func TestLoadMore(t *testing.T) {
	for _, moreURL := range []string{"", "/customers/7/orders?after=x&lang=ar"} {
		t.Run("orders "+moreURL, func(t *testing.T) {
			doc := renderRows(t, OrderRows("en", OrderList{Rows: orderRows(2), MoreURL: moreURL}))
			assertMoreRow(t, doc, "orders-more", moreURL, 5, "Load more orders")
			if got := doc.Find("tr:not(.more-row)").Length(); got != 2 {
				t.Errorf("rows = %d, want 2", got)
			}
		})
		t.Run("payments "+moreURL, func(t *testing.T) {
			rows := []PaymentRow{{Kind: shop.KindCharge, Status: shop.PaymentSucceeded, Method: "mada", Amount: shop.Money{Minor: 1, Currency: "SAR"}}}
			doc := renderRows(t, PaymentRows("ar", PaymentList{Rows: rows, MoreURL: moreURL}))
			assertMoreRow(t, doc, "payments-more", moreURL, 6, "تحميل المزيد من المدفوعات")
		})
	}
}

func assertMoreRow(t *testing.T, doc *goquery.Document, id, moreURL string, columns int, label string) {
	t.Helper()
	more := doc.Find("tr#" + id)
	if moreURL == "" {
		if more.Length() != 0 || doc.Find("button").Length() != 0 {
			t.Errorf("last page has a load-more row")
		}
		return
	}
	if more.Length() != 1 || doc.Find("tr").Last().AttrOr("id", "") != id {
		t.Fatalf("want one final tr#%s", id)
	}
	if got := more.Find("td").AttrOr("colspan", ""); got != strconv.Itoa(columns) {
		t.Errorf("colspan = %q, want %d", got, columns)
	}
	button := more.Find("button")
	want := map[string]string{"type": "button", "hx-get": moreURL, "hx-target": "#" + id, "hx-swap": "outerHTML"}
	for attr, value := range want {
		if got := button.AttrOr(attr, ""); got != value {
			t.Errorf("button %s = %q, want %q", attr, got, value)
		}
	}
	if got := strings.TrimSpace(button.Text()); got != label {
		t.Errorf("button label = %q, want %q", got, label)
	}
}

func TestHostileStrings(t *testing.T) {
	hostile := []string{`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, `javascript:alert(1)`}
	for _, h := range hostile {
		t.Run(h, func(t *testing.T) {
			p := singleCustomerPanel()
			p.Contact = ContactCard{
				Name: h, Email: h, Phone: h, Identifier: h, Company: h, ThumbnailURL: h,
				Social:     []Link{{Label: h, URL: h}, {Label: "x", URL: "JaVaScRiPt:alert(1)"}, {Label: "y", URL: " javascript:alert(1)"}},
				Attributes: []Attribute{{Key: h, Value: h}},
			}
			p.MatchedBy = h
			p.Customer.Name, p.Customer.Ref, p.Customer.Email = h, h, h
			p.Orders.Rows[0].Number, p.Orders.Rows[0].Status = h, h
			payments := paymentsPage()
			payments.Rows[0].Method, payments.Rows[0].CardBrand, payments.Rows[0].OrderNumber = h, h, h
			payments.Rows[0].Amount.Currency = h
			p.Searched = []SearchedKey{{Key: h, Value: h}}
			p.Candidates = []CustomerCard{{Name: h, Ref: h}}

			ambiguous := p
			ambiguous.Customer = nil
			components := []templ.Component{
				PanelView(p), PanelView(ambiguous), PanelView(Panel{Searched: p.Searched}), tableBody(PaymentRows("en", payments)),
				ProblemFragment(Problem{Title: h, Detail: h, Retry: true}),
				ErrorPage(Assets{CSS: "/static/app.css"}, Problem{Title: h, Detail: h, Retry: true}),
			}
			for i, c := range components {
				doc := render(t, c) // assertStrictCSP rejects handlers and javascript: URLs
				if n := doc.Find("body script, body img:not(.avatar), body style").Length(); n != 0 {
					t.Errorf("component %d: customer text produced %d elements", i, n)
				}
				if doc.Find("img.avatar").Length() != 0 {
					t.Errorf("component %d: hostile thumbnail rendered", i)
				}
				if !strings.Contains(doc.Text(), h) {
					t.Errorf("component %d: hostile text not shown as text", i)
				}
			}
			doc := render(t, PanelView(p))
			if n := doc.Find(".links a").Length(); n != 0 {
				t.Errorf("%d non-http social links rendered as links", n)
			}
		})
	}
}

func TestArabic(t *testing.T) {
	p := singleCustomerPanel()
	p.Lang = "ar"
	panel := render(t, PanelView(p))
	root := panel.Find("#customer-panel")
	if root.AttrOr("dir", "") != "rtl" || root.AttrOr("lang", "") != "ar" {
		t.Errorf("panel dir/lang = %q/%q", root.AttrOr("dir", ""), root.AttrOr("lang", ""))
	}
	want := map[string]string{
		"#orders-title":       "الطلبات",
		"#payments-title":     "المدفوعات",
		".match-note":         "تمت المطابقة بالبريد الإلكتروني",
		"#orders-more button": "تحميل المزيد من الطلبات",
		"table.orders tbody tr:first-child .badge":     T("ar", "badge."+p.Orders.Rows[0].Status),
		"table.orders tbody tr:first-child data.money": "100.00 \u2068ر.س.\u200f\u2069",
	}
	for sel, text := range want {
		if got := strings.TrimSpace(panel.Find(sel).First().Text()); got != text {
			t.Errorf("%s = %q, want %q", sel, got, text)
		}
	}
	if got := panel.Find(`td[data-label="التاريخ"]`).Length(); got == 0 {
		t.Error("Arabic cells lack Arabic data-label")
	}

	page := render(t, AppPageView(AppPage{Lang: "ar", Theme: "dark"}))
	htmlEl := page.Find("html")
	if htmlEl.AttrOr("dir", "") != "rtl" || htmlEl.AttrOr("lang", "") != "ar" || htmlEl.AttrOr("data-theme", "") != "dark" {
		t.Errorf("html attrs = %v", htmlEl.Nodes[0].Attr)
	}
	if got := page.Find("h1").Text(); got != "العميل" {
		t.Errorf("h1 = %q", got)
	}
	noMatch := render(t, PanelView(Panel{Lang: "ar-SA"}))
	if got := noMatch.Find(".empty-title").Text(); got != "لم يتم العثور على عميل" {
		t.Errorf("no match title = %q", got)
	}
}

func TestAppPage(t *testing.T) {
	bridge := BridgeConfig{
		FetchInfo:      `bevatel</script><script>alert(1)</script>`,
		AllowedOrigins: []string{"https://app.bevatel.com"},
		ContextURL:     "/context",
		Lang:           "en",
		Token:          "tok&en",
	}
	tests := []struct {
		name string
		page AppPage
	}{
		{"production", AppPage{Lang: "en", Theme: "light", Bridge: bridge}},
		{"development", AppPage{Lang: "en", Dev: true, SimulatorURL: "/simulator", Bridge: BridgeConfig{}}},
		{"unknown theme", AppPage{Lang: "en", Theme: "neon"}},
		{"explorer", AppPage{Lang: "en", Bridge: BridgeConfig{ContextURL: "/context", ExplorerURL: "/explorer", Lang: "en"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.page.Assets = Assets{CSS: "/static/css/app.1.css", HTMX: "/static/vendor/htmx.2.min.js", Bridge: "/static/js/bridge.3.js"}
			doc := render(t, AppPageView(tt.page))

			if got := doc.Find("html").AttrOr("data-theme", ""); got != pageTheme(tt.page.Theme) || (got != "light" && got != "dark") {
				t.Errorf("data-theme = %q", got)
			}
			if doc.Find(`link[rel="stylesheet"][href="/static/css/app.1.css"]`).Length() != 1 {
				t.Error("no stylesheet link")
			}
			if doc.Find(`meta[name="color-scheme"][content="light dark"]`).Length() != 1 {
				t.Error("no color-scheme meta")
			}
			var htmxConfig map[string]any
			if err := json.Unmarshal([]byte(doc.Find(`meta[name="htmx-config"]`).AttrOr("content", "")), &htmxConfig); err != nil || htmxConfig["includeIndicatorCSS"] != false {
				t.Errorf("htmx-config = %v (%v)", htmxConfig, err)
			}
			for _, src := range []string{tt.page.Assets.HTMX, tt.page.Assets.Bridge} {
				s := doc.Find(`script[src="` + src + `"]`)
				if s.Length() != 1 || s.AttrOr("nonce", "") != testNonce || s.AttrOr("defer", "x") != "" {
					t.Errorf("script %s: %v", src, s.Nodes)
				}
			}
			if n := doc.Find("script").Length(); n != 3 {
				t.Errorf("%d script elements, want htmx, bridge and the config", n)
			}
			var got BridgeConfig
			config := doc.Find(`script#dashapp-config[type="application/json"]`)
			if err := json.Unmarshal([]byte(config.Text()), &got); err != nil {
				t.Fatalf("config block: %v", err)
			}
			want := bridgeConfig(tt.page)
			if fmt.Sprint(got) != fmt.Sprint(want) || got.AllowedOrigins == nil {
				t.Errorf("config = %+v, want %+v", got, want)
			}

			if b := doc.Find("button#refresh"); b.AttrOr("type", "") != "button" {
				t.Error("no #refresh button")
			}
			if doc.Find(`#fetched-ago[aria-live="off"]`).Length() != 1 {
				t.Error("no #fetched-ago")
			}
			main := doc.Find("main #panel")
			if main.AttrOr("aria-live", "") != "polite" || main.AttrOr("aria-busy", "") != "true" || main.Find(".skeleton").Length() != 1 {
				t.Error("main #panel is not a busy live region holding the skeleton")
			}
			if tabs := doc.Find(`[role="tab"]`); tabs.Length() > 0 {
				tabs.Each(func(_ int, tab *goquery.Selection) {
					id, _ := tab.Attr("id")
					panel := doc.Find("#" + tab.AttrOr("aria-controls", "none"))
					if panel.AttrOr("role", "") != "tabpanel" || panel.AttrOr("aria-labelledby", "") != id {
						t.Errorf("tab %s does not control a tabpanel labelled by it", id)
					}
				})
			} else if doc.Find(`[role="tabpanel"]`).Length() != 0 {
				t.Error("a tabpanel without tabs")
			}
			waiting := doc.Find("template#tpl-waiting")
			if waiting.Find("button.js-refresh").Length() != 1 {
				t.Error("waiting state has no refresh button")
			}
			if got := waiting.Find("a").AttrOr("href", ""); got != tt.page.SimulatorURL {
				t.Errorf("simulator link = %q, want %q", got, tt.page.SimulatorURL)
			}
			offline := doc.Find("template#tpl-offline")
			if offline.Find("button.js-refresh").Length() != 1 || !strings.Contains(offline.Text(), "Could not reach dashapp") {
				t.Error("offline state incomplete")
			}
			banner := doc.Find(`.dev-banner[role="status"]`)
			if (banner.Length() == 1) != tt.page.Dev || (tt.page.Dev && !strings.Contains(banner.Text(), "DASHAPP_KEY")) {
				t.Errorf("dev banner shown = %v, want %v", banner.Length() == 1, tt.page.Dev)
			}
		})
	}
}

func TestProblem(t *testing.T) {
	for _, retry := range []bool{false, true} {
		p := Problem{Lang: "en", Status: 502, Title: "Shop unavailable", Detail: "The store did not answer.", Retry: retry}
		t.Run(fmt.Sprint("fragment retry=", retry), func(t *testing.T) {
			doc := render(t, ProblemFragment(p))
			alert := doc.Find(`[role="alert"]`)
			if alert.Find(".problem-title").Text() != p.Title || !strings.Contains(alert.Text(), p.Detail) || !strings.Contains(alert.Text(), "Error 502") {
				t.Errorf("problem text = %q", alert.Text())
			}
			if got := alert.Find("button.js-refresh").Length(); got != map[bool]int{false: 0, true: 1}[retry] {
				t.Errorf("retry buttons = %d", got)
			}
		})
		t.Run(fmt.Sprint("page retry=", retry), func(t *testing.T) {
			for _, css := range []string{"", "/static/css/app.1.css"} {
				doc := render(t, ErrorPage(Assets{CSS: css}, p))
				if doc.Find("script").Length() != 0 {
					t.Error("error page needs a script")
				}
				if got := doc.Find(`link[rel="stylesheet"]`).Length(); got != map[bool]int{false: 0, true: 1}[css != ""] {
					t.Errorf("stylesheet links = %d with CSS %q", got, css)
				}
				if got := doc.Find(`[role="alert"] .problem-title`).Text(); got != p.Title {
					t.Errorf("title = %q", got)
				}
				if got := doc.Find(`[role="alert"] a.btn`).Length(); got != map[bool]int{false: 0, true: 1}[retry] {
					t.Errorf("reload links = %d", got)
				}
			}
		})
	}
	doc := render(t, ErrorPage(Assets{}, Problem{Lang: "ar"}))
	if doc.Find("html").AttrOr("dir", "") != "rtl" || doc.Find(".problem-title").Text() != "حدث خطأ ما" {
		t.Error("untitled Arabic problem lacks its default title or direction")
	}
}

// Every status and kind the shop knows has its own badge text in both
// languages and a tone other than the fallback.
func TestBadge(t *testing.T) {
	values := append(append([]string{}, shop.OrderStatuses...), shop.PaymentSucceeded, shop.PaymentFailed, shop.PaymentPending, shop.KindRefund)
	for _, v := range values {
		en := render(t, Badge("en", v)).Find(".badge")
		ar := render(t, Badge("ar", v)).Find(".badge")
		if en.Text() == "" || en.Text() == v || ar.Text() == "" || ar.Text() == en.Text() {
			t.Errorf("%s: badge text en %q, ar %q", v, en.Text(), ar.Text())
		}
		if en.HasClass("tone-" + toneNeutral) {
			t.Errorf("%s: badge has the fallback tone", v)
		}
	}
	unknown := render(t, Badge("en", "awaiting_pickup")).Find(".badge")
	if unknown.Text() != "awaiting pickup" || !unknown.HasClass("tone-"+toneNeutral) {
		t.Errorf("unknown status badge = %q %v", unknown.Text(), unknown.AttrOr("class", ""))
	}
}

// Keys built from data: every match key has its sentences and label.
func TestMatchKeysTranslated(t *testing.T) {
	for _, key := range shop.MatchOrder {
		for _, prefix := range []string{"matched.", "ambiguous.", "field."} {
			if _, ok := catalog[prefix+string(key)]; !ok {
				t.Errorf("catalog lacks %s%s", prefix, key)
			}
		}
	}
}

func TestSmallComponents(t *testing.T) {
	at := time.Date(2026, 11, 24, 14, 5, 0, 0, time.FixedZone("AST", 3*3600))
	dt := render(t, DateTime("en", at)).Find("time")
	if dt.AttrOr("datetime", "") != "2026-11-24T11:05:00Z" || dt.Text() != "24 Nov 2026, 11:05" {
		t.Errorf("DateTime = %q %q", dt.AttrOr("datetime", ""), dt.Text())
	}
	if doc := render(t, DateTime("en", time.Time{})); doc.Find("time").Length() != 0 || !strings.Contains(doc.Text(), "—") {
		t.Error("zero time is not shown as missing")
	}
	m := render(t, Money("en", shop.Money{Minor: -12345, Currency: "KWD"})).Find("data")
	if m.AttrOr("value", "") != "-12.345" || m.Text() != "-KWD 12.345" || !m.HasClass("negative") {
		t.Errorf("Money = %q %q", m.AttrOr("value", ""), m.Text())
	}
	sk := render(t, Skeleton("ar")).Find(`.skeleton[role="status"]`)
	if sk.Length() != 1 || sk.Find(".visually-hidden").Text() != T("ar", "app.loading") || sk.Find(`[aria-hidden="true"] .sk`).Length() == 0 {
		t.Error("skeleton lacks its label or bars")
	}
}
