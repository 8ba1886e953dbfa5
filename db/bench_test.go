package db

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"dashapp/db/shop"
)

// benchCustomers sizes the database the read benchmarks share.
const benchCustomers = 2000

var bench struct {
	once sync.Once
	dir  string
	db   *DB
	err  error
}

// TestMain removes the shared benchmark database once every test and
// benchmark is done with it.
func TestMain(m *testing.M) {
	code := m.Run()
	if bench.db != nil {
		bench.db.Close()
	}
	if bench.dir != "" {
		os.RemoveAll(bench.dir)
	}
	os.Exit(code)
}

// benchDB is a database seeded with benchCustomers customers, built once
// per test process.
func benchDB(b *testing.B) *DB {
	bench.once.Do(func() {
		if bench.dir, bench.err = os.MkdirTemp("", "dashapp-bench-"); bench.err != nil {
			return
		}
		ctx := context.Background()
		if bench.db, bench.err = Open(ctx, filepath.Join(bench.dir, "bench.db")); bench.err != nil {
			return
		}
		_, bench.err = Seed(ctx, bench.db, SeedOptions{Customers: benchCustomers, RandSeed: 1})
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	return bench.db
}

// benchCustomerID cycles through the seeded customers.
func benchCustomerID(i int) int64 { return int64(i%benchCustomers) + 1 }

func BenchmarkMatch(b *testing.B) {
	d := benchDB(b)
	ctx := context.Background()
	identities := []struct {
		name string
		make func(id int64) shop.Identity
	}{
		{"customer_ref", func(id int64) shop.Identity { return shop.Identity{CustomerRef: ScaleCustomer(id).Ref} }},
		{"contact_id", func(id int64) shop.Identity { return shop.Identity{ContactID: scaleContactOffset + id} }},
		{"email", func(id int64) shop.Identity { return shop.Identity{Email: fmt.Sprintf("S%d@Example.org", id)} }},
		{"phone", func(id int64) shop.Identity { return shop.Identity{Phone: fmt.Sprintf("+966 11 %07d", id)} }},
		{"no_match", func(id int64) shop.Identity {
			return shop.Identity{ContactID: 999_999_999, Identifier: "nobody", Email: "nobody@example.org", Phone: "+966 59 999 9999"}
		}},
	}
	for _, tt := range identities {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				m, err := shop.Resolve(ctx, d, tt.make(benchCustomerID(i)))
				if err != nil {
					b.Fatal(err)
				}
				if (tt.name == "no_match") != (len(m.Customers) == 0) {
					b.Fatalf("%s: matched %d customers", tt.name, len(m.Customers))
				}
				i++
			}
		})
	}
}

func BenchmarkSummary(b *testing.B) {
	d := benchDB(b)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := d.Summary(ctx, benchCustomerID(i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkOrders(b *testing.B) {
	d := benchDB(b)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := d.Orders(ctx, benchCustomerID(i), "", 20); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkPayments(b *testing.B) {
	d := benchDB(b)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := d.Payments(ctx, benchCustomerID(i), "", 20); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkSeed measures the scale seed; rows/s counts every table.
func BenchmarkSeed(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	var rows int
	var elapsed time.Duration
	for b.Loop() {
		b.StopTimer()
		d, err := Open(ctx, filepath.Join(b.TempDir(), "seed.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		counts, err := Seed(ctx, d, SeedOptions{Customers: 1000, RandSeed: 1})
		elapsed += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		rows += counts.Customers + counts.Orders + counts.OrderItems + counts.Payments
		b.StopTimer()
		d.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(rows)/elapsed.Seconds(), "rows/s")
}

// importCSV generates import files: customers with about 10 orders and
// 12 payments each.
func importCSV(customers int) (c, o, p string, rows int) {
	var cb, ob, pb strings.Builder
	cb.WriteString("customer_ref,name,email,phone,identifier,contact_id\n")
	ob.WriteString("order_number,customer_ref,status,currency,total,placed_at,item_count\n")
	pb.WriteString("payment_ref,customer_ref,order_number,kind,method,card_brand,card_last4,status,amount,currency,created_at\n")
	base := seedBase.Add(-365 * 24 * time.Hour)
	order, payment := 0, 0
	for i := range customers {
		fmt.Fprintf(&cb, "B-%d,Bench Customer %d,B%d@Example.com,+966 50 %07d,bench-%d,%d\n", i, i, i, i, i, 50000+i)
		rows++
		for j := range 10 {
			order++
			placed := base.Add(time.Duration(order) * time.Minute).Format(time.RFC3339)
			total := fmt.Sprintf("%d.%02d", 10+order%500, order%100)
			status := shop.OrderStatuses[(i+j)%len(shop.OrderStatuses)]
			fmt.Fprintf(&ob, "BO-%d,B-%d,%s,SAR,%s,%s,%d\n", order, i, status, total, placed, 1+j%3)
			rows++
			payment++
			fmt.Fprintf(&pb, "BP-%d,B-%d,BO-%d,charge,card,visa,4242,succeeded,%s,SAR,%s\n", payment, i, order, total, placed)
			rows++
			if j%5 == 0 {
				payment++
				fmt.Fprintf(&pb, "BP-%d,B-%d,BO-%d,refund,card,visa,4242,succeeded,%s,SAR,%s\n", payment, i, order, total, placed)
				rows++
			}
		}
	}
	return cb.String(), ob.String(), pb.String(), rows
}

// BenchmarkImport imports generated files into a fresh database; rows/s
// counts the rows of all three files.
func BenchmarkImport(b *testing.B) {
	ctx := context.Background()
	c, o, p, rows := importCSV(1000)
	b.ReportAllocs()
	b.SetBytes(int64(len(c) + len(o) + len(p)))
	var elapsed time.Duration
	imports := 0
	for b.Loop() {
		b.StopTimer()
		d, err := Open(ctx, filepath.Join(b.TempDir(), "import.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		counts, err := Import(ctx, d, csvSources(c, o, p))
		elapsed += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		if got := counts.Customers + counts.Orders + counts.Payments; got != rows {
			b.Fatalf("imported %d rows, want %d", got, rows)
		}
		imports++
		b.StopTimer()
		d.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(rows*imports)/elapsed.Seconds(), "rows/s")
}
