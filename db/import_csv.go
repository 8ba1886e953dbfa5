package db

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"dashapp/db/shop"
)

// csvFile reads one import file: its header decides which of the file's
// known columns are present, and each row's checked values are set per
// column before the row is upserted.
type csvFile struct {
	name    string
	spec    importSpec
	columns []importColumn // spec.columns
	r       *csv.Reader
	field   []int // per column: its index in the record, -1 when absent
	record  []string
	values  []any // per column: the value to store for the current row
}

// openCSV reads and checks the header: every column must be known, none
// repeated, and the required ones present.
func openCSV(name string, r io.Reader, spec importSpec) (*csvFile, error) {
	columns := spec.columns
	f := &csvFile{name: name, spec: spec, r: csv.NewReader(r), columns: columns,
		field: make([]int, len(columns)), values: make([]any, len(columns))}
	f.r.ReuseRecord = true
	f.r.FieldsPerRecord = -1 // checked here, to report it in our words
	header, err := f.r.Read()
	if errors.Is(err, io.EOF) {
		return nil, &ImportError{File: name, Err: errors.New("the file is empty; it needs a header row")}
	}
	if err != nil {
		return nil, f.csvError(err)
	}
	for i := range f.field {
		f.field[i] = -1
	}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) // spreadsheets write a BOM
		line, _ := f.r.FieldPos(i)
		c := f.column(h)
		switch {
		case c < 0:
			return nil, &ImportError{File: name, Line: line, Column: h, Err: fmt.Errorf("unknown column; known columns are %s", columnList(columns, false))}
		case f.field[c] >= 0:
			return nil, &ImportError{File: name, Line: line, Column: h, Err: errors.New("column appears twice")}
		}
		f.field[c] = i
	}
	var missing []importColumn
	for c, col := range columns {
		if col.required && f.field[c] < 0 {
			missing = append(missing, col)
		}
	}
	if len(missing) > 0 {
		line, _ := f.r.FieldPos(0)
		return nil, &ImportError{File: name, Line: line, Err: fmt.Errorf("missing required columns %s", columnList(missing, true))}
	}
	f.record = slices.Clone(header)
	return f, nil
}

// columnList names columns for a message, quoted or not.
func columnList(columns []importColumn, quote bool) string {
	names := make([]string, len(columns))
	for i, c := range columns {
		names[i] = c.header
		if quote {
			names[i] = fmt.Sprintf("%q", c.header)
		}
	}
	return strings.Join(names, ", ")
}

func (f *csvFile) column(header string) int {
	for c, col := range f.columns {
		if col.header == header {
			return c
		}
	}
	return -1
}

// next reads the next row; false at the end of the file.
func (f *csvFile) next() (bool, error) {
	record, err := f.r.Read()
	if errors.Is(err, io.EOF) {
		return false, nil
	}
	if err != nil {
		return false, f.csvError(err)
	}
	if len(record) != len(f.record) {
		line, _ := f.r.FieldPos(0)
		return false, &ImportError{File: f.name, Line: line, Err: fmt.Errorf("the row has %d %s, the header has %d", len(record), plural(len(record), "field", "fields"), len(f.record))}
	}
	f.record = record
	return true, nil
}

func (f *csvFile) csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ImportError{File: f.name, Line: pe.Line, Err: pe.Err}
	}
	return fmt.Errorf("%s: %w", f.name, err)
}

// get is the trimmed value of a column, and false if the header lacks it.
func (f *csvFile) get(header string) (string, bool) {
	i := f.field[f.column(header)]
	if i < 0 {
		return "", false
	}
	return strings.TrimSpace(f.record[i]), true
}

// required is the value of a column that must not be empty.
func (f *csvFile) required(header string) (string, error) {
	v, _ := f.get(header)
	if v == "" {
		return "", f.fail(header, errors.New("value is empty"))
	}
	return v, nil
}

// set records the value to store for a column of the current row.
func (f *csvFile) set(header string, v any) { f.values[f.column(header)] = v }

// setOneOf checks that a column holds one of allowed (case-insensitive).
func (f *csvFile) setOneOf(header string, allowed []string) error {
	v, _ := f.get(header)
	v = strings.ToLower(v)
	if !slices.Contains(allowed, v) {
		return f.fail(header, fmt.Errorf("%q is not one of %s", v, strings.Join(allowed, ", ")))
	}
	f.set(header, v)
	return nil
}

// setAmount reads a decimal amount in the row's currency, and sets both.
func (f *csvFile) setAmount(header string) error {
	currency, _ := f.get("currency")
	currency = strings.ToUpper(currency)
	if _, err := shop.Decimals(currency); err != nil {
		return f.fail("currency", err)
	}
	raw, _ := f.get(header)
	amount, err := shop.ParseAmount(raw, currency)
	if err != nil {
		return f.fail(header, err)
	}
	if amount.Minor < 0 {
		return f.fail(header, fmt.Errorf("amount %q is negative; a refund is a positive amount of kind refund", raw))
	}
	f.set("currency", amount.Currency)
	f.set(header, amount.Minor)
	return nil
}

// setTime reads an RFC 3339 time and sets it as unix seconds.
func (f *csvFile) setTime(header string) error {
	raw, _ := f.get(header)
	t, err := time.Parse(time.RFC3339, raw)
	if err != nil {
		return f.fail(header, fmt.Errorf("time %q is not RFC 3339, such as 2026-11-01T09:00:00Z", raw))
	}
	f.set(header, t.Unix())
	return nil
}

// fail locates err at a column of the current row, or at the row itself
// when header is "".
func (f *csvFile) fail(header string, err error) *ImportError {
	field := 0
	if header != "" {
		field = max(f.field[f.column(header)], 0)
	}
	line, _ := f.r.FieldPos(field)
	return &ImportError{File: f.name, Line: line, Column: header, Err: err}
}

// args are the current row's values for the present columns.
func (f *csvFile) args() []any {
	args := make([]any, 0, len(f.columns))
	for c, i := range f.field {
		if i >= 0 {
			args = append(args, f.values[c])
		}
	}
	return args
}

// upsertSQL inserts the present columns, or updates them when the key (the
// first column) exists. Names come from the fixed specs, never from the
// file.
func (f *csvFile) upsertSQL() string {
	var cols, marks, updates []string
	for c, i := range f.field {
		if i < 0 {
			continue
		}
		col := f.columns[c].dbColumn
		cols = append(cols, col)
		marks = append(marks, "?")
		if c > 0 {
			updates = append(updates, col+" = excluded."+col)
		}
	}
	query := "INSERT INTO " + f.spec.table + " (" + strings.Join(cols, ", ") + ") VALUES (" + strings.Join(marks, ", ") +
		") ON CONFLICT (" + f.columns[0].dbColumn + ") DO UPDATE SET " + strings.Join(updates, ", ")
	if f.spec.returning != "" {
		query += " RETURNING " + f.spec.returning
	}
	return query
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
