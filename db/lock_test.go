package db

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"dashapp/db/shop"
)

// holdWriteLock takes the file's write lock from another handle, as a long
// import in another process does, until the test ends.
func holdWriteLock(t *testing.T, path string) (release func()) {
	t.Helper()
	other, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	conn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	var once bool
	release = func() {
		if once {
			return
		}
		once = true
		conn.ExecContext(context.Background(), "ROLLBACK")
		conn.Close()
		other.Close()
	}
	t.Cleanup(release)
	return release
}

func TestOpenWhileAnotherHandleHoldsTheWriteLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shop.db")
	first := openTestDBAt(t, path)
	if err := SeedDemo(context.Background(), first); err != nil {
		t.Fatal(err)
	}
	holdWriteLock(t, path)

	// Every migration is applied: opening must not wait for the lock.
	second, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open during another's write transaction: %v", err)
	}
	defer second.Close()
	if err := second.Ready(context.Background()); err != nil {
		t.Errorf("ready during another's write transaction: %v", err)
	}
	m, err := shop.Resolve(context.Background(), second, shop.Identity{ContactID: 1})
	if err != nil || len(m.Customers) != 1 {
		t.Errorf("read during another's write transaction: %+v, %v", m, err)
	}

	// A second import cannot start, and says why in words.
	_, err = Import(context.Background(), second, ImportSources{Customers: NamedReader{Name: "c.csv", R: strings.NewReader("customer_ref,name\nX-1,X\n")}})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("import during another's write transaction: %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), "another import holds the database") {
		t.Errorf("import error %q does not say another import holds the database", err)
	}
}

func TestPendingMigrationWhileLockedSaysSo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	// An empty file in WAL mode, locked by another handle: its migrations
	// are pending and must wait for the lock.
	holdWriteLock(t, path)
	_, err := Open(context.Background(), path)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("open of a new locked file: %v, want ErrLocked", err)
	}
}
