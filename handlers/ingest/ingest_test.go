package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"dashapp/db/shop"
)

const token = "ingest-token-0123456789abcdef"

// fakeStore stands in for the database: it records what it was given and
// answers what the test set.
type fakeStore struct {
	calls    int
	delivery shop.Delivery
	batch    shop.Batch
	result   shop.IngestResult
	err      error
}

func (f *fakeStore) Ingest(_ context.Context, d shop.Delivery, b shop.Batch) (shop.IngestResult, error) {
	f.calls++
	f.delivery, f.batch = d, b
	if f.err != nil {
		return shop.IngestResult{}, f.err
	}
	return f.result, nil
}

func newApp(store Store, token string, limits Limits) *fiber.App {
	app := fiber.New(fiber.Config{BodyLimit: 16 << 20})
	app.Post("/ingest", Handler(store, token, limits, slog.New(slog.DiscardHandler)))
	return app
}

type response struct {
	status  int
	header  http.Header
	problem Problem
	result  Result
	raw     string
}

func post(t *testing.T, app *fiber.App, body, contentType string, headers ...string) response {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/ingest", strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := response{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(raw, &r.result); err != nil {
			t.Fatalf("200 with %q: %v", raw, err)
		}
	} else if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &r.problem); err != nil {
			t.Fatalf("%d with %q: %v", resp.StatusCode, raw, err)
		}
	}
	return r
}

func bearer(t string) []string { return []string{"Authorization", "Bearer " + t} }

func TestIngestAccepts(t *testing.T) {
	for name, tt := range map[string]struct{ body, contentType string }{
		"JSON array":             {sample, "application/json"},
		"NDJSON by media type":   {ndjson(t), "application/x-ndjson"},
		"NDJSON without a media": {ndjson(t), ""},
	} {
		t.Run(name, func(t *testing.T) {
			store := &fakeStore{result: shop.IngestResult{Applied: 3, Stale: 1}}
			r := post(t, newApp(store, token, Limits{}), tt.body, tt.contentType, append(bearer(token), HeaderIdempotencyKey, "export-2026-11-01")...)
			if r.status != http.StatusOK || r.result != (Result{Applied: 3, Stale: 1}) {
				t.Fatalf("%d %s", r.status, r.raw)
			}
			if store.calls != 1 || store.batch.Len() != 4 || len(store.batch.Orders[0].Items) != 2 {
				t.Errorf("store got %d calls, batch %+v", store.calls, store.batch)
			}
			if store.delivery != (shop.Delivery{Source: shop.SourceAPI, ID: "export-2026-11-01", Topic: Topic}) {
				t.Errorf("delivery %+v", store.delivery)
			}
		})
	}
}

func TestIngestDuplicate(t *testing.T) {
	store := &fakeStore{result: shop.IngestResult{Duplicate: true}}
	r := post(t, newApp(store, token, Limits{}), sample, "application/json", append(bearer(token), HeaderIdempotencyKey, "k1")...)
	if r.status != http.StatusOK || !r.result.Duplicate || r.result.Applied != 0 {
		t.Errorf("%d %s", r.status, r.raw)
	}
}

func TestIngestAuth(t *testing.T) {
	tests := []struct {
		name    string
		headers []string
	}{
		{"no Authorization", nil},
		{"wrong token", bearer("ingest-token-0123456789abcdeX")},
		{"token prefix", bearer(token[:10])},
		{"token with a suffix", bearer(token + "0")},
		{"Basic scheme", []string{"Authorization", "Basic " + token}},
		{"token without a scheme", []string{"Authorization", token}},
		{"empty bearer", bearer("")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := &fakeStore{}
			r := post(t, newApp(store, token, Limits{}), sample, "application/json", tt.headers...)
			if r.status != http.StatusUnauthorized || r.problem.Error == "" {
				t.Errorf("%d %s, want 401", r.status, r.raw)
			}
			if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("WWW-Authenticate %q", r.header.Get("WWW-Authenticate"))
			}
			if store.calls != 0 {
				t.Error("the store was called without credentials")
			}
		})
	}
}

func TestIngestOffWithoutToken(t *testing.T) {
	store := &fakeStore{}
	r := post(t, newApp(store, "", Limits{}), sample, "application/json", bearer("")...)
	if r.status != http.StatusNotFound || store.calls != 0 {
		t.Errorf("%d %s, %d calls; want 404 and none", r.status, r.raw, store.calls)
	}
}

func TestIngestBadRecord(t *testing.T) {
	store := &fakeStore{}
	body := strings.Replace(ndjson(t), `"amount":"12.345"`, `"amount":12.345`, 1)
	r := post(t, newApp(store, token, Limits{}), body, "application/x-ndjson", bearer(token)...)
	if r.status != http.StatusBadRequest || r.problem.Index == nil || *r.problem.Index != 2 || r.problem.Field != "amount" {
		t.Fatalf("%d %s, want 400 naming record 2, field amount", r.status, r.raw)
	}
	if !strings.Contains(r.problem.Error, `record 2, field "amount"`) {
		t.Errorf("error %q", r.problem.Error)
	}
	if store.calls != 0 {
		t.Error("a request with a bad record reached the store")
	}
}

// The store's own refusal names a record by its place in the batch
// (customers first); the answer names it by its place in the request.
func TestIngestStoreRecordError(t *testing.T) {
	// Sent: order (0), customer (1), shipment (2); batch: customer, order, shipment.
	lines := strings.Split(ndjson(t), "\n")
	body := strings.Join([]string{lines[1], lines[0], lines[3]}, "\n")
	store := &fakeStore{err: &shop.RecordError{Index: 1, Field: "customer_ref", Err: shop.ErrNotFound}}
	r := post(t, newApp(store, token, Limits{}), body, "application/x-ndjson", bearer(token)...)
	if r.status != http.StatusBadRequest || r.problem.Index == nil || *r.problem.Index != 0 || r.problem.Field != "customer_ref" {
		t.Fatalf("%d %s, want 400 naming record 0 (the order), field customer_ref", r.status, r.raw)
	}
	if !strings.Contains(r.problem.Error, "not found") {
		t.Errorf("error %q does not say what was wrong", r.problem.Error)
	}
}

func TestIngestStoreFailure(t *testing.T) {
	store := &fakeStore{err: errors.New("database is locked: /var/lib/dashapp/dashapp.db")}
	r := post(t, newApp(store, token, Limits{}), sample, "application/json", bearer(token)...)
	if r.status != http.StatusInternalServerError {
		t.Fatalf("%d %s, want 500", r.status, r.raw)
	}
	if strings.Contains(r.raw, "dashapp.db") || strings.Contains(r.raw, "locked") {
		t.Errorf("the answer shows the store's error: %s", r.raw)
	}
}

func TestIngestLimits(t *testing.T) {
	store := &fakeStore{}
	app := newApp(store, token, Limits{Bytes: len(sample) - 1, Records: 3})
	r := post(t, app, sample, "application/json", bearer(token)...)
	if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(r.problem.Error, "KB") {
		t.Errorf("body one byte over: %d %s, want 413 saying the limit", r.status, r.raw)
	}
	app = newApp(store, token, Limits{Bytes: len(sample), Records: 3})
	r = post(t, app, sample, "application/json", bearer(token)...)
	if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(r.problem.Error, "more than 3 records") {
		t.Errorf("4 records, limit 3: %d %s, want 413", r.status, r.raw)
	}
	if store.calls != 0 {
		t.Error("a refused request reached the store")
	}
	app = newApp(store, token, Limits{Bytes: len(sample), Records: 4})
	if r = post(t, app, sample, "application/json", bearer(token)...); r.status != http.StatusOK {
		t.Errorf("at both limits: %d %s, want 200", r.status, r.raw)
	}
}

func TestIngestEmpty(t *testing.T) {
	store := &fakeStore{}
	for _, body := range []string{"", "[]", "   \n"} {
		r := post(t, newApp(store, token, Limits{}), body, "application/json", bearer(token)...)
		if r.status != http.StatusBadRequest || r.problem.Error == "" {
			t.Errorf("body %q: %d %s, want 400", body, r.status, r.raw)
		}
	}
	if store.calls != 0 {
		t.Error("an empty request reached the store")
	}
}
