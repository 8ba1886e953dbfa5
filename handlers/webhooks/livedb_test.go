// This test runs the receivers against the real SQLite store: its ingest
// methods ((*db.DB).Ingest, LogDelivery, SourceStatuses).
package webhooks_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"dashapp/db"
	"dashapp/db/shop"
	"dashapp/handlers/webhooks"
	"dashapp/handlers/webhooks/shopify"
)

func TestShopifyDeliveriesIntoSQLite(t *testing.T) {
	ctx := context.Background()
	store, err := db.Open(ctx, filepath.Join(t.TempDir(), "shop.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	var _ webhooks.Ingester = store

	s := &server{app: fiber.New(fiber.Config{DisableStartupMessage: true})}
	s.app.Post("/webhooks/shopify", webhooks.Handler(shopify.Source, secret, store, slog.New(slog.DiscardHandler), time.Now))

	orders := func() []shop.Order {
		t.Helper()
		m, err := shop.Resolve(ctx, store, shop.Identity{Email: "bob.norman@mail.example.com"})
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Customers) == 0 {
			return nil
		}
		page, err := store.Orders(ctx, m.Customers[0].ID, "", 20)
		if err != nil {
			t.Fatal(err)
		}
		return page.Orders
	}

	order := fixture(t, "shopify/testdata/order.json")
	// A refused delivery writes nothing.
	if status, _ := s.post(t, "/webhooks/shopify", order, shopifyHeaders("orders/updated", "d-1", sign(order, "other"))); status != 401 {
		t.Fatalf("bad signature: %d", status)
	}
	if got := orders(); len(got) != 0 {
		t.Fatalf("a refused delivery wrote %+v", got)
	}
	if status, body := s.postShopify(t, "orders/updated", "d-1", order); status != 200 || body != "accepted" {
		t.Fatalf("signed delivery: %d %s", status, body)
	}
	got := orders()
	if len(got) != 1 || got[0].Number != "#1001" || got[0].Status != shop.OrderPartiallyRefunded || got[0].Total.Minor != 59894 {
		t.Fatalf("stored orders = %+v", got)
	}
	if status, body := s.postShopify(t, "orders/updated", "d-1", order); status != 200 || body != "duplicate" {
		t.Errorf("the same delivery again: %d %s", status, body)
	}
	// An older state of the same order, delivered late, changes nothing.
	older := []byte(`{"id": 450789469, "name": "#1001", "email": "bob.norman@mail.example.com", "currency": "USD", "total_price": "1.00",
		"financial_status": "pending", "created_at": "2008-01-10T10:00:00-05:00", "updated_at": "2008-01-10T10:00:00-05:00", "customer": {"id": 207119551, "email": "bob.norman@mail.example.com"}}`)
	if status, _ := s.postShopify(t, "orders/create", "d-0", older); status != 200 {
		t.Errorf("older delivery: %d", status)
	}
	if got := orders(); len(got) != 1 || got[0].Status != shop.OrderPartiallyRefunded || got[0].Total.Minor != 59894 {
		t.Errorf("an older delivery changed the order: %+v", got)
	}
	statuses, err := store.SourceStatuses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range statuses {
		if st.Source != shop.SourceShopify {
			continue
		}
		if st.Counts[shop.OutcomeAccepted] != 2 || st.Counts[shop.OutcomeDuplicate] != 1 || st.Counts[shop.OutcomeRefused] != 1 {
			t.Errorf("counts = %v", st.Counts)
		}
		if st.LastAccepted == nil || st.LastRefused == nil || st.LastRefused.Outcome != shop.OutcomeRefused {
			t.Errorf("status = %+v", st)
		}
		return
	}
	t.Errorf("no status for shopify in %+v", statuses)
}
