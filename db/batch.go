package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// batchRows is how many rows one multi-row INSERT carries. Far below
// SQLite's 32766 variables for every table here, and large enough that the
// per-statement cost of database/sql disappears.
const batchRows = 128

// batchInsert buffers rows for one table and writes them with multi-row
// INSERTs, through a statement prepared once for full batches. Rows of a
// child table may only be flushed after their parents, so a flush first
// flushes the parents: foreign keys are checked row by row.
type batchInsert struct {
	tx      *sql.Tx
	table   string
	columns []string
	parents []*batchInsert
	full    *sql.Stmt // prepared lazily for batchRows rows
	args    []any
	rows    int
	written int
}

func newBatchInsert(tx *sql.Tx, table string, columns []string, parents ...*batchInsert) *batchInsert {
	return &batchInsert{tx: tx, table: table, columns: columns, parents: parents,
		args: make([]any, 0, batchRows*len(columns))}
}

func (b *batchInsert) insertSQL(rows int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", len(b.columns)), ",") + ")"
	return "INSERT INTO " + b.table + " (" + strings.Join(b.columns, ", ") + ") VALUES " +
		strings.TrimSuffix(strings.Repeat(row+",", rows), ",")
}

// add buffers one row, whose values are in the order of columns.
func (b *batchInsert) add(ctx context.Context, values ...any) error {
	if len(values) != len(b.columns) {
		return fmt.Errorf("insert into %s: %d values for %d columns", b.table, len(values), len(b.columns))
	}
	b.args = append(b.args, values...)
	b.rows++
	if b.rows < batchRows {
		return nil
	}
	return b.flush(ctx)
}

// flush writes the buffered rows (and, first, those of the parents).
func (b *batchInsert) flush(ctx context.Context) error {
	for _, p := range b.parents {
		if err := p.flush(ctx); err != nil {
			return err
		}
	}
	if b.rows == 0 {
		return nil
	}
	var err error
	if b.rows == batchRows {
		if b.full == nil {
			if b.full, err = b.tx.PrepareContext(ctx, b.insertSQL(batchRows)); err != nil {
				return fmt.Errorf("prepare insert into %s: %w", b.table, err)
			}
		}
		_, err = b.full.ExecContext(ctx, b.args...)
	} else {
		_, err = b.tx.ExecContext(ctx, b.insertSQL(b.rows), b.args...)
	}
	if err != nil {
		return fmt.Errorf("insert %d rows into %s: %w", b.rows, b.table, err)
	}
	b.written += b.rows
	b.args = b.args[:0]
	b.rows = 0
	return nil
}

func (b *batchInsert) close() {
	if b.full != nil {
		b.full.Close()
	}
}

// nullIfEmpty stores "" as NULL, for the columns where NULL means unknown.
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullIfZero(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}
