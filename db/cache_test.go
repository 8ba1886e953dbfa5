package db

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"dashapp/db/shop"
)

// cacheSize is the PRAGMA cache_size of the pool's next connection, in
// SQLite's units (negative: KiB).
func cacheSize(t *testing.T, pool *sql.DB) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(`PRAGMA cache_size`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Every connection of this build's SQLite shares one page cache whose size
// is the sum of the connections' cache_size (SQLITE_ENABLE_MEMORY_MANAGEMENT:
// pcache1 has one global group), so a large writer cache lets the readers'
// pages pile up to it. While serving, the writer's cache stays small; an
// import or seed raises it for its own transaction only.
func TestWriterCacheIsSmallOutsideBulkWrites(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shop.db")
	d, err := Open(ctx, path) // a new file: the migrations run, with the bulk cache
	if err != nil {
		t.Fatal(err)
	}
	if got := cacheSize(t, d.write); got != serveCacheKiB {
		t.Errorf("writer cache_size after the migrations = %d, want %d", got, serveCacheKiB)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	d, err = Open(ctx, path) // nothing pending: the DSN's size
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if got := cacheSize(t, d.write); got != serveCacheKiB {
		t.Errorf("writer cache_size after open = %d, want %d", got, serveCacheKiB)
	}
	if got := cacheSize(t, d.read); got != readCacheKiB {
		t.Errorf("reader cache_size = %d, want %d", got, readCacheKiB)
	}
	// The data-version connection reads no page: a share of the limit
	// would only let the readers' pages pile up higher.
	if got := cacheSize(t, d.versions); got < -64 {
		t.Errorf("data-version connection cache_size = %d KiB, want at most 64", -got)
	}
	// Negative sizes are KiB: the more negative, the larger the cache.
	if bulkCacheKiB >= serveCacheKiB || serveCacheKiB < -2048 {
		t.Fatalf("bulk cache %d KiB, serving writer cache %d KiB: want the bulk one larger, the serving one at most SQLite's default", -bulkCacheKiB, -serveCacheKiB)
	}

	var during int
	err = d.inBulkWriteTx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRow(`PRAGMA cache_size`).Scan(&during)
	})
	if err != nil {
		t.Fatal(err)
	}
	if during != bulkCacheKiB {
		t.Errorf("writer cache_size inside a bulk write = %d, want %d", during, bulkCacheKiB)
	}
	if got := cacheSize(t, d.write); got != serveCacheKiB {
		t.Errorf("writer cache_size after a bulk write = %d, want %d again", got, serveCacheKiB)
	}

	// A failed bulk write restores it too.
	err = d.inBulkWriteTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO no_such_table VALUES (1)`)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "no_such_table") {
		t.Fatalf("bulk write into a missing table: err = %v", err)
	}
	if got := cacheSize(t, d.write); got != serveCacheKiB {
		t.Errorf("writer cache_size after a failed bulk write = %d, want %d", got, serveCacheKiB)
	}
}

// Seed and Import are the bulk writes: they run with the large cache.
func TestSeedAndImportUseTheBulkCache(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, filepath.Join(t.TempDir(), "shop.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var seen []int
	bulkTxHook = func(tx *sql.Tx) {
		var n int
		if err := tx.QueryRow(`PRAGMA cache_size`).Scan(&n); err != nil {
			t.Error(err)
		}
		seen = append(seen, n)
	}
	defer func() { bulkTxHook = nil }()
	if _, err := Seed(ctx, d, SeedOptions{Customers: 3, RandSeed: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := Import(ctx, d, ImportSources{Customers: NamedReader{Name: "customers.csv", R: strings.NewReader("customer_ref,name\nC-1,Layla\n")}}); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 || seen[0] != bulkCacheKiB || seen[1] != bulkCacheKiB {
		t.Errorf("cache_size inside Seed and Import = %v, want [%d %d]", seen, bulkCacheKiB, bulkCacheKiB)
	}
}

// A large Ingest batch (an /ingest request) writes with the batch cache,
// its statement journals in memory and no automatic checkpoint; a
// webhook's delivery with the serving writer as it is. All are set back
// after the batch, failed or not.
func TestLargeIngestBatchWriter(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, filepath.Join(t.TempDir(), "shop.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	type writer struct{ cache, temp, autoCheckpoint int }
	read := func(q interface {
		QueryRow(string, ...any) *sql.Row
	}) (w writer) {
		if err := q.QueryRow(`PRAGMA cache_size`).Scan(&w.cache); err != nil {
			t.Fatal(err)
		}
		if err := q.QueryRow(`PRAGMA temp_store`).Scan(&w.temp); err != nil {
			t.Fatal(err)
		}
		if err := q.QueryRow(`PRAGMA wal_autocheckpoint`).Scan(&w.autoCheckpoint); err != nil {
			t.Fatal(err)
		}
		return w
	}
	var seen []writer
	ingestTxHook = func(tx *sql.Tx) { seen = append(seen, read(tx)) }
	defer func() { ingestTxHook = nil }()
	// temp_store 2 is MEMORY; the batch's commit leaves the checkpoint
	// to the background.
	serving, batch := writer{serveCacheKiB, 0, defaultAutoCheckpoint}, writer{batchCacheKiB, 2, 0}

	large := mixBatch(largeBatch, "L")
	if d.batchStmts.Load() != nil {
		t.Error("Open prepared the large batch's upserts: a server that never receives one would keep them")
	}
	if _, err := d.Ingest(ctx, shop.Delivery{Source: shop.SourceAPI}, large); err != nil {
		t.Fatal(err)
	}
	prepared := 0
	if batch := d.batchStmts.Load(); batch != nil {
		prepared = len(*batch)
	}
	if prepared != len(batchQueries) {
		t.Errorf("after a large batch, %d of its %d upserts are prepared", prepared, len(batchQueries))
	}
	if _, err := d.Ingest(ctx, shop.Delivery{Source: shop.SourceAPI}, shop.Batch{Customers: large.Customers[:1]}); err != nil {
		t.Fatal(err)
	}
	bad := mixBatch(largeBatch, "B")
	bad.Orders[len(bad.Orders)-1].CustomerRef = "nobody"
	var rec *shop.RecordError
	if _, err := d.Ingest(ctx, shop.Delivery{Source: shop.SourceAPI}, bad); !errors.As(err, &rec) {
		t.Fatalf("a batch naming a missing customer: %v, want a *shop.RecordError", err)
	}
	if want := []writer{batch, serving, batch}; !slices.Equal(seen, want) {
		t.Errorf("writer (cache_size, temp_store) inside the large batch, the delivery, the failed batch = %v, want %v", seen, want)
	}
	d.checkpoints.Wait()
	if got := read(d.write); got != serving {
		t.Errorf("writer after the batches = %+v, want %+v again", got, serving)
	}
}
