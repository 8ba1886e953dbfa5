package status

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gofiber/fiber/v2"

	"dashapp/db/shop"
)

type fakeStatuses struct {
	statuses []shop.SourceStatus
	err      error
}

func (f fakeStatuses) SourceStatuses(context.Context) ([]shop.SourceStatus, error) {
	return f.statuses, f.err
}

var sources = []Source{
	{Name: shop.SourceShopify, EnableWith: "DASHAPP_SHOPIFY_SECRET", Enabled: true},
	{Name: shop.SourceWooCommerce, EnableWith: "DASHAPP_WOOCOMMERCE_SECRET"},
}

func langQuery(c *fiber.Ctx) string { return c.Query("lang", "en") }

func get(t *testing.T, store SourceStatuses, url string) (int, *goquery.Document) {
	t.Helper()
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/status", Page(store, sources, "/static/app.css", langQuery))
	resp, err := app.Test(httptest.NewRequest("GET", url, nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode == 200 && resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q", resp.Header.Get("Cache-Control"))
	}
	return resp.StatusCode, doc
}

func TestStatusPageShowsEachSource(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)
	store := fakeStatuses{statuses: []shop.SourceStatus{
		{Source: shop.SourceShopify, Counts: map[string]int{shop.OutcomeAccepted: 12, shop.OutcomeRefused: 2, shop.OutcomeDuplicate: 1},
			LastAccepted: &shop.DeliveryLog{Source: "shopify", DeliveryID: "d-12", Topic: "orders/updated", Outcome: shop.OutcomeAccepted, Records: 1, At: at},
			LastRefused: &shop.DeliveryLog{Source: "shopify", Topic: "", Outcome: shop.OutcomeRefused,
				Reason: `<script>alert(1)</script> X-Shopify-Hmac-Sha256 does not match the body`, At: at.Add(-time.Hour)}},
		{Source: shop.SourceAPI, Counts: map[string]int{shop.OutcomeAccepted: 3}},
	}}
	status, doc := get(t, store, "/status")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	cards := doc.Find("section.card[data-source]")
	var names []string
	cards.Each(func(_ int, s *goquery.Selection) { names = append(names, s.AttrOr("data-source", "")) })
	if strings.Join(names, ",") != "shopify,woocommerce,api" {
		t.Errorf("sources shown: %v, want the configured ones in order, then the others", names)
	}
	shopify := doc.Find("#source-shopify")
	if got := shopify.Find(`[data-outcome="accepted"]`).Text(); got != "12" {
		t.Errorf("accepted count %q", got)
	}
	if got := shopify.Find(`[data-outcome="failed"]`).Text(); got != "0" {
		t.Errorf("failed count %q, want a zero shown", got)
	}
	accepted := shopify.Find(`tr[data-last="accepted"]`)
	if !strings.Contains(accepted.Text(), "orders/updated") || !strings.Contains(accepted.Text(), "d-12") || accepted.Find("time").AttrOr("datetime", "") != "2026-12-01T09:30:00Z" {
		t.Errorf("last accepted row: %q", accepted.Text())
	}
	refused := shopify.Find(`tr[data-last="refused"]`)
	if !strings.Contains(refused.Text(), "does not match the body") || refused.Find(`[data-status="refused"]`).Length() != 1 {
		t.Errorf("last refused row: %q", refused.Text())
	}
	if doc.Find("script").Length() != 0 {
		t.Error("a reason's markup became a script element")
	}
	if shopify.Find(`[data-enabled="false"]`).Length() != 0 {
		t.Error("an enabled source says it is off")
	}
	woo := doc.Find("#source-woocommerce")
	if off := woo.Find(`[data-enabled="false"]`).Text(); !strings.Contains(off, "DASHAPP_WOOCOMMERCE_SECRET") {
		t.Errorf("an off source does not say how to enable it: %q", off)
	}
	if got := woo.Find(`tr[data-last="accepted"]`).Text(); !strings.Contains(got, "None yet") {
		t.Errorf("a source with no deliveries: %q", got)
	}
	if doc.Find("#audit").Length() != 1 {
		t.Error("no audit section")
	}
}

func TestStatusPageInArabic(t *testing.T) {
	status, doc := get(t, fakeStatuses{}, "/status?lang=ar")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	if dir := doc.Find("html").AttrOr("dir", ""); dir != "rtl" {
		t.Errorf("dir = %q", dir)
	}
	if h := doc.Find("h1").Text(); h != "عمليات تسليم بيانات المتجر" {
		t.Errorf("title %q", h)
	}
	if got := doc.Find("#source-woocommerce h2").Text(); got != "WooCommerce" {
		t.Errorf("source name %q", got)
	}
}

func TestStatusPageStoreError(t *testing.T) {
	status, _ := get(t, fakeStatuses{err: errors.New("database is locked")}, "/status")
	if status != 500 {
		t.Errorf("a failing store: %d, want 500", status)
	}
}
