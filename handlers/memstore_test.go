package handlers

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"dashapp/db/memstore"
	"dashapp/db/shop"
	"dashapp/db/storetest"
	"dashapp/handlers/simulator"
	"dashapp/static"
)

// The contract checks the interfaces the handlers declare: the same
// method sets, in both directions.
var (
	_ CustomerStore            = storetest.Store(nil)
	_ storetest.Store          = CustomerStore(nil)
	_ simulator.CustomerLister = storetest.Lister(nil)
	_ storetest.Lister         = simulator.CustomerLister(nil)
	_ CustomerStore            = (*memstore.Store)(nil)
	_ simulator.CustomerLister = (*memstore.Store)(nil)
)

// newMemServer serves store in development mode, with no database file.
func newMemServer(t *testing.T, store CustomerStore) *fiber.App {
	t.Helper()
	assets, err := static.Load()
	if err != nil {
		t.Fatal(err)
	}
	return NewServer(Deps{Store: store, Assets: assets, Config: Config{AllowedOrigins: []string{"https://chat.bevatel.com"}}})
}

// linkedShop has a customer whose contact id is 1 and another one the agent
// linked contact 1 to, through its shop_customer_ref attribute.
func linkedShop(t *testing.T) *memstore.Store {
	t.Helper()
	at := time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)
	s, err := memstore.New(
		[]shop.Customer{
			{ID: 1, Ref: "C-2001", Name: "Layla by contact id", ContactID: 1, CreatedAt: at},
			{ID: 2, Ref: "C-2002", Name: "Layla, linked for good", Email: "layla@example.com", CreatedAt: at},
		},
		[]shop.Order{{ID: 10, Number: "O-2002-1", CustomerID: 2, Status: shop.OrderPaid, Total: shop.Money{Minor: 14950, Currency: "SAR"}, ItemCount: 1, PlacedAt: at}},
		nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func contactMessage(contact string) []byte {
	return []byte(`{"event":"appContext","data":{"conversation":{"id":7},"contact":` + contact + `,"currentAgent":{"id":1,"name":"Agent"}}}`)
}

func TestContextLinkedByCustomerRef(t *testing.T) {
	app := newMemServer(t, linkedShop(t))
	resp := postContext(t, app, contactMessage(`{"id":1,"name":"Layla","custom_attributes":{"shop_customer_ref":"C-2002"}}`))
	if resp.status != http.StatusOK {
		t.Fatalf("status %d: %s", resp.status, resp.body)
	}
	panel := parse(t, resp.body).Find("#customer-panel")
	if got := panel.AttrOr("data-matched-by", ""); got != string(shop.KeyCustomerRef) {
		t.Errorf("matched by %q, want the link to win over the contact id", got)
	}
	if text := panel.Text(); !strings.Contains(text, "Layla, linked for good") || strings.Contains(text, "Layla by contact id") {
		t.Errorf("panel shows the wrong customer: %.300s", text)
	}
	if !strings.Contains(panel.Text(), "Matched by the linked customer ref") {
		t.Error("the panel does not say the customer was linked")
	}
	if panel.Find("table.orders tbody tr").Length() != 1 {
		t.Error("the linked customer's order is not listed")
	}
}

func TestContextWithUnknownCustomerRefSaysWhatWasSearched(t *testing.T) {
	app := newMemServer(t, linkedShop(t))
	resp := postContext(t, app, contactMessage(`{"id":99,"custom_attributes":{"shop_customer_ref":"C-9999"}}`))
	if resp.status != http.StatusOK {
		t.Fatalf("status %d: %s", resp.status, resp.body)
	}
	searched := parse(t, resp.body).Find(".searched").Text()
	if !strings.Contains(searched, "Linked customer ref") || !strings.Contains(searched, "C-9999") || !strings.Contains(searched, "99") {
		t.Errorf("the no-match state lists %q, want the ref and the contact id", searched)
	}
}

// onlyFinds is a store without the optional CustomerLister: embedding the
// interface keeps only its methods.
type onlyFinds struct{ CustomerStore }

// Without CustomerLister the simulator is not served, and nothing says so:
// the interface comment is the only warning a fork gets.
func TestSimulatorNeedsCustomerLister(t *testing.T) {
	with := simulatorGet(t, newMemServer(t, linkedShop(t)), "localhost:8080", "/simulator")
	if with.status != http.StatusOK || !strings.Contains(with.body, "Layla, linked for good") {
		t.Errorf("with a lister: GET /simulator = %d, want the page with the store's customers: %.300s", with.status, with.body)
	}
	var store CustomerStore = onlyFinds{linkedShop(t)}
	if _, ok := store.(simulator.CustomerLister); ok {
		t.Fatal("onlyFinds still lists customers")
	}
	without := simulatorGet(t, newMemServer(t, store), "localhost:8080", "/simulator")
	if without.status != http.StatusNotFound {
		t.Errorf("without a lister: GET /simulator = %d, want 404", without.status)
	}
	if _, err := store.FindCustomers(context.Background(), shop.KeyCustomerRef, "C-2002", 1); err != nil {
		t.Errorf("the wrapped store still finds customers: %v", err)
	}
}
