package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"dashapp/db/shop"
)

// Calls queued behind a busy write connection commit together, each in
// its own savepoint: a failed or cancelled call writes nothing and leaves
// the others' writes alone, and a delivery id sent twice in one group is a
// duplicate the second time.
func TestGroupCommit(t *testing.T) {
	d := openTestDB(t)
	ctx := context.Background()
	started, release := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	var blockerErr error
	wg.Go(func() {
		blockerErr = d.inGroupTx(ctx, func(*sql.Tx) error { close(started); <-release; return nil })
	})
	<-started

	type result struct {
		res shop.IngestResult
		err error
	}
	results := map[string]*result{}
	var mu sync.Mutex
	send := func(name string, ctx context.Context, dlv shop.Delivery, b shop.Batch) {
		r := &result{}
		mu.Lock()
		results[name] = r
		mu.Unlock()
		wg.Go(func() { r.res, r.err = d.Ingest(ctx, dlv, b) })
	}
	orders := func(numbers ...string) shop.Batch {
		var b shop.Batch
		for _, n := range numbers {
			b.Orders = append(b.Orders, liveOrder(t, n, ingestBase))
		}
		return b
	}
	salla := func(id string) shop.Delivery {
		return shop.Delivery{Source: shop.SourceSalla, ID: id, Topic: "order.updated"}
	}
	for i := range 5 {
		send(fmt.Sprintf("good %d", i), ctx, salla(fmt.Sprintf("g-%d", i)), orders(fmt.Sprintf("#G-%d", i)))
	}
	send("dup a", ctx, salla("dup"), orders("#D-1"))
	send("dup b", ctx, salla("dup"), orders("#D-2"))
	bad := orders("#BAD-1")
	bad.Shipments = []shop.ShipmentRecord{{Ref: "salla:s-nope", OrderNumber: "#NOPE", Status: shop.ShipmentInTransit}}
	send("bad", ctx, salla("bad"), bad)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	send("cancelled", cancelled, salla("cancelled"), orders("#C-1"))
	var logErr error
	wg.Go(func() {
		logErr = d.LogDelivery(ctx, shop.DeliveryLog{Source: shop.SourceSalla, DeliveryID: "g-0", Topic: "order.updated", Outcome: shop.OutcomeAccepted, Records: 1})
	})

	// Every call is queued behind the blocked one before it lets go, so
	// they all run as the next group.
	const queued = 10
	deadline := time.Now().Add(5 * time.Second)
	for {
		d.group.mu.Lock()
		n := len(d.group.pending)
		d.group.mu.Unlock()
		if n == queued {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d calls queued, want %d", n, queued)
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()

	if blockerErr != nil || logErr != nil {
		t.Fatalf("blocking call: %v; delivery log: %v", blockerErr, logErr)
	}
	for i := range 5 {
		if r := results[fmt.Sprintf("good %d", i)]; r.err != nil || r.res.Applied != 1 {
			t.Errorf("good %d: %+v, %v", i, r.res, r.err)
		}
	}
	a, b := results["dup a"], results["dup b"]
	if a.err != nil || b.err != nil || a.res.Duplicate == b.res.Duplicate {
		t.Errorf("a delivery sent twice: %+v (%v) and %+v (%v), want one applied and one duplicate", a.res, a.err, b.res, b.err)
	}
	if r := results["bad"]; !errors.Is(r.err, shop.ErrNotFound) {
		t.Errorf("a shipment of an unknown order: %+v, %v", r.res, r.err)
	}
	if r := results["cancelled"]; !errors.Is(r.err, context.Canceled) {
		t.Errorf("a cancelled call: %v", r.err)
	}
	got := map[string]bool{}
	rows, err := d.read.Query(`SELECT number FROM orders`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		got[n] = true
	}
	rows.Close()
	for _, want := range []string{"#G-0", "#G-1", "#G-2", "#G-3", "#G-4"} {
		if !got[want] {
			t.Errorf("order %s was not written", want)
		}
	}
	if got["#D-1"] == got["#D-2"] {
		t.Errorf("orders of the delivery sent twice: #D-1 %v, #D-2 %v, want exactly one", got["#D-1"], got["#D-2"])
	}
	for _, never := range []string{"#BAD-1", "#C-1"} {
		if got[never] {
			t.Errorf("order %s of a failed call was written", never)
		}
	}
	var logged int
	if err := d.read.QueryRow(`SELECT count(*) FROM delivery_log WHERE delivery_id = 'g-0'`).Scan(&logged); err != nil || logged != 1 {
		t.Errorf("delivery log lines for g-0: %d, %v", logged, err)
	}
	if d.group.busy || len(d.group.pending) != 0 {
		t.Error("the write group did not go idle")
	}
}
