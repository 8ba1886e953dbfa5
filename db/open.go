// Package db is the SQLite store behind the customer panel: it opens the
// database, applies the embedded migrations, answers the panel's queries,
// and fills the database from the demo seed, the scale seed or CSV files.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// DB is the store. Writes go through a single connection, so that SQLite
// never answers SQLITE_BUSY between our own writers; reads use a pool of
// query-only connections that WAL lets run alongside the writer.
type DB struct {
	path  string
	info  os.FileInfo // the file as opened, to notice it being replaced
	wal   os.FileInfo // its -wal and -shm as opened (nil if absent), which Live removes after a switch
	shm   os.FileInfo
	write *sql.DB
	read  *sql.DB
	stmts map[string]*sql.Stmt // panelQueries, prepared on the read pool
	group writeGroup           // concurrent small writes, committed together (groupcommit.go)
	// checkpoints are the ones large Ingest batches leave running after
	// their answer (cache.go); Close waits for them.
	checkpoints sync.WaitGroup
	// batchStmts are batchQueries, once a large batch prepared them on
	// the write pool (ingest_upsert.go).
	batchStmts   atomic.Pointer[map[string]*sql.Stmt]
	batchPrepare sync.Mutex
	// versions has one connection, which reads dataVersion (version.go).
	versions    *sql.DB
	dataVersion *sql.Stmt
	opening     uint64
}

// pragmas apply to every connection of both pools.
var pragmas = []string{
	"busy_timeout(5000)",
	"foreign_keys(ON)",
	"journal_mode(WAL)",
	// A seed or large import grows the WAL to its own size; without a
	// limit the file keeps that size on disk after the checkpoint.
	"journal_size_limit(67108864)",
	"synchronous(NORMAL)",
}

// Open opens (creating if missing) the database file at path, applies any
// pending migrations and returns the store.
func Open(ctx context.Context, path string) (*DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open database %q: %w", path, err)
	}
	if dir, err := os.Stat(filepath.Dir(abs)); err != nil {
		return nil, fmt.Errorf("open database %q: directory: %w", abs, err)
	} else if !dir.IsDir() {
		return nil, fmt.Errorf("open database %q: %s is not a directory", abs, filepath.Dir(abs))
	}
	if err := writable(abs); err != nil {
		return nil, fmt.Errorf("open database %q: %w", abs, err)
	}

	write, err := sql.Open("sqlite", dsn(abs, false))
	if err != nil {
		return nil, fmt.Errorf("open database %q: %w", abs, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)

	// Migrate before the read pool exists: its connections are query-only
	// and expect the file to be in WAL mode already.
	if err := migrate(ctx, write); err != nil {
		write.Close()
		return nil, fmt.Errorf("open database %q: %w", abs, err)
	}

	read, err := sql.Open("sqlite", dsn(abs, true))
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open database %q: read pool: %w", abs, err)
	}
	readers := max(4, 2*runtime.GOMAXPROCS(0))
	read.SetMaxOpenConns(readers)
	read.SetMaxIdleConns(readers)
	read.SetConnMaxLifetime(0)
	read.SetConnMaxIdleTime(0)

	d := &DB{path: abs, write: write, read: read}
	if err := warm(ctx, read, readers); err != nil {
		d.Close()
		return nil, fmt.Errorf("open database %q: read pool: %w", abs, err)
	}
	if err := d.prepare(ctx); err != nil {
		d.Close()
		return nil, fmt.Errorf("open database %q: read pool: %w", abs, err)
	}
	if d.versions, d.dataVersion, err = versionPool(ctx, abs); err != nil {
		d.Close()
		return nil, fmt.Errorf("open database %q: version connection: %w", abs, err)
	}
	d.opening = openings.Add(1)
	if d.info, err = os.Stat(abs); err != nil {
		d.Close()
		return nil, fmt.Errorf("open database %q: %w", abs, err)
	}
	d.wal, _ = os.Stat(abs + "-wal") // the warm connections hold them open
	d.shm, _ = os.Stat(abs + "-shm")
	return d, nil
}

// warm opens every connection of the pool now, while the path names this
// file: a connection opened later, after the file was replaced, would read
// the new file through this one's WAL (see Live).
func warm(ctx context.Context, pool *sql.DB, n int) error {
	conns := make([]*sql.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close() // back to the pool, idle
		}
	}()
	for range n {
		c, err := pool.Conn(ctx)
		if err != nil {
			return err
		}
		conns = append(conns, c)
		if err := c.PingContext(ctx); err != nil {
			return err
		}
	}
	return nil
}

// dsn builds the modernc.org/sqlite URI for an absolute path. The path is
// percent-escaped: a raw '?' would end it early and '#' would start a
// fragment.
func dsn(abs string, readOnly bool) string {
	cache := serveCacheKiB
	if readOnly {
		cache = readCacheKiB
	}
	return dsnWithCache(abs, readOnly, cache)
}

// dsnWithCache is dsn with a page cache of its own size (cache.go).
func dsnWithCache(abs string, readOnly bool, cacheKiB int) string {
	q := url.Values{}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	if readOnly {
		// Applied by the driver after the pragmas above, which is what
		// lets journal_mode(WAL) run (as a no-op) first.
		q.Add("_pragma", "query_only(1)")
		// The connections' caches are one shared pool (see cache.go).
		q.Add("_pragma", fmt.Sprintf("cache_size(%d)", cacheKiB))
	} else {
		// BEGIN IMMEDIATE takes the write lock up front, so a transaction
		// never fails half-way when it first writes.
		q.Set("_txlock", "immediate")
		// Small while serving: imports, seeds and migrations raise it for
		// their own transaction (cache.go).
		q.Add("_pragma", fmt.Sprintf("cache_size(%d)", cacheKiB))
	}
	return "file:" + (&url.URL{Path: filepath.ToSlash(abs)}).EscapedPath() + "?" + q.Encode()
}

// writable says why the database cannot be written, in words: SQLite
// itself only says "unable to open database file" or "attempt to write a
// readonly database" for a read-only mount. The probe opens the file (or,
// when it does not exist yet, its directory's new file) for writing.
func writable(abs string) error {
	f, err := os.OpenFile(abs, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		f, err = os.CreateTemp(filepath.Dir(abs), ".dashapp-probe-*")
		if err == nil {
			defer os.Remove(f.Name())
		}
	}
	switch {
	case errors.Is(err, syscall.EROFS):
		return fmt.Errorf("the file system is mounted read-only: the database needs a writable directory (for the file, its -wal and -shm)")
	case errors.Is(err, os.ErrPermission):
		return fmt.Errorf("read-only for this user (uid %d): %w", os.Getuid(), err)
	case err != nil:
		return err
	}
	return f.Close()
}

// Close closes the read pool, then checkpoints the WAL into the main file
// and closes the writer. A checkpoint that cannot finish (another process
// still reads an older snapshot) is an error: the WAL stays on disk, and
// whoever copies the .db file alone would copy old data.
func (d *DB) Close() error {
	d.checkpoints.Wait()
	var errs []error
	for _, s := range d.stmts {
		errs = append(errs, s.Close())
	}
	if batch := d.batchStmts.Load(); batch != nil {
		for _, s := range *batch {
			errs = append(errs, s.Close())
		}
	}
	errs = append(errs, d.read.Close())
	if d.versions != nil {
		errs = append(errs, d.dataVersion.Close(), d.versions.Close())
	}
	var busy, frames, written int
	if err := d.write.QueryRow(`PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &frames, &written); err != nil {
		errs = append(errs, fmt.Errorf("checkpoint the WAL of %s: %w", d.path, err))
	} else if busy != 0 || written < frames {
		errs = append(errs, fmt.Errorf("checkpoint the WAL of %s: %d of its %d frames written; another connection still reads an older snapshot", d.path, written, frames))
	}
	return errors.Join(append(errs, d.write.Close())...)
}

// Path is the absolute path of the database file.
func (d *DB) Path() string { return d.path }

// Ready reports whether the database can serve: the file is still the one
// opened and writable, and both pools answer a query. Open connections keep
// working on a deleted file, so the file itself is checked too.
func (d *DB) Ready(ctx context.Context) error {
	info, err := os.Stat(d.path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("database file %s no longer exists", d.path)
	case err != nil:
		return fmt.Errorf("database file %s: %w", d.path, err)
	case !os.SameFile(info, d.info):
		return fmt.Errorf("database file %s was replaced after it was opened", d.path)
	case info.Mode().Perm()&0o222 == 0:
		return fmt.Errorf("database file %s is read-only (mode %s)", d.path, info.Mode().Perm())
	}
	if err := writable(d.path); err != nil {
		return fmt.Errorf("database file %s: %w", d.path, err)
	}
	return d.poolsReady(ctx)
}

// poolsReady reports whether both pools answer a query on the schema.
func (d *DB) poolsReady(ctx context.Context) error {
	for _, pool := range []struct {
		name string
		db   *sql.DB
	}{{"read", d.read}, {"write", d.write}} {
		var n int
		if err := pool.db.QueryRowContext(ctx, readySQL).Scan(&n); err != nil {
			return fmt.Errorf("database %s pool: %w", pool.name, err)
		}
	}
	return nil
}

// readySQL reads the schema, which a bare "SELECT 1" would not touch.
const readySQL = `SELECT count(*) FROM schema_migrations`

// IsEmpty reports whether the database has no customers yet.
func (d *DB) IsEmpty(ctx context.Context) (bool, error) {
	var empty bool
	if err := d.read.QueryRowContext(ctx, isEmptySQL).Scan(&empty); err != nil {
		return false, fmt.Errorf("check for customers: %w", err)
	}
	return empty, nil
}

const isEmptySQL = `SELECT NOT EXISTS (SELECT 1 FROM customers)`
