package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	sqlite3 "modernc.org/sqlite/lib"
)

// ErrCorrupt is returned (wrapped) when PRAGMA quick_check finds damage, or
// a query meets a malformed page.
var ErrCorrupt = errors.New("the database file is corrupt")

// QuickCheck runs PRAGMA quick_check: every page and index entry is read
// and checked, in time linear in the file's size (BENCHMARKS.md has it at
// scale). An import or a server must not write into, or serve from, a file
// it reports damaged.
func (d *DB) QuickCheck(ctx context.Context) error {
	return quickCheck(ctx, d.read, d.path)
}

func quickCheck(ctx context.Context, db *sql.DB, path string) error {
	rows, err := db.QueryContext(ctx, `PRAGMA quick_check(5)`)
	if err != nil {
		return corruptOr(fmt.Errorf("quick_check of %s: %w", path, err))
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return corruptOr(fmt.Errorf("quick_check of %s: %w", path, err))
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return corruptOr(fmt.Errorf("quick_check of %s: %w", path, err))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: quick_check of %s: %s", ErrCorrupt, path, strings.Join(problems, "; "))
	}
	return nil
}

// isCorrupt reports the SQLite errors that mean the file is damaged or is
// no database at all.
func isCorrupt(err error) bool {
	code := primaryCode(err)
	return code == sqlite3.SQLITE_CORRUPT || code == sqlite3.SQLITE_NOTADB || errors.Is(err, ErrCorrupt)
}

// corruptOr marks err as ErrCorrupt when SQLite says the file is damaged.
func corruptOr(err error) error {
	if isCorrupt(err) && !errors.Is(err, ErrCorrupt) {
		return fmt.Errorf("%w: %w", ErrCorrupt, err)
	}
	return err
}
