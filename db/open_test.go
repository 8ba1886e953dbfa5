package db

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenTwiceKeepsDataAndMigrationsOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shop.db")
	d, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := SeedDemo(ctx, d); err != nil {
		t.Fatal(err)
	}
	before := dumpDB(t, d)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}

	d, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("second open: %v", err)
	}
	defer d.Close()
	if after := dumpDB(t, d); after != before {
		t.Error("data changed across reopening")
	}
	migrations, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	var applied int
	if err := d.read.QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&applied); err != nil {
		t.Fatal(err)
	}
	if applied != len(migrations) {
		t.Errorf("%d migrations recorded, want %d", applied, len(migrations))
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shop.db")
	d, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.write.Exec(`INSERT INTO schema_migrations (version, name) VALUES (9999, '9999_future.sql')`); err != nil {
		t.Fatal(err)
	}
	d.Close()
	if d, err := Open(ctx, path); err == nil {
		d.Close()
		t.Fatal("opened a database with a newer schema")
	} else if !strings.Contains(err.Error(), "newer") {
		t.Errorf("err = %v, want it to say the schema is newer", err)
	}
}

// TestOpenEscapesPath opens files whose names would break a naive DSN.
func TestOpenEscapesPath(t *testing.T) {
	for _, name := range []string{"with space.db", "question?mark.db", "hash#tag.db", "percent%20.db", "amp&x=1.db", "قاعدة.db"} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "dir ?#%")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, name)
			d, err := Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if _, err := os.Stat(path); err != nil {
				t.Errorf("database not created at the exact path: %v", err)
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if !strings.HasPrefix(e.Name(), name) {
					t.Errorf("stray file %q next to %q", e.Name(), name)
				}
			}
			if err := d.Ready(context.Background()); err != nil {
				t.Errorf("ready: %v", err)
			}
		})
	}
}

func TestOpenMissingDirectory(t *testing.T) {
	_, err := Open(context.Background(), filepath.Join(t.TempDir(), "missing", "shop.db"))
	if err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("err = %v, want an error about the directory", err)
	}
}

func TestPoolSettings(t *testing.T) {
	d := openTestDB(t)
	tests := []struct {
		pool, pragma, want string
	}{
		{"write", "journal_mode", "wal"},
		{"write", "foreign_keys", "1"},
		{"write", "busy_timeout", "5000"},
		{"write", "synchronous", "1"},
		{"write", "query_only", "0"},
		{"read", "journal_mode", "wal"},
		{"read", "foreign_keys", "1"},
		{"read", "busy_timeout", "5000"},
		{"read", "synchronous", "1"},
		{"read", "query_only", "1"},
	}
	for _, tt := range tests {
		pool := d.write
		if tt.pool == "read" {
			pool = d.read
		}
		var got string
		if err := pool.QueryRow("PRAGMA " + tt.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("%s pool: PRAGMA %s = %q, want %q", tt.pool, tt.pragma, got, tt.want)
		}
	}
	if _, err := d.read.Exec(`INSERT INTO customers (ref, name) VALUES ('X', 'x')`); err == nil {
		t.Error("the read pool accepted a write")
	}
	if got := d.write.Stats().MaxOpenConnections; got != 1 {
		t.Errorf("write pool allows %d connections, want 1", got)
	}
}

func TestReady(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		damage  func(t *testing.T, path string)
		wantErr string
	}{
		{"healthy", func(*testing.T, string) {}, ""},
		{"deleted", func(t *testing.T, path string) {
			for _, suffix := range []string{"", "-wal", "-shm"} {
				if err := os.Remove(path + suffix); err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
			}
		}, "no longer exists"},
		{"read-only", func(t *testing.T, path string) {
			if err := os.Chmod(path, 0o444); err != nil {
				t.Fatal(err)
			}
		}, "read-only"},
		{"replaced", func(t *testing.T, path string) {
			if err := os.Rename(path, path+".old"); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}, "replaced"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := openTestDB(t)
			tt.damage(t, d.Path())
			err := d.Ready(ctx)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Ready = %v, want nil", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Ready = %v, want an error containing %q", err, tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), d.Path()):
				t.Errorf("Ready = %v, want it to name the file", err)
			}
		})
	}
}

func TestIsEmpty(t *testing.T) {
	ctx := context.Background()
	d := openTestDB(t)
	if empty, err := d.IsEmpty(ctx); err != nil || !empty {
		t.Errorf("new database: IsEmpty = %v, %v; want true", empty, err)
	}
	if err := SeedDemo(ctx, d); err != nil {
		t.Fatal(err)
	}
	if empty, err := d.IsEmpty(ctx); err != nil || empty {
		t.Errorf("seeded database: IsEmpty = %v, %v; want false", empty, err)
	}
}

// TestOpenConcurrently opens one new file from several handles at once, as
// two processes starting together would: each migration applies once.
func TestOpenConcurrently(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shop.db")
	const handles = 4
	errs := make(chan error, handles)
	dbs := make(chan *DB, handles)
	for range handles {
		go func() {
			d, err := Open(context.Background(), path)
			errs <- err
			dbs <- d
		}()
	}
	for range handles {
		if err := <-errs; err != nil {
			t.Error(err)
		}
		if d := <-dbs; d != nil {
			defer d.Close()
		}
	}
	d := openTestDBAt(t, path)
	migrations, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	var applied int
	if err := d.read.QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&applied); err != nil {
		t.Fatal(err)
	}
	if applied != len(migrations) {
		t.Errorf("%d migrations recorded, want %d", applied, len(migrations))
	}
}
