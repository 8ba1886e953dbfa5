package storetest_test

// This file is the README's "Fork it" example, compiled and run with the
// other tests so that it stays true: APIStore reads the panel's data from
// a shop's own JSON API, and TestForkContract runs the contract against it,
// with a fake of that API holding the contract's fixture.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"

	"dashapp/db/memstore"
	"dashapp/db/shop"
	"dashapp/db/storetest"
)

// APIStore is a customer store over a shop's JSON API. Matching stays
// dashapp's (shop.Resolve): the store only finds customers by one key.
type APIStore struct {
	Base   string // https://shop.example.com/api
	Client *http.Client
}

// FindCustomers asks GET /customers?<key>=<value>&limit=N. Many APIs read
// an empty filter as no filter at all, so an empty value asks nothing.
func (s APIStore) FindCustomers(ctx context.Context, key shop.MatchKey, value string, limit int) ([]shop.Customer, error) {
	if value == "" {
		return nil, nil
	}
	var found struct{ Customers []shop.Customer }
	err := s.get(ctx, "/customers", url.Values{string(key): {value}, "limit": {strconv.Itoa(limit)}}, &found)
	return found.Customers, err
}

func (s APIStore) Summary(ctx context.Context, customerID int64) (shop.Summary, error) {
	var sum shop.Summary
	err := s.get(ctx, fmt.Sprintf("/customers/%d/summary", customerID), nil, &sum)
	return sum, err
}

func (s APIStore) Orders(ctx context.Context, customerID int64, cursor string, limit int) (shop.OrderPage, error) {
	var page shop.OrderPage
	err := s.get(ctx, fmt.Sprintf("/customers/%d/orders", customerID), pageQuery(cursor, limit), &page)
	return page, err
}

func (s APIStore) Payments(ctx context.Context, customerID int64, cursor string, limit int) (shop.PaymentPage, error) {
	var page shop.PaymentPage
	err := s.get(ctx, fmt.Sprintf("/customers/%d/payments", customerID), pageQuery(cursor, limit), &page)
	return page, err
}

func pageQuery(cursor string, limit int) url.Values {
	return url.Values{"after": {cursor}, "limit": {strconv.Itoa(limit)}}
}

// get decodes one answer of the API. The API's own errors become the ones
// the handlers act on: a cursor it refuses is the agent's 400, a filter it
// does not know makes the match policy skip that key.
func (s APIStore) get(ctx context.Context, path string, query url.Values, into any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.Base+path+"?"+query.Encode(), nil)
	if err != nil {
		return err
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		return fmt.Errorf("shop API: %w", err) // wraps ctx.Err() when the request was cancelled
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var problem struct{ Error string }
		_ = json.NewDecoder(resp.Body).Decode(&problem)
		switch problem.Error {
		case "bad_cursor":
			return fmt.Errorf("shop API %s: %w", path, shop.ErrBadCursor)
		case "unknown_filter":
			return fmt.Errorf("shop API %s: %w", path, shop.ErrUnsupportedKey)
		}
		return fmt.Errorf("shop API %s: status %d", path, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
		return fmt.Errorf("shop API %s: %w", path, err)
	}
	return nil
}

func TestForkContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T, f storetest.Fixture) storetest.Store {
		api := httptest.NewServer(fakeShopAPI(t, f))
		t.Cleanup(api.Close)
		return APIStore{Base: api.URL, Client: api.Client()}
	})
}

// fakeShopAPI serves the fixture the way the shop's API would. A fork
// replays its platform's recorded answers instead; this one keeps the
// fixture in the in-memory store.
func fakeShopAPI(t *testing.T, f storetest.Fixture) http.Handler {
	data, err := memstore.New(f.Customers, f.Orders, f.Payments)
	if err != nil {
		t.Fatal(err)
	}
	reply := func(w http.ResponseWriter, v any, err error) {
		switch {
		case errors.Is(err, shop.ErrBadCursor):
			w.WriteHeader(http.StatusBadRequest)
			v = map[string]string{"error": "bad_cursor"}
		case errors.Is(err, shop.ErrUnsupportedKey):
			w.WriteHeader(http.StatusBadRequest)
			v = map[string]string{"error": "unknown_filter"}
		case err != nil:
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		_ = json.NewEncoder(w).Encode(v)
	}
	id := func(r *http.Request) int64 { n, _ := strconv.ParseInt(r.PathValue("id"), 10, 64); return n }
	limit := func(r *http.Request) int { n, _ := strconv.Atoi(r.URL.Query().Get("limit")); return n }
	mux := http.NewServeMux()
	mux.HandleFunc("GET /customers", func(w http.ResponseWriter, r *http.Request) {
		var found []shop.Customer
		var err error
		for key, values := range r.URL.Query() {
			if key != "limit" {
				found, err = data.FindCustomers(r.Context(), shop.MatchKey(key), values[0], limit(r))
			}
		}
		reply(w, map[string]any{"Customers": found}, err)
	})
	mux.HandleFunc("GET /customers/{id}/summary", func(w http.ResponseWriter, r *http.Request) {
		sum, err := data.Summary(r.Context(), id(r))
		reply(w, sum, err)
	})
	mux.HandleFunc("GET /customers/{id}/orders", func(w http.ResponseWriter, r *http.Request) {
		page, err := data.Orders(r.Context(), id(r), r.URL.Query().Get("after"), limit(r))
		reply(w, page, err)
	})
	mux.HandleFunc("GET /customers/{id}/payments", func(w http.ResponseWriter, r *http.Request) {
		page, err := data.Payments(r.Context(), id(r), r.URL.Query().Get("after"), limit(r))
		reply(w, page, err)
	})
	return mux
}
