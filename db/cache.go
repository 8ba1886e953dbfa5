package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
)

// Page cache sizes, in SQLite's units (negative: KiB).
//
// This build of SQLite (modernc.org/sqlite, compiled with
// SQLITE_ENABLE_MEMORY_MANAGEMENT) keeps the pages of every connection of
// the process in one shared cache whose limit is the sum of the
// connections' cache_size: a page is recycled only when the whole group is
// over that sum. A writer opened with an import's 64 MiB therefore let the
// four readers' pages pile up to ~68 MiB while serving (31 MB of SQLite's
// memory under the normal load, BENCHMARKS.md). So the writer serves with a
// small cache, and raises it only for the transaction of a bulk write.
const (
	// Each cached page costs about 9.4 KB, not 4 KB: its 4.3 KB allocation
	// takes an 8 KB slot of modernc's allocator (power-of-two classes, 7
	// slots to a 64 KiB page). The serving total, 4 readers' 384 KiB and
	// the writer's 512 KiB, is a 2 MiB shared cache (~5 MB of memory),
	// which still holds the interior pages of every index a panel
	// searches; the OS page cache holds the rest of the file. At 1 MiB
	// each and a 2 MiB writer (6 MiB, ~13 MB of memory) the loaded server
	// peaked ~5 MB higher for no measurable latency gain; 512 KiB each
	// peaked ~1 MB higher than 384 KiB, p99 unchanged (BENCHMARKS.md).
	readCacheKiB = -384
	// serveCacheKiB is the writer's while serving: links, actions,
	// webhook deliveries and /ingest batches touch few pages each, and
	// the shared cache lends it the readers' pages.
	serveCacheKiB = -512
	// bulkCacheKiB is the writer's during an import, a seed or a pending
	// migration, which touch every page of the growing indexes: with
	// SQLite's default 2 MB they re-read pages constantly.
	bulkCacheKiB = -65536
	// batchCacheKiB is the writer's for the transaction of a large
	// Ingest batch (an /ingest request of thousands of records): its
	// rows dirty more pages than serveCacheKiB holds, and SQLite then
	// spills them to the WAL mid-transaction and reads them back.
	batchCacheKiB = -16384
	// versionCacheKiB is the data-version connection's (version.go): it
	// reads only the WAL index, never a page.
	versionCacheKiB = -16
)

// bulkTxHook, when set (tests), runs first inside every bulk transaction;
// ingestTxHook inside every Ingest transaction.
var bulkTxHook, ingestTxHook func(tx *sql.Tx)

// inBulkWriteTx is inWriteTx with the writer's page cache raised to
// bulkCacheKiB for the transaction, and set back afterwards.
func (d *DB) inBulkWriteTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return withBulkCache(ctx, d.write, func() error {
		return d.inWriteTx(ctx, func(tx *sql.Tx) error {
			if bulkTxHook != nil {
				bulkTxHook(tx)
			}
			return fn(tx)
		})
	})
}

// largeBatch is the number of records from which an Ingest batch writes
// through withBatchWriter. A webhook delivery's few records do not need
// it, and its two pragmas would cost more than the records.
const largeBatch = 1000

// withBatchWriter runs fn, the transaction of a large Ingest batch, with
// the writer's page cache at batchCacheKiB and its statement journals in
// memory: every multi-row upsert keeps one, and beyond 64 KiB SQLite
// writes it to a temporary file. Together they took a 10,000-record
// batch from ~195 to ~171 ms (BENCHMARKS.md). temp_store is not set for
// the writer at large: a migration's index builds would then sort in
// memory.
//
// The batch's commit also skips the automatic checkpoint, which SQLite
// runs inside the COMMIT of whichever transaction takes the WAL past
// 1,000 pages: a 10,000-record batch always does, and copying its pages
// into the database file held its answer back by 15-30 ms. The
// checkpoint runs after fn instead, in the background, on the write
// connection (as the automatic one does), while the client reads the
// answer and sends its next request. Everything is set back afterwards,
// as withBulkCache does. The first large batch also prepares
// batchQueries, for every later one.
func (d *DB) withBatchWriter(ctx context.Context, fn func() error) error {
	pragmas := func(cacheKiB, autoCheckpoint int, tempStore string) string {
		return "PRAGMA cache_size = " + strconv.Itoa(cacheKiB) + "; PRAGMA temp_store = " + tempStore +
			"; PRAGMA wal_autocheckpoint = " + strconv.Itoa(autoCheckpoint)
	}
	if err := d.prepareBatchQueries(ctx); err != nil {
		return err
	}
	err := withWriterPragmas(ctx, d.write, pragmas(batchCacheKiB, 0, "MEMORY"), pragmas(serveCacheKiB, defaultAutoCheckpoint, "DEFAULT"), fn)
	d.checkpoints.Go(func() {
		// A checkpoint that fails or cannot finish (a reader holds an
		// older snapshot) leaves the WAL to the next commit's automatic
		// one, as before: nothing is lost, so there is nothing to report.
		_, _ = d.write.ExecContext(context.WithoutCancel(ctx), "PRAGMA wal_checkpoint(PASSIVE)")
	})
	return err
}

// defaultAutoCheckpoint is SQLite's wal_autocheckpoint, in pages.
const defaultAutoCheckpoint = 1000

// withBulkCache runs fn with the write pool's page cache at bulkCacheKiB.
// The write pool has exactly one connection, so the pragma reaches the
// connection fn writes through. The cache is set back even when fn fails
// or ctx ends, which frees the pages above the serving size; a connection
// the pool opens afresh starts at the DSN's serving size anyway.
func withBulkCache(ctx context.Context, write *sql.DB, fn func() error) error {
	return withWriterPragmas(ctx, write, "PRAGMA cache_size = "+strconv.Itoa(bulkCacheKiB), "PRAGMA cache_size = "+strconv.Itoa(serveCacheKiB), fn)
}

// withWriterPragmas runs fn with the pragmas of set applied to the write
// pool's one connection, and applies reset afterwards, even when fn fails
// or ctx ends.
func withWriterPragmas(ctx context.Context, write *sql.DB, set, reset string, fn func() error) error {
	if _, err := write.ExecContext(ctx, set); err != nil {
		return fmt.Errorf("set up the writer (%s): %w", set, err)
	}
	err := fn()
	if _, rerr := write.ExecContext(context.WithoutCancel(ctx), reset); rerr != nil {
		err = errors.Join(err, fmt.Errorf("set the writer back (%s): %w", reset, rerr))
	}
	return err
}
