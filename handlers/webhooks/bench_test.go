package webhooks_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"dashapp/db/shop"
	"dashapp/handlers/webhooks"
	"dashapp/handlers/webhooks/shopify"
)

// BenchmarkShopifyDelivery is one signed orders/updated delivery (Shopify's
// documented order, 3 line items, compacted) through the receiver: verify,
// decode, ingest into the in-memory store, log. It measures dashapp's
// share of a delivery, without the database.
func BenchmarkShopifyDelivery(b *testing.B) {
	raw, err := os.ReadFile("shopify/testdata/order.json")
	if err != nil {
		b.Fatal(err)
	}
	var body bytes.Buffer
	if err := json.Compact(&body, raw); err != nil {
		b.Fatal(err)
	}
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Post("/webhooks/shopify", webhooks.Handler(shopify.Source, secret, &discardStore{}, slog.New(slog.DiscardHandler), time.Now))
	handler := app.Handler()
	signature := sign(body.Bytes(), secret)
	b.SetBytes(int64(body.Len()))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		var ctx fasthttp.RequestCtx
		ctx.Request.Header.SetMethod("POST")
		ctx.Request.SetRequestURI("/webhooks/shopify")
		ctx.Request.Header.Set(shopify.HeaderTopic, "orders/updated")
		ctx.Request.Header.Set(shopify.HeaderWebhookID, strconv.Itoa(i))
		ctx.Request.Header.Set(shopify.HeaderShopDomain, "jsmith.myshopify.com")
		ctx.Request.Header.Set(shopify.HeaderHMAC, signature)
		ctx.Request.SetBody(body.Bytes())
		handler(&ctx)
		if ctx.Response.StatusCode() != 200 {
			b.Fatalf("status %d", ctx.Response.StatusCode())
		}
	}
}

// discardStore accepts everything and keeps nothing, so the benchmark's
// memory stays flat.
type discardStore struct{}

func (discardStore) Ingest(_ context.Context, _ shop.Delivery, b shop.Batch) (shop.IngestResult, error) {
	return shop.IngestResult{Applied: b.Len()}, nil
}

func (discardStore) LogDelivery(context.Context, shop.DeliveryLog) error { return nil }
