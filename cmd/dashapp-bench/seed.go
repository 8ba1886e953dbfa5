package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"dashapp/db"
)

// seed fills a database with generated customers for load tests.
func seed(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("seed", stdout)
	dbPath := fs.String("db", "bench.db", "SQLite database file")
	n := fs.Int("customers", 1000, "customers to generate (about 10 orders and 12 payments each)")
	randSeed := fs.Uint64("seed", 1, "random seed: the same seed makes the same data")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n <= 0 {
		return fmt.Errorf("seed: --customers must be positive")
	}
	store, err := db.Open(ctx, *dbPath)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer store.Close()
	start := time.Now()
	counts, err := db.Seed(ctx, store, db.SeedOptions{Customers: *n, RandSeed: *randSeed})
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	fmt.Fprintf(stdout, "seeded %d customers, %d orders, %d order items, %d payments in %s\n",
		counts.Customers, counts.Orders, counts.OrderItems, counts.Payments, time.Since(start).Round(time.Millisecond))
	return nil
}
