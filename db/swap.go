package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"dashapp/db/shop"
)

// Live serves the database file at a path and follows it when the file is
// replaced: building a new database elsewhere and moving it into place
// (mv new.db dashapp.db) loads a whole new dataset without a restart.
//
// Why the switch closes the old database before opening the new one: the
// -wal and -shm files are found by name, so a connection opened at the path
// while the old file's connections live would read the new file through the
// old file's WAL: a mix of both. The new file is therefore checked first
// through an immutable, read-only connection that ignores them; then every
// request in flight finishes, the old database is checkpointed and closed
// (which removes its WAL), and the new one is opened. Requests that arrive
// meanwhile wait: none fails, and none reads from both files.
//
// Live also keeps what readiness needs to say: a start-up quick_check not
// yet finished, a "malformed" error seen at run time, a refused
// replacement.
type Live struct {
	logger *slog.Logger
	path   string

	// switching is held for reading by every request (Hold) or store call,
	// and for writing by the switch.
	switching sync.RWMutex
	cur       *DB // nil only when opening a replacement failed

	mu       sync.Mutex // guards the fields below
	checking bool       // the start-up quick_check has not finished
	broken   error      // why cur cannot serve: corrupt, or no database
	refused  error      // why the file now at path was not loaded
	refusedF os.FileInfo
	poke     chan struct{}
}

// NewLive serves d, which Live now owns and closes.
func NewLive(d *DB, logger *slog.Logger) *Live {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Live{logger: logger, path: d.path, cur: d, poke: make(chan struct{}, 1)}
}

type pinKey struct{ l *Live }

// Hold pins the current database to ctx until release: every store call
// with that context reads the same file, so one request never mixes two
// datasets, and a switch waits for it.
func (l *Live) Hold(ctx context.Context) (pinned context.Context, release func()) {
	l.switching.RLock()
	return context.WithValue(ctx, pinKey{l}, l.cur), l.switching.RUnlock
}

// errNoDatabase is what calls answer after a replacement failed to open.
var errNoDatabase = errors.New("no database is open: the replacement file could not be opened (see /readyz)")

// use is the database for one call, from the pin or held for the call.
func (l *Live) use(ctx context.Context) (*DB, func(), error) {
	if d, ok := ctx.Value(pinKey{l}).(*DB); ok {
		if d == nil {
			return nil, nil, errNoDatabase
		}
		return d, func() {}, nil
	}
	l.switching.RLock()
	if l.cur == nil {
		l.switching.RUnlock()
		return nil, nil, errNoDatabase
	}
	return l.cur, l.switching.RUnlock, nil
}

// observe makes a corrupt file unready, with SQLite's words as the reason.
func (l *Live) observe(d *DB, err error) {
	if err == nil || !isCorrupt(err) {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.broken == nil && l.cur == d {
		l.broken = corruptOr(err)
		l.logger.Error("database is corrupt: not ready until a good file replaces it", slog.String("db", l.path), slog.Any("err", err))
	}
}

func liveCall[T any](l *Live, ctx context.Context, call func(*DB) (T, error)) (T, error) {
	d, done, err := l.use(ctx)
	if err != nil {
		var zero T
		return zero, err
	}
	defer done()
	v, err := call(d)
	l.observe(d, err)
	return v, err
}

// FindCustomers is DB.FindCustomers on the current file.
func (l *Live) FindCustomers(ctx context.Context, key shop.MatchKey, value string, limit int) ([]shop.Customer, error) {
	return liveCall(l, ctx, func(d *DB) ([]shop.Customer, error) { return d.FindCustomers(ctx, key, value, limit) })
}

// Summary is DB.Summary on the current file.
func (l *Live) Summary(ctx context.Context, customerID int64) (shop.Summary, error) {
	return liveCall(l, ctx, func(d *DB) (shop.Summary, error) { return d.Summary(ctx, customerID) })
}

// Orders is DB.Orders on the current file.
func (l *Live) Orders(ctx context.Context, customerID int64, cursor string, limit int) (shop.OrderPage, error) {
	return liveCall(l, ctx, func(d *DB) (shop.OrderPage, error) { return d.Orders(ctx, customerID, cursor, limit) })
}

// Payments is DB.Payments on the current file.
func (l *Live) Payments(ctx context.Context, customerID int64, cursor string, limit int) (shop.PaymentPage, error) {
	return liveCall(l, ctx, func(d *DB) (shop.PaymentPage, error) { return d.Payments(ctx, customerID, cursor, limit) })
}

// Customers is DB.Customers on the current file.
func (l *Live) Customers(ctx context.Context, limit int) ([]shop.Customer, error) {
	return liveCall(l, ctx, func(d *DB) ([]shop.Customer, error) { return d.Customers(ctx, limit) })
}

// CheckInBackground runs the start-up quick_check without holding up the
// start: until it passes, Ready says the check is running.
func (l *Live) CheckInBackground(ctx context.Context) {
	l.mu.Lock()
	l.checking = true
	l.mu.Unlock()
	go func() {
		d, done, err := l.use(ctx)
		if err != nil {
			return
		}
		start := time.Now()
		err = d.QuickCheck(ctx)
		done()
		if ctx.Err() != nil {
			return // shutting down
		}
		l.mu.Lock()
		defer l.mu.Unlock()
		l.checking = false
		if l.cur != d {
			return // replaced meanwhile, and the replacement was checked
		}
		if err != nil {
			l.broken = err
			l.logger.Error("database failed its quick_check: not ready", slog.String("db", l.path), slog.Any("err", err))
			return
		}
		l.logger.Info("database passed its quick_check", slog.String("db", l.path), slog.Duration("took", time.Since(start)))
	}()
}

// Ready is the current file's readiness: checking, corrupt, or its pools'
// answer. A replacement not loaded yet is not an error: the old file still
// serves one whole dataset. It also asks the watcher to look at the file
// now, so the next request sees a replacement without waiting for a tick.
func (l *Live) Ready(ctx context.Context) error {
	select {
	case l.poke <- struct{}{}:
	default:
	}
	d, done, err := l.use(ctx)
	if err != nil {
		return err
	}
	defer done()
	l.mu.Lock()
	checking, broken := l.checking, l.broken
	l.mu.Unlock()
	switch {
	case broken != nil:
		return fmt.Errorf("%w; replace the file (mv a good copy into place) or restore it", broken)
	case checking:
		return errors.New("checking the database file (quick_check) before serving")
	}
	if _, err := os.Stat(l.path); err != nil {
		return fmt.Errorf("database file %s: %w", l.path, err)
	}
	if err := writable(l.path); err != nil {
		return fmt.Errorf("database file %s: %w", l.path, err)
	}
	return d.poolsReady(ctx)
}

// Warning is why the file now at the path is not the one served, or "".
func (l *Live) Warning() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.refused == nil {
		return ""
	}
	return l.refused.Error()
}

// Watch looks at the file every interval (and when Ready asks) until ctx
// ends, and switches to a replacement that passes its checks.
func (l *Live) Watch(ctx context.Context, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-l.poke:
		}
		l.follow(ctx)
	}
}

// follow switches to the file at the path when it is a new one that
// passes the checks, and remembers why when it does not.
func (l *Live) follow(ctx context.Context) {
	info, err := os.Stat(l.path)
	if err != nil {
		return // deleted: keep serving the open file; Ready says it is gone
	}
	l.switching.RLock()
	cur := l.cur
	l.switching.RUnlock()
	l.mu.Lock()
	seen := (cur != nil && os.SameFile(info, cur.info)) || sameVersion(info, l.refusedF)
	l.mu.Unlock()
	if seen {
		return
	}
	if err := checkReplacement(ctx, l.path, info); err != nil {
		l.mu.Lock()
		l.refused, l.refusedF = fmt.Errorf("the file now at %s was not loaded, still serving the previous one: %w", l.path, err), info
		l.mu.Unlock()
		l.logger.Error("replacement database refused: still serving the previous one", slog.String("db", l.path), slog.Any("err", err))
		return
	}
	start := time.Now()
	l.switching.Lock()
	defer l.switching.Unlock()
	var removeErr error
	if old := l.cur; old != nil {
		if err := old.Close(); err != nil {
			l.logger.Error("close the replaced database", slog.String("db", l.path), slog.Any("err", err))
		}
		// SQLite keeps a moved file's WAL on close (it cannot tell whose it
		// is); opened beside the new file it would be read as the new
		// file's. Only the very files the old database opened are removed.
		for _, f := range []struct {
			path string
			info os.FileInfo
		}{{l.path + "-wal", old.wal}, {l.path + "-shm", old.shm}} {
			if now, err := os.Stat(f.path); err == nil && f.info != nil && os.SameFile(now, f.info) {
				removeErr = errors.Join(removeErr, os.Remove(f.path))
			}
		}
	}
	var next *DB
	err = removeErr
	if err == nil {
		next, err = Open(ctx, l.path)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cur, l.refused, l.refusedF, l.checking = next, nil, nil, false
	if err != nil {
		l.cur, l.broken = nil, err
		l.logger.Error("open the replacement database", slog.String("db", l.path), slog.Any("err", err))
		return
	}
	l.broken = nil
	l.logger.Info("database file replaced: now serving the new one", slog.String("db", l.path), slog.Duration("switch", time.Since(start)))
}

// sameVersion reports the same file, unchanged since it was refused: a
// file still being copied into place changes and is checked again.
func sameVersion(a, b os.FileInfo) bool {
	return b != nil && os.SameFile(a, b) && a.Size() == b.Size() && a.ModTime().Equal(b.ModTime())
}

// checkReplacement opens the file at path immutable and read-only, so
// that neither its checks nor its reads touch the -wal and -shm files of
// the database still open, and requires a dashapp database this program
// can migrate, that passes quick_check, and is still the file stat saw.
func checkReplacement(ctx context.Context, path string, info os.FileInfo) error {
	probe, err := sql.Open("sqlite", "file:"+(&url.URL{Path: filepath.ToSlash(path)}).EscapedPath()+"?mode=ro&immutable=1")
	if err != nil {
		return err
	}
	defer probe.Close()
	var tables int
	if err := probe.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('schema_migrations', 'customers')`).Scan(&tables); err != nil {
		return fmt.Errorf("not a SQLite database: %w", err)
	}
	if tables != 2 {
		return errors.New("not a dashapp database: it has no schema_migrations and customers tables")
	}
	migrations, err := loadMigrations()
	if err != nil {
		return err
	}
	var newest int
	if err := probe.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&newest); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if known := migrations[len(migrations)-1].version; newest > known {
		return fmt.Errorf("schema version %d is newer than this program knows (%d)", newest, known)
	}
	if err := quickCheck(ctx, probe, path); err != nil {
		return err
	}
	if after, err := os.Stat(path); err != nil || !sameVersion(after, info) {
		return errors.New("the file changed while it was checked; it will be checked again")
	}
	return nil
}

// Close closes the database being served.
func (l *Live) Close() error {
	l.switching.Lock()
	defer l.switching.Unlock()
	if l.cur == nil {
		return nil
	}
	err := l.cur.Close()
	l.cur = nil
	return err
}

// OrderDetail is DB.OrderDetail on the current file.
func (l *Live) OrderDetail(ctx context.Context, customerID, orderID int64) (shop.OrderDetail, error) {
	return liveCall(l, ctx, func(d *DB) (shop.OrderDetail, error) { return d.OrderDetail(ctx, customerID, orderID) })
}

// Ingest is DB.Ingest on the current file.
func (l *Live) Ingest(ctx context.Context, dlv shop.Delivery, b shop.Batch) (shop.IngestResult, error) {
	return liveCall(l, ctx, func(d *DB) (shop.IngestResult, error) { return d.Ingest(ctx, dlv, b) })
}

// LogDelivery is DB.LogDelivery on the current file.
func (l *Live) LogDelivery(ctx context.Context, entry shop.DeliveryLog) error {
	_, err := liveCall(l, ctx, func(d *DB) (struct{}, error) { return struct{}{}, d.LogDelivery(ctx, entry) })
	return err
}

// SourceStatuses is DB.SourceStatuses on the current file.
func (l *Live) SourceStatuses(ctx context.Context) ([]shop.SourceStatus, error) {
	return liveCall(l, ctx, func(d *DB) ([]shop.SourceStatus, error) { return d.SourceStatuses(ctx) })
}
