package db

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads migrations/NNNN_name.sql in version order. Versions
// must be unique; gaps are allowed.
func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, fmt.Errorf("read embedded migrations: %w", err)
	}
	var out []migration
	for _, e := range entries { // ReadDir sorts by name, so by zero-padded version
		prefix, _, ok := strings.Cut(e.Name(), "_")
		version, err := strconv.Atoi(prefix)
		if !ok || err != nil || version <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive number and '_'", e.Name())
		}
		if len(out) > 0 && out[len(out)-1].version >= version {
			return nil, fmt.Errorf("migration %s: version %d is not greater than %d", e.Name(), version, out[len(out)-1].version)
		}
		body, err := fs.ReadFile(migrationFiles, path.Join("migrations", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", e.Name(), err)
		}
		out = append(out, migration{version: version, name: e.Name(), sql: string(body)})
	}
	return out, nil
}

const createMigrationsTableSQL = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	name       TEXT    NOT NULL,
	applied_at INTEGER NOT NULL DEFAULT (unixepoch())
) STRICT`

// migrate applies every migration not yet recorded in schema_migrations,
// each in its own transaction. It first reads the applied versions without
// a transaction: when nothing is pending it never asks for the write lock,
// so a server restarted while a long import holds that lock comes up. A
// pending migration checks again inside its (immediate) transaction, so two
// processes opening the same new file cannot both apply it.
func migrate(ctx context.Context, db *sql.DB) error {
	migrations, err := loadMigrations()
	if err != nil {
		return err
	}
	applied, err := appliedVersionsPatiently(ctx, db)
	if err != nil {
		return err
	}
	newest := 0
	for v := range applied {
		newest = max(newest, v)
	}
	if known := migrations[len(migrations)-1].version; newest > known {
		return fmt.Errorf("database schema version %d is newer than this program knows (%d)", newest, known)
	}
	var pending []migration
	for _, m := range migrations {
		if !applied[m.version] {
			pending = append(pending, m)
		}
	}
	if len(pending) == 0 {
		return nil
	}
	// Some migrations rebuild a table of a million rows: they are bulk
	// writes (cache.go).
	return withBulkCache(ctx, db, func() error {
		for _, m := range pending {
			if err := applyMigration(ctx, db, m); err != nil {
				return fmt.Errorf("migration %s: %w", m.name, lockedError(err))
			}
		}
		return nil
	})
}

// appliedVersionsPatiently is appliedVersions, tried again while SQLite
// answers SQLITE_BUSY. A reader of a new file that another process is
// switching to WAL gets SQLITE_BUSY at once, without the busy handler
// (TestOpenConcurrently saw it one run in ten); the switch takes
// milliseconds.
func appliedVersionsPatiently(ctx context.Context, db *sql.DB) (map[int]bool, error) {
	deadline := time.Now().Add(busyPatience)
	for {
		applied, err := appliedVersions(ctx, db)
		if err == nil || !isBusy(err) || time.Now().After(deadline) {
			return applied, lockedError(err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("read schema version: %w", ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// busyPatience is how long a start waits out SQLITE_BUSY answered without
// the busy handler: the busy_timeout's 5 s.
const busyPatience = 5 * time.Second

// appliedVersions reads schema_migrations, empty when the table does not
// exist yet (a new file).
func appliedVersions(ctx context.Context, db *sql.DB) (map[int]bool, error) {
	var exists bool
	if err := db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations')`).Scan(&exists); err != nil {
		return nil, fmt.Errorf("read schema version: %w", err)
	}
	applied := map[int]bool{}
	if !exists {
		return applied, nil
	}
	rows, err := db.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("read schema version: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("read schema version: %w", err)
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read schema version: %w", err)
	}
	return applied, nil
}

func applyMigration(ctx context.Context, db *sql.DB, m migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, createMigrationsTableSQL); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	var applied bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = ?)`, m.version).Scan(&applied); err != nil {
		return err
	}
	if applied {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.version, m.name); err != nil {
		return err
	}
	return tx.Commit()
}
