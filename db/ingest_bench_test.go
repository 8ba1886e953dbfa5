package db

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"dashapp/db/shop"
)

// ingestBatch is an /ingest-sized batch: n/2 customers and n/2 orders with
// 3 items each, every order naming a customer of the batch.
func ingestBatch(n int, prefix string, updated time.Time) shop.Batch {
	var b shop.Batch
	for i := range n / 2 {
		ref := fmt.Sprintf("api:%s-c%d", prefix, i)
		b.Customers = append(b.Customers, shop.CustomerRecord{Ref: ref, Name: fmt.Sprintf("Customer %d", i),
			Email: fmt.Sprintf("%s.c%d@example.com", prefix, i), Phone: fmt.Sprintf("+966 55 %07d", i), UpdatedAt: updated})
		items := make([]shop.ItemRecord, 3)
		var total int64
		for j := range items {
			unit := int64(1000 + 250*j + i%97)
			items[j] = shop.ItemRecord{SKU: "SKU-" + strconv.Itoa(j), Name: "Product " + strconv.Itoa(j), Quantity: 1 + j%2,
				UnitPrice: shop.Money{Minor: unit, Currency: "SAR"}}
			total += unit * int64(1+j%2)
		}
		b.Orders = append(b.Orders, shop.OrderRecord{Number: fmt.Sprintf("%s-%d", prefix, i), CustomerRef: ref, Status: shop.OrderPaid,
			PaymentStatus: shop.OrderPaymentPaid, Total: shop.Money{Minor: total, Currency: "SAR"}, PlacedAt: updated.Add(-time.Hour),
			UpdatedAt: updated, ShippingAddress: &shop.Address{Name: "Customer", City: "Riyadh", Country: "SA", Line: "Street 1"},
			Items: items})
	}
	return b
}

// BenchmarkIngest applies one 10,000-record batch (5,000 customers and
// 5,000 orders of 3 items) to the 2,000-customer benchmark database:
// first as new rows, then the same refs again, newer (every row updated,
// every order's items replaced). records/s counts the batch's records.
func BenchmarkIngest(b *testing.B) {
	const records = 10_000
	for _, mode := range []string{"insert", "update"} {
		b.Run(mode, func(b *testing.B) {
			benchIngestBatches(b, records, func(round int) shop.Batch {
				prefix := "B" + strconv.Itoa(round)
				if mode == "update" {
					prefix = "B"
				}
				return ingestBatch(records, prefix, seedBase.Add(time.Duration(round)*time.Second))
			})
		})
	}
}

// benchIngestBatches ingests batch(round) of records records, one a round,
// into a new 2,000-customer benchmark database, timing the Ingest calls
// alone by the wall clock and by the process's CPU time.
func benchIngestBatches(b *testing.B, records int, batch func(round int) shop.Batch) {
	ctx := context.Background()
	d, err := Open(ctx, filepath.Join(b.TempDir(), "ingest.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	if _, err := Seed(ctx, d, SeedOptions{Customers: benchCustomers, RandSeed: 1}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var elapsed, cpu time.Duration
	round := 0
	for b.Loop() {
		b.StopTimer()
		next := batch(round)
		round++
		b.StartTimer()
		start, startCPU := time.Now(), processCPU(b)
		res, err := d.Ingest(ctx, shop.Delivery{Source: shop.SourceAPI, ID: "bench-" + strconv.Itoa(round)}, next)
		elapsed, cpu = elapsed+time.Since(start), cpu+processCPU(b)-startCPU
		if err != nil {
			b.Fatal(err)
		}
		if res.Applied != records {
			b.Fatalf("applied %d of %d", res.Applied, records)
		}
	}
	b.ReportMetric(float64(records*round)/elapsed.Seconds(), "records/s")
	// On a shared machine the wall clock counts other processes'
	// turns; the process's CPU time does not.
	b.ReportMetric(float64(records*round)/cpu.Seconds(), "records/cpu-s")
}

// processCPU is the user and system time the process has used.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkIngestOrderUpdate is one platform delivery at a time: an
// orders/updated webhook for a random existing order (customer, order, 3
// items, a shipment), each its own transaction with its delivery id, then
// its log line, as a webhook handler does.
func BenchmarkIngestOrderUpdate(b *testing.B) {
	ctx := context.Background()
	d, err := Open(ctx, filepath.Join(b.TempDir(), "webhooks.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	const orders = 5000
	seedBatch := ingestBatch(2*orders, "#", seedBase)
	for i := range seedBatch.Orders {
		seedBatch.Orders[i].Source, seedBatch.Orders[i].ExternalID = shop.SourceShopify, strconv.Itoa(5_000_000+i)
	}
	if _, err := d.Ingest(ctx, shop.Delivery{Source: shop.SourceShopify}, seedBatch); err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	b.ReportAllocs()
	i := 0
	startCPU := processCPU(b)
	for b.Loop() {
		k := rng.IntN(orders)
		o := seedBatch.Orders[k]
		c := seedBatch.Customers[k]
		c.Source, c.UpdatedAt = shop.SourceShopify, seedBase.Add(time.Duration(i)*time.Second)
		o.Customer, o.UpdatedAt, o.Status = &c, c.UpdatedAt, shop.OrderShipped
		o.Shipments = []shop.ShipmentRecord{{Ref: "shopify:f" + strconv.Itoa(k), Carrier: "DHL", TrackingNumber: strconv.Itoa(1_000_000_000 + k),
			TrackingURL: "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id=" + strconv.Itoa(1_000_000_000+k),
			Status:      shop.ShipmentInTransit, UpdatedAt: c.UpdatedAt}}
		id := "wh-" + strconv.Itoa(i)
		res, err := d.Ingest(ctx, shop.Delivery{Source: shop.SourceShopify, ID: id, Topic: "orders/updated"}, shop.Batch{Orders: []shop.OrderRecord{o}})
		if err != nil || res.Applied != 1 {
			b.Fatalf("%+v, %v", res, err)
		}
		if err := d.LogDelivery(ctx, shop.DeliveryLog{Source: shop.SourceShopify, DeliveryID: id, Topic: "orders/updated",
			Outcome: shop.OutcomeAccepted, Records: res.Applied}); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "deliveries/s")
	b.ReportMetric(float64(i)/(processCPU(b)-startCPU).Seconds(), "deliveries/cpu-s")
}

// mixBatch is the batch of a 10,000-record /ingest request in the
// proportions dashapp-bench sends over HTTP: per 10 records, 2 customers,
// 4 orders with an address and 3 items (each naming the first of the two
// customers), 2 payments and 2 shipments (of the first of the four orders).
func mixBatch(n int, prefix string) shop.Batch {
	var b shop.Batch
	placed := time.Date(2026, 11, 1, 6, 30, 0, 0, time.UTC)
	for i := range n {
		c := i / 10
		customer := fmt.Sprintf("%s-C-%d-0", prefix, c)
		firstOrder := fmt.Sprintf("%s-A-%d", prefix, c*10+2)
		switch i % 10 {
		case 0, 1:
			b.Customers = append(b.Customers, shop.CustomerRecord{Ref: fmt.Sprintf("%s-C-%d-%d", prefix, c, i%10), Source: shop.SourceAPI,
				Name: fmt.Sprintf("Customer %d", i), Email: fmt.Sprintf("%s-%d-%d@bench.example", prefix, c, i%10),
				Phone: fmt.Sprintf("+9665%08d", i), UpdatedAt: placed})
		case 2, 3, 4, 5:
			sar := func(minor int64) shop.Money { return shop.Money{Minor: minor, Currency: "SAR"} }
			b.Orders = append(b.Orders, shop.OrderRecord{Number: fmt.Sprintf("%s-A-%d", prefix, i), Source: shop.SourceAPI, CustomerRef: customer,
				Status: shop.OrderPaid, PaymentStatus: shop.OrderPaymentPaid, Total: sar(44950), PlacedAt: placed, UpdatedAt: placed.Add(time.Hour),
				ShippingAddress: &shop.Address{Name: "Customer", Phone: "+966500000001", City: "Riyadh", Country: "SA", Line: "King Fahd Rd 1"},
				Items: []shop.ItemRecord{{SKU: "MUG-1", Name: "Mug", Quantity: 2, UnitPrice: sar(4975), LineTotal: sar(9950)},
					{SKU: "BAG-2", Name: "Bag", Quantity: 1, UnitPrice: sar(25000), LineTotal: sar(25000)},
					{SKU: "PEN-3", Name: "Pen", Quantity: 10, UnitPrice: sar(1000), LineTotal: sar(10000)}}})
		case 6, 7:
			b.Payments = append(b.Payments, shop.PaymentRecord{Ref: fmt.Sprintf("%s-P-%d", prefix, i), Source: shop.SourceAPI, CustomerRef: customer,
				OrderNumber: firstOrder, Kind: shop.KindCharge, Method: "card", CardBrand: "visa", CardLast4: "4242",
				Status: shop.PaymentSucceeded, Amount: shop.Money{Minor: 44950, Currency: "SAR"}, CreatedAt: placed.Add(time.Minute)})
		default:
			b.Shipments = append(b.Shipments, shop.ShipmentRecord{Ref: fmt.Sprintf("%s-S-%d", prefix, i), Source: shop.SourceAPI,
				OrderNumber: firstOrder, Carrier: "Aramex", TrackingNumber: fmt.Sprintf("AX%d", i),
				TrackingURL: fmt.Sprintf("https://aramex.example/track/AX%d", i), Status: shop.ShipmentInTransit, StatusAt: placed.Add(3 * time.Hour)})
		}
	}
	return b
}

// BenchmarkIngestMix is the database's share of a 10,000-record /ingest
// request as dashapp-bench sends it (mixBatch), new refs every time.
func BenchmarkIngestMix(b *testing.B) {
	const records = 10_000
	benchIngestBatches(b, records, func(round int) shop.Batch { return mixBatch(records, "M"+strconv.Itoa(round)) })
}
