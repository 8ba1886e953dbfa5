package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"dashapp/db/shop"
)

// A full disk is the database's fault, not the row it happened on: the
// error names no CSV line.
func TestImportDatabaseErrorNamesNoLine(t *testing.T) {
	d := openTestDB(t)
	var pages int
	if err := d.write.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	// The writer is one connection, so this limit holds for the import.
	if _, err := d.write.Exec(fmt.Sprintf(`PRAGMA max_page_count = %d`, pages+2)); err != nil {
		t.Fatal(err)
	}
	var csv strings.Builder
	csv.WriteString("customer_ref,name,email\n")
	for i := range 5000 {
		fmt.Fprintf(&csv, "R-%d,Customer %d,c%d@example.com\n", i, i, i)
	}
	_, err := Import(context.Background(), d, csvSources(csv.String(), "", ""))
	if err == nil {
		t.Fatal("the import fit in two pages")
	}
	var ie *ImportError
	if errors.As(err, &ie) || strings.Contains(err.Error(), "line") {
		t.Errorf("a full database was blamed on a CSV line: %v", err)
	}
	if !strings.Contains(err.Error(), "full") {
		t.Errorf("error %q does not say the database is full", err)
	}
}

// Closing while another connection still reads an older snapshot leaves
// WAL frames unwritten: Close says so instead of returning nil.
func TestCloseReportsAnIncompleteCheckpoint(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shop.db")
	d, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := SeedDemo(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	reader, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	tx, err := reader.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRow(`SELECT count(*) FROM customers`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if _, err := d.write.Exec(`UPDATE customers SET name = name || '.'`); err != nil {
		t.Fatal(err)
	}
	err = d.Close()
	if err == nil || !strings.Contains(err.Error(), "checkpoint the WAL") {
		t.Errorf("Close = %v, want an incomplete checkpoint reported", err)
	}
}

// On a read-only mount, opening says "read-only", not SQLite's "unable to
// open database file". Mounting needs root: CI runs as root.
func TestOpenOnAReadOnlyMountSaysReadOnly(t *testing.T) {
	if os.Getenv("DASHAPP_TEST_IN_RO_MOUNT") == "" {
		dir := t.TempDir()
		d, err := Open(context.Background(), filepath.Join(dir, "shop.db"))
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
		script := `mount --bind -o ro "$1" "$1" && exec "$2" -test.run '^TestOpenOnAReadOnlyMountSaysReadOnly$' -test.v`
		cmd := exec.Command("unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh", dir, os.Args[0])
		cmd.Env = append(os.Environ(), "DASHAPP_TEST_IN_RO_MOUNT="+dir)
		out, err := cmd.CombinedOutput()
		if err != nil && strings.Contains(string(out), "mount") && !strings.Contains(string(out), "--- FAIL") {
			if os.Getenv("CI") != "" {
				t.Fatalf("cannot make a read-only mount in CI: %v\n%s", err, out)
			}
			t.Skipf("no read-only mount without root (CI runs as root): %v\n%s", err, out)
		}
		if err != nil || !strings.Contains(string(out), "--- PASS") {
			t.Fatalf("in a read-only mount: %v\n%s", err, out)
		}
		return
	}
	dir := os.Getenv("DASHAPP_TEST_IN_RO_MOUNT")
	for _, name := range []string{"shop.db", "new.db"} {
		_, err := Open(context.Background(), filepath.Join(dir, name))
		if err == nil || !strings.Contains(err.Error(), "read-only") {
			t.Errorf("open %s on a read-only mount: %v, want it to say read-only", name, err)
		}
	}
}

// A local number as shops store it matches the E.164 contact the dashboard
// sends; a number that is none is an error naming its line.
func TestImportReadsLocalPhones(t *testing.T) {
	d := openTestDB(t)
	if _, err := Import(context.Background(), d, csvSources("customer_ref,name,phone\nL-1,Local,0501112222\nL-2,Spaced,+971 50 123 4567\n", "", "")); err != nil {
		t.Fatal(err)
	}
	for phone, ref := range map[string]string{"+966501112222": "L-1", "+966 50 111 2222": "L-1", "971501234567": "L-2"} {
		if c := matchOne(t, d, shop.Identity{Phone: phone}); c.Ref != ref || c.Phone == "0501112222" {
			t.Errorf("contact phone %q: matched %s with phone %q, want %s", phone, c.Ref, c.Phone, ref)
		}
	}
	if c := matchOne(t, d, shop.Identity{Phone: "+966501112222"}); c.Phone != "966501112222" {
		t.Errorf("stored phone %q, want E.164 digits 966501112222", c.Phone)
	}
	_, err := Import(context.Background(), d, csvSources("customer_ref,name,phone\nB-1,Fine,0501112223\nB-2,Bad,call me\n", "", ""))
	if err == nil || !strings.Contains(err.Error(), `customers.csv line 3, column "phone"`) {
		t.Errorf("an unreadable phone: %v, want an error at line 3, column phone", err)
	}
}
