package db

import (
	"context"
	"os"
	"testing"
)

// BenchmarkQuickCheck times PRAGMA quick_check through modernc.org/sqlite
// on the benchmark database, or on DASHAPP_BENCH_DB when set (a file made
// with: go run ./cmd/dashapp-bench seed -db big.db -customers 100000, which is
// about 1M orders).
func BenchmarkQuickCheck(b *testing.B) {
	ctx := context.Background()
	d := benchDB(b)
	if path := os.Getenv("DASHAPP_BENCH_DB"); path != "" {
		var err error
		if d, err = Open(ctx, path); err != nil {
			b.Fatal(err)
		}
		defer d.Close()
	}
	info, err := os.Stat(d.Path())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(info.Size())/(1<<20), "MB")
	for b.Loop() {
		if err := d.QuickCheck(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
