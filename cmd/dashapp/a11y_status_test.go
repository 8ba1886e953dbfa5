package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// statusA11yPage opens GET /status of a server of its own, with an access
// key (the page sits behind it) and Shopify enabled, once it has accepted
// one delivery and refused another: every part of the page is on screen.
// The page has no theme of its own, so the browser's colour scheme is set.
func statusA11yPage(lang, scheme string) func(*testing.T, context.Context, string, *string, string) context.Context {
	return func(t *testing.T, browser context.Context, _ string, _ *string, _ string) context.Context {
		base, _, _ := startAppWithEnv(t, map[string]string{"DASHAPP_SHOPIFY_SECRET": liveShopifySecret}, "-key", testKey)
		waitReady(t, base)
		deliverShopify(t, base, "orders/create", "a11y-order-1", shopifyFixture(t, "order.json"))
		req, err := http.NewRequest(http.MethodPost, base+"/webhooks/shopify", strings.NewReader(`{"id":1}`))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Shopify-Topic", "orders/updated")
		req.Header.Set("X-Shopify-Hmac-Sha256", "bm90IHRoZSBzaWduYXR1cmU=")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("a bad signature got %d, want 401", resp.StatusCode)
		}

		media := emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}}
		if _, err := chromedp.Call(browser, emulation.SetEmulatedMedia, media); err != nil {
			t.Fatalf("emulate %s: %v", scheme, err)
		}
		t.Cleanup(func() {
			// Before the server stops: leave its page, and the colour scheme.
			chromedp.Run(browser, chromedp.Navigate("about:blank"))
			chromedp.Call(browser, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{})
		})
		do(t, browser, chromedp.Navigate(base+"/status?lang="+lang+"&key="+testKey))
		waitJS(t, browser, fmt.Sprintf(`matchMedia("(prefers-color-scheme: %s)").matches && document.documentElement.lang === %q && document.querySelector("#source-shopify [data-last=accepted] .badge") && document.querySelector("#source-shopify [data-last=refused] .badge")`, scheme, lang), 10*time.Second)
		return browser
	}
}
