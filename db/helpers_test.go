package db

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// openTestDB opens a fresh database file in the test's temporary directory.
func openTestDB(t testing.TB) *DB {
	t.Helper()
	return openTestDBAt(t, filepath.Join(t.TempDir(), "shop.db"))
}

// openTestDBAt opens the database at path, closing it when the test ends.
func openTestDBAt(t testing.TB, path string) *DB {
	t.Helper()
	d, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := d.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return d
}

// openDemoDB opens a fresh database filled by SeedDemo.
func openDemoDB(t testing.TB) *DB {
	t.Helper()
	d := openTestDB(t)
	if err := SeedDemo(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	return d
}

// dumpTables are the tables dumpDB writes, each ordered by id.
var dumpTables = []string{"customers", "orders", "order_items", "payments", "shipments"}

// dumpDB renders every row of every shop table as text, to compare two
// databases or one database before and after an operation.
func dumpDB(t testing.TB, d *DB) string {
	t.Helper()
	var b strings.Builder
	for _, table := range dumpTables {
		rows, err := d.read.Query("SELECT * FROM " + table + " ORDER BY id")
		if err != nil {
			t.Fatalf("dump %s: %v", table, err)
		}
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		values := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range values {
			ptrs[i] = &values[i]
		}
		fmt.Fprintf(&b, "-- %s %v\n", table, cols)
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%q\n", values)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return b.String()
}

// tableCounts counts the rows of each shop table.
func tableCounts(t testing.TB, d *DB) map[string]int {
	t.Helper()
	counts := map[string]int{}
	for _, table := range dumpTables {
		var n int
		if err := d.read.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		counts[table] = n
	}
	return counts
}
