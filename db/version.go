package db

import (
	"context"
	"database/sql"
	"fmt"
	"sync/atomic"
)

// The data version lets the panel answer "unchanged" without reading any
// customer: SQLite's PRAGMA data_version changes, on one connection,
// whenever any other connection commits (this process's writer, or another
// process writing the file). Its values mean something on that connection
// only, so the version has a pool of its own with exactly one connection,
// which never writes.

// openings numbers every DB this process opens: a file swapped in by Live
// starts its data_version afresh, and must not repeat an old file's value.
var openings atomic.Uint64

// versionPool opens the one connection that reads data_version, while the
// path still names this file (see warm).
func versionPool(ctx context.Context, abs string) (*sql.DB, *sql.Stmt, error) {
	// It reads no page, so its share of the shared cache's limit (cache.go)
	// would only let the readers' pages pile up higher.
	pool, err := sql.Open("sqlite", dsnWithCache(abs, true, versionCacheKiB))
	if err != nil {
		return nil, nil, err
	}
	pool.SetMaxOpenConns(1)
	pool.SetMaxIdleConns(1)
	pool.SetConnMaxLifetime(0)
	pool.SetConnMaxIdleTime(0)
	stmt, err := pool.PrepareContext(ctx, `PRAGMA data_version`)
	if err != nil {
		pool.Close()
		return nil, nil, err
	}
	return pool, stmt, nil
}

// DataVersion changes whenever anything is committed to the database, by
// any connection; equal values mean that no shop data changed in between.
func (d *DB) DataVersion(ctx context.Context) (uint64, error) {
	var v uint64
	if err := d.dataVersion.QueryRowContext(ctx).Scan(&v); err != nil {
		return 0, fmt.Errorf("data version of %s: %w", d.path, err)
	}
	return d.opening<<40 ^ v, nil
}

// DataVersion is DB.DataVersion on the current file; a switch to another
// file changes it.
func (l *Live) DataVersion(ctx context.Context) (uint64, error) {
	return liveCall(l, ctx, func(d *DB) (uint64, error) { return d.DataVersion(ctx) })
}
