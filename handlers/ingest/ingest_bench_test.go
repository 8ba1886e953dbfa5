package ingest

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime/debug"
	"testing"

	"github.com/gofiber/fiber/v2"

	"dashapp/db"
)

// BenchmarkIngestRequest is one 10,000-record NDJSON request through the
// handler into a real SQLite file (a 2,000-customer seed), as the server
// runs it (GOGC 50, dashapp's default): reading the body, decoding,
// validating and the transaction. Every request has new refs.
func BenchmarkIngestRequest(b *testing.B) {
	defer debug.SetGCPercent(debug.SetGCPercent(50))
	ctx := context.Background()
	store, err := db.Open(ctx, filepath.Join(b.TempDir(), "ingest.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	if _, err := db.Seed(ctx, store, db.SeedOptions{Customers: 2000, RandSeed: 1}); err != nil {
		b.Fatal(err)
	}
	app := fiber.New(fiber.Config{BodyLimit: 4 << 20})
	app.Post("/ingest", Handler(store, token, Limits{Bytes: 4 << 20}, slog.New(slog.DiscardHandler)))
	body := batchOf(DefaultMaxRecords)
	round := 0
	for b.Loop() {
		b.StopTimer()
		// New refs: every customer, order, payment and shipment is inserted.
		run := bytes.ReplaceAll(bytes.ReplaceAll(body, []byte(`"C-`), []byte(fmt.Sprintf(`"R%d-C-`, round))), []byte(`"A-`), []byte(fmt.Sprintf(`"R%d-A-`, round)))
		run = bytes.ReplaceAll(bytes.ReplaceAll(run, []byte(`"P-`), []byte(fmt.Sprintf(`"R%d-P-`, round))), []byte(`"S-`), []byte(fmt.Sprintf(`"R%d-S-`, round)))
		round++
		req := httptest.NewRequest(http.MethodPost, "/ingest", bytes.NewReader(run))
		req.Header.Set("Content-Type", NDJSON)
		req.Header.Set("Authorization", "Bearer "+token)
		b.StartTimer()
		resp, err := app.Test(req, -1)
		if err != nil {
			b.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("/ingest answered %s", resp.Status)
		}
		resp.Body.Close()
	}
	b.ReportMetric(float64(DefaultMaxRecords)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
