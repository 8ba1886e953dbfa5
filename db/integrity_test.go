package db

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dashapp/db/shop"
)

// corruptFile seeds a database of 500 customers, closes it, and overwrites
// 16 KiB in the middle of the file, as a failing disk does.
func corruptFile(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "shop.db")
	d, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Seed(context.Background(), d, SeedOptions{Customers: 500, RandSeed: 1}); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	garbage := []byte(strings.Repeat("\xde\xad\xbe\xef", 4096))
	if _, err := f.WriteAt(garbage, info.Size()/2); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestQuickCheckFindsCorruption(t *testing.T) {
	d := openTestDBAt(t, corruptFile(t))
	if err := d.QuickCheck(context.Background()); !errors.Is(err, ErrCorrupt) {
		t.Errorf("quick_check of a damaged file: %v, want ErrCorrupt", err)
	}
	if err := openDemoDB(t).QuickCheck(context.Background()); err != nil {
		t.Errorf("quick_check of a good file: %v", err)
	}
}

// The start-up check runs in the background: not ready until it passes,
// and unready with its reason when it fails.
func TestLiveIsNotReadyUntilTheQuickCheckPasses(t *testing.T) {
	d, err := Open(context.Background(), corruptFile(t))
	if err != nil {
		t.Fatal(err)
	}
	l := NewLive(d, nil)
	defer l.Close()
	l.CheckInBackground(context.Background())
	deadline := time.Now().Add(10 * time.Second)
	err = l.Ready(context.Background())
	for err != nil && strings.Contains(err.Error(), "checking") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
		err = l.Ready(context.Background())
	}
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("ready after quick_check of a damaged file: %v, want ErrCorrupt", err)
	}

	good := NewLive(openDemoDB(t), nil)
	good.CheckInBackground(context.Background())
	err = good.Ready(context.Background())
	for err != nil && strings.Contains(err.Error(), "checking") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
		err = good.Ready(context.Background())
	}
	if err != nil {
		t.Errorf("ready after quick_check of a good file: %v", err)
	}
}

// A malformed page met by a request makes the server unready, saying why.
func TestMalformedAtRunTimeMakesLiveUnready(t *testing.T) {
	d, err := Open(context.Background(), corruptFile(t))
	if err != nil {
		t.Fatal(err)
	}
	l := NewLive(d, nil)
	defer l.Close()
	if err := l.Ready(context.Background()); err != nil {
		t.Fatalf("ready before any request met the damage: %v", err)
	}
	var failed error
	for id := int64(1); id <= 500 && failed == nil; id++ {
		ctx := context.Background()
		if _, err := shop.Resolve(ctx, l, shop.Identity{ContactID: scaleContactOffset + id}); err != nil {
			failed = err
		} else if _, err := l.Summary(ctx, id); err != nil {
			failed = err
		} else if page, err := l.Orders(ctx, id, "", 50); err != nil {
			failed = err
		} else {
			// The order detail reads the items and shipments, which fill
			// much of the file since live data came.
			for _, o := range page.Orders {
				if _, err := l.OrderDetail(ctx, id, o.ID); err != nil {
					failed = err
					break
				}
			}
		}
		if failed != nil {
			break
		}
		if _, err := l.Payments(ctx, id, "", 50); err != nil {
			failed = err
		}
	}
	if failed == nil {
		t.Fatal("no request met the damaged pages")
	}
	err = l.Ready(context.Background())
	if err == nil || !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "malformed") {
		t.Errorf("ready after %q: %v, want unready with SQLite's reason", failed, err)
	}
}
