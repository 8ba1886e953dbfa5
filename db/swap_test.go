package db

import (
	"bytes"
	"context"
	"database/sql"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"dashapp/db/shop"
)

// buildReplacement makes, beside path, a database whose contact 1 is
// "Replacement" with one order R-1, closed (so checkpointed, no WAL), and
// returns its path.
func buildReplacement(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "next.db")
	d, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Import(context.Background(), d, csvSources("customer_ref,name,contact_id\nR,Replacement,1\n",
		"order_number,customer_ref,status,currency,total,placed_at\nR-1,R,paid,SAR,1.00,2026-11-01T09:00:00Z\n", "")); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// startLive serves a demo database at dir/shop.db whose latest writes are
// still in its WAL, and follows the file every 20 ms.
func startLive(t *testing.T, dir string) (*Live, *bytes.Buffer, *sync.Mutex) {
	t.Helper()
	d, err := Open(context.Background(), filepath.Join(dir, "shop.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := SeedDemo(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	// Frames the old file's WAL holds and its main file does not: a new
	// file opened through this WAL would show them.
	if _, err := d.write.Exec(`UPDATE customers SET name = 'Old ' || name`); err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	var mu sync.Mutex
	l := NewLive(d, slog.New(slog.NewTextHandler(&lockedWriter{&logged, &mu}, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	go l.Watch(ctx, 20*time.Millisecond)
	t.Cleanup(func() {
		cancel()
		if err := l.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return l, &logged, &mu
}

type lockedWriter struct {
	b  *bytes.Buffer
	mu *sync.Mutex
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// request is one panel request: the customer of contact 1 and their orders,
// read under one pin. It fails the test on an error, or on data from two
// files.
func request(t *testing.T, l *Live) string {
	ctx, release := l.Hold(context.Background())
	defer release()
	m, err := shop.Resolve(ctx, l, shop.Identity{ContactID: 1})
	if err != nil || len(m.Customers) != 1 {
		t.Errorf("match during the switch: %+v, %v", m, err)
		return ""
	}
	c := m.Customers[0]
	page, err := l.Orders(ctx, c.ID, "", 50)
	if err != nil {
		t.Errorf("orders during the switch: %v", err)
		return ""
	}
	fromReplacement := len(page.Orders) == 1 && page.Orders[0].Number == "R-1"
	switch {
	case c.Name == "Replacement" && !fromReplacement, c.Name != "Replacement" && fromReplacement:
		t.Errorf("one request read two files: customer %q with orders %+v", c.Name, page.Orders)
	case c.Name != "Replacement" && !strings.HasPrefix(c.Name, "Old "):
		t.Errorf("customer %q: the old file without its WAL", c.Name)
	}
	return c.Name
}

func TestReplacingTheFileSwitchesWithoutFailingOrMixing(t *testing.T) {
	dir := t.TempDir()
	l, logged, mu := startLive(t, dir)
	if name := request(t, l); name != "Old Layla Al-Harbi" {
		t.Fatalf("before: contact 1 is %q", name)
	}

	// A request in flight when the file is replaced reads the old file to
	// its end, and the switch waits for it.
	pinned, release := l.Hold(context.Background())
	next := buildReplacement(t, dir)
	if err := os.Rename(next, filepath.Join(dir, "shop.db")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // several ticks of the watcher
	if m, err := shop.Resolve(pinned, l, shop.Identity{ContactID: 1}); err != nil || m.Customers[0].Name != "Old Layla Al-Harbi" {
		t.Errorf("the request in flight: %+v, %v; want the old file", m, err)
	}

	// Requests keep coming during the switch; each sees one whole file.
	var stop atomic.Bool
	var wg sync.WaitGroup
	var sawNew atomic.Int64
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				if request(t, l) == "Replacement" {
					sawNew.Add(1)
				}
			}
		}()
	}
	release()
	deadline := time.Now().Add(5 * time.Second)
	for sawNew.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	stop.Store(true)
	wg.Wait()
	if sawNew.Load() == 0 {
		mu.Lock()
		t.Fatalf("the replacement was never served:\n%s", logged)
	}
	if name := request(t, l); name != "Replacement" {
		t.Errorf("after: contact 1 is %q", name)
	}
	if err := l.Ready(context.Background()); err != nil {
		t.Errorf("ready after the switch: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if !strings.Contains(logged.String(), "now serving the new one") {
		t.Errorf("the switch was not logged:\n%s", logged)
	}
}

func TestInvalidReplacementKeepsTheOldFile(t *testing.T) {
	dir := t.TempDir()
	l, logged, mu := startLive(t, dir)
	for _, bad := range []struct{ name, body, why string }{
		{"not sqlite", strings.Repeat("not a database ", 1000), "not a SQLite database"},
		{"another app's", "", "not a dashapp database"},
	} {
		path := filepath.Join(dir, "bad.db")
		if bad.body != "" {
			if err := os.WriteFile(path, []byte(bad.body), 0o644); err != nil {
				t.Fatal(err)
			}
		} else {
			other, err := sqlOpen(path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := other.Exec(`CREATE TABLE notes (body TEXT)`); err != nil {
				t.Fatal(err)
			}
			other.Close()
		}
		if err := os.Rename(path, filepath.Join(dir, "shop.db")); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for !strings.Contains(l.Warning(), bad.why) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if !strings.Contains(l.Warning(), bad.why) || !strings.Contains(l.Warning(), "still serving the previous one") {
			t.Errorf("%s: warning %q, want it to say %q and that the old file serves", bad.name, l.Warning(), bad.why)
		}
		if name := request(t, l); name != "Old Layla Al-Harbi" {
			t.Errorf("%s: contact 1 is %q, want the old file's", bad.name, name)
		}
		if err := l.Ready(context.Background()); err != nil {
			t.Errorf("%s: ready: %v; the old file still serves", bad.name, err)
		}
	}
	mu.Lock()
	if !strings.Contains(logged.String(), "replacement database refused") {
		t.Errorf("the refusal was not logged:\n%s", logged)
	}
	mu.Unlock()

	// A good file after the bad ones is loaded, and the warning goes.
	if err := os.Rename(buildReplacement(t, dir), filepath.Join(dir, "shop.db")); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for request(t, l) != "Replacement" && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if name := request(t, l); name != "Replacement" {
		t.Errorf("after a good replacement: contact 1 is %q", name)
	}
	if l.Warning() != "" {
		t.Errorf("warning after a good replacement: %q", l.Warning())
	}
}

// sqlOpen opens a plain SQLite file, as another program would.
func sqlOpen(path string) (*sql.DB, error) { return sql.Open("sqlite", path) }
