package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"dashapp/db"
)

// importCSV loads a shop's own customers, orders and payments.
func importCSV(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlags("import", stdout)
	dbPath := fs.String("db", envOr(getenv, "DASHAPP_DB", "dashapp.db"), "SQLite database file (DASHAPP_DB)")
	customers := fs.String("customers", "", "customers CSV: customer_ref,name,email,phone,identifier,contact_id")
	orders := fs.String("orders", "", "orders CSV: order_number,customer_ref,status,currency,total,placed_at[,item_count]")
	payments := fs.String("payments", "", "payments CSV: payment_ref,customer_ref,order_number,kind,method,card_brand,card_last4,status,amount,currency,created_at")
	items := fs.String("items", "", "order lines CSV: order_number,name,quantity,unit_price[,sku,line_total]")
	shipments := fs.String("shipments", "", "shipments CSV: shipment_ref,order_number,status[,carrier,tracking_number,tracking_url,status_at]")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *customers == "" && *orders == "" && *payments == "" && *items == "" && *shipments == "" {
		return fmt.Errorf("import: give at least one of --customers, --orders, --payments, --items, --shipments")
	}
	var src db.ImportSources
	for _, f := range []struct {
		path   string
		target *db.NamedReader
	}{{*customers, &src.Customers}, {*orders, &src.Orders}, {*payments, &src.Payments}, {*items, &src.Items}, {*shipments, &src.Shipments}} {
		if f.path == "" {
			continue
		}
		file, err := os.Open(f.path)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		defer file.Close()
		*f.target = db.NamedReader{Name: f.path, R: file}
	}
	store, err := db.Open(ctx, *dbPath)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer store.Close()
	// Writing into a damaged file would spread the damage.
	if err := store.QuickCheck(ctx); err != nil {
		return fmt.Errorf("import: %w; nothing was imported: restore the file from a backup or import into a new one", err)
	}
	start := time.Now()
	counts, err := importWhenUnlocked(ctx, store, src, stdout)
	if err != nil {
		return fmt.Errorf("import: %w (nothing was imported)", err)
	}
	fmt.Fprintf(stdout, "imported %d customers, %d orders, %d payments, %d order items, %d shipments in %s\n",
		counts.Customers, counts.Orders, counts.Payments, counts.Items, counts.Shipments, time.Since(start).Round(time.Millisecond))
	return nil
}

// importWhenUnlocked waits, saying so once, while another import holds the
// write lock: a nightly import started twice runs twice, one after the
// other. Nothing of the files is read before the lock is held.
func importWhenUnlocked(ctx context.Context, store *db.DB, src db.ImportSources, stdout io.Writer) (db.ImportCounts, error) {
	said := false
	for {
		counts, err := db.Import(ctx, store, src)
		if !errors.Is(err, db.ErrLocked) {
			return counts, err
		}
		if !said {
			fmt.Fprintln(stdout, "another import holds the database; waiting for it to finish (Ctrl-C to stop)…")
			said = true
		}
		select {
		case <-ctx.Done():
			return db.ImportCounts{}, err
		case <-time.After(time.Second):
		}
	}
}

// healthcheck lets a container check the server with the binary itself:
// the final image has no curl or shell.
func healthcheck(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlags("healthcheck", stdout)
	addr := fs.String("addr", envOr(getenv, "DASHAPP_ADDR", "localhost:8080"), "address the server listens on (DASHAPP_ADDR)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	host, port, err := splitAddr(*addr)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+host+":"+port+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: /healthz answered %s", resp.Status)
	}
	fmt.Fprintln(stdout, "ok")
	return nil
}
