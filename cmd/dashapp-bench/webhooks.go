package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/valyala/fasthttp"

	"dashapp/cmd/dashapp-bench/loadgen"
	"dashapp/db"
	"dashapp/db/shop"
	"dashapp/handlers/explorer"
)

// The secrets of the server under test; the bench signs with them.
const (
	benchShopifySecret = "dashapp-bench-shopify-secret"
	benchIngestToken   = "dashapp-bench-ingest-token"
)

// benchWebhooks measures live shop data over HTTP against a "dashapp serve"
// child process on a scale database (issue 11's targets):
//
//   - /ingest: 10,000-record NDJSON batches, end to end;
//   - signed Shopify orders/updated deliveries (about 6 KB, 3 line items,
//     one fulfilment) for random orders that exist, at --connections,
//     while POST /context runs beside them at --context-connections;
//   - POST /context alone before that, for comparison;
//   - POST /context for a customer whose orders carry items and shipments
//     and for one whose orders carry neither, in alternating rounds.
//
// The server's log is read for 5xx answers and "database is locked".
func benchWebhooks(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("webhooks", stdout)
	server := fs.String("server", "", `dashapp binary to measure; empty: "go build ./cmd/dashapp" into a temporary directory`)
	dbPath := fs.String("db", "bench-live.db", "SQLite database file: seeded when empty, reused otherwise (the bench adds its own customers and orders)")
	customers := fs.Int("customers", 20_000, "scale customers to seed, and to draw POST /context requests from")
	duration := fs.Duration("duration", 10*time.Second, "load time of the deliveries (and of POST /context alone)")
	conns := fs.Int("connections", 8, "connections sending Shopify deliveries")
	contextConns := fs.Int("context-connections", 2, "connections sending POST /context beside the deliveries")
	contextRate := fs.Float64("context-rate", 100, "POST /context a second beside the deliveries, paced (agents opening conversations); 0: as fast as the connections go")
	orders := fs.Int("orders", 4_000, "Shopify orders created before the run, that the deliveries update")
	batches := fs.Int("batches", 5, "10,000-record /ingest batches to time")
	rounds := fs.Int("rounds", 4, "alternating rounds of POST /context with and without items and shipments")
	ingestOnly := fs.Bool("ingest-only", false, "time the /ingest batches and stop: the quick run for work on /ingest alone")
	payload := fs.String("payload", filepath.Join("handlers", "appcontext", "testdata", "layla.json"), "host message whose contact is rewritten per request")
	orderFixture := fs.String("order", filepath.Join("handlers", "webhooks", "shopify", "testdata", "order.json"), "Shopify's documented order, trimmed to about 6 KB for the deliveries")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *customers <= 0 || *conns <= 0 || *contextConns <= 0 || *duration <= 0 || *orders <= 0 || *batches <= 0 || *rounds <= 0 {
		return errors.New("bench webhooks: every count and --duration must be positive")
	}
	message, err := os.ReadFile(*payload)
	if err != nil {
		return fmt.Errorf("bench webhooks: payload (run from the repository root, or pass --payload): %w", err)
	}
	tmpl, err := loadgen.NewPayload(message)
	if err != nil {
		return fmt.Errorf("bench webhooks: %s: %w", *payload, err)
	}
	raw, err := os.ReadFile(*orderFixture)
	if err != nil {
		return fmt.Errorf("bench webhooks: Shopify order (run from the repository root, or pass --order): %w", err)
	}
	delivery, err := newShopifyOrder(raw)
	if err != nil {
		return err
	}
	if err := prepareBenchDB(ctx, *dbPath, *customers, stdout); err != nil {
		return err
	}

	binary, cleanup, err := serverBinary(ctx, *server, stderr)
	if err != nil {
		return err
	}
	defer cleanup()
	logs := newLogWatch()
	srv, err := startServer(ctx, binary, *dbPath, logs, "DASHAPP_SHOPIFY_SECRET="+benchShopifySecret, "DASHAPP_INGEST_TOKEN="+benchIngestToken)
	if err != nil {
		return err
	}
	defer srv.stop()
	client := &fasthttp.HostClient{Addr: strings.TrimPrefix(srv.base, "http://"), MaxConns: *conns + *contextConns,
		ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second, MaxResponseBodySize: 16 << 20}
	// Each run draws its own refs, so a reused database takes new rows.
	run := strconv.FormatInt(time.Now().Unix(), 36)
	fmt.Fprintf(stdout, "server: child process %d on %s, run %s\n", srv.cmd.Process.Pid, srv.base, run)

	// (c) /ingest, one 10,000-record batch at a time.
	var ingestTimes, ingestCPU []time.Duration
	for i := range *batches {
		body := ingestBatch(fmt.Sprintf("%s-%d", run, i), 10_000)
		before, errBefore := cpuTime(srv.stat)
		took, err := postIngest(client, srv.base, body)
		if err != nil {
			return err
		}
		after, errAfter := cpuTime(srv.stat)
		if errBefore == nil && errAfter == nil {
			ingestCPU = append(ingestCPU, after-before)
		}
		ingestTimes = append(ingestTimes, took)
	}
	if *ingestOnly {
		printIngest(stdout, ingestTimes, ingestCPU)
		fmt.Fprintf(stdout, "server log: %d answers 5xx, %d lines with \"database is locked\"\n", logs.status5xx.Load(), logs.locked.Load())
		printLoad(stdout)
		if logs.status5xx.Load() > 0 || logs.locked.Load() > 0 {
			return fmt.Errorf("bench webhooks: %d 5xx, %d locked", logs.status5xx.Load(), logs.locked.Load())
		}
		return nil
	}

	// The orders the deliveries update, created by Shopify deliveries.
	start := time.Now()
	if err := createOrders(client, *conns, *orders, func(req *fasthttp.Request, n int64) {
		delivery.request(req, srv.base, run, n, "orders/create", time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC))
	}); err != nil {
		return err
	}
	createTook := time.Since(start)

	// POST /context alone, then beside the deliveries.
	n := int64(*customers)
	contextReq := func(rng *rand.Rand, req *fasthttp.Request) string {
		c := db.ScaleCustomer(1 + rng.Int64N(n))
		req.Header.SetMethod(fasthttp.MethodPost)
		req.SetRequestURI(srv.base + "/context?lang=en")
		req.Header.SetContentType("application/json")
		req.Header.Set(explorer.HeaderPostedString, "1")
		req.SetBody(tmpl.For(c))
		return c.Ref
	}
	alone := srv.load(ctx, client, *contextConns, *duration, contextReq)
	var seq atomic.Int64
	var beside *loadRun
	var wg sync.WaitGroup
	wg.Go(func() { beside = load(ctx, client, *contextConns, *duration, paced(*contextRate, contextReq)) })
	updates := srv.load(ctx, client, *conns, *duration, func(rng *rand.Rand, req *fasthttp.Request) string {
		delivery.request(req, srv.base, run+"-u"+strconv.FormatInt(seq.Add(1), 10), 1+rng.Int64N(int64(*orders)), "orders/updated", time.Now().UTC())
		return ""
	})
	wg.Wait()

	// (d) the same panel for a customer whose 25 orders carry 3 items and
	// a shipment each, and for one whose 25 orders carry neither.
	rich, plain, err := panelCustomers(client, srv.base, run)
	if err != nil {
		return err
	}
	var richRuns, plainRuns []*loadRun
	per := max(*duration/2, time.Second)
	for range *rounds {
		plainRuns = append(plainRuns, srv.load(ctx, client, *contextConns, per, fixedContext(srv.base, tmpl, plain)))
		richRuns = append(richRuns, srv.load(ctx, client, *contextConns, per, fixedContext(srv.base, tmpl, rich)))
	}

	printIngest(stdout, ingestTimes, ingestCPU)
	fmt.Fprintf(stdout, "\ncreated %d Shopify orders with orders/create deliveries in %s (%.0f/s at %d connections)\n",
		*orders, createTook.Round(time.Millisecond), float64(*orders)/createTook.Seconds(), *conns)
	fmt.Fprintf(stdout, "orders/updated body: %d bytes, 3 line items, 1 fulfilment\n\n", delivery.size())
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "route\treq/s\tp50\tp90\tp99\tmax\tserver CPU/req\terrors\t")
	row := func(name string, conns int, r *loadRun) { r.row(tw, fmt.Sprintf("%s, %d conns", name, conns)) }
	row("POST /context alone", *contextConns, alone)
	row("orders/updated (signed)", *conns, updates)
	besideName := "POST /context beside them"
	if *contextRate > 0 {
		besideName += fmt.Sprintf(" (paced at %g/s)", *contextRate)
	}
	row(besideName, *contextConns, beside)
	for i := range *rounds {
		row(fmt.Sprintf("POST /context, no items/shipments (round %d)", i+1), *contextConns, plainRuns[i])
		row(fmt.Sprintf("POST /context, items+shipments (round %d)", i+1), *contextConns, richRuns[i])
	}
	tw.Flush()
	p50 := func(runs []*loadRun, q float64) time.Duration {
		var ds []time.Duration
		for _, r := range runs {
			ds = append(ds, r.quantile(q))
		}
		return medianDuration(ds)
	}
	rate := func(runs []*loadRun) float64 {
		var rs []float64
		for _, r := range runs {
			rs = append(rs, r.rate())
		}
		slices.Sort(rs)
		return (rs[(len(rs)-1)/2] + rs[len(rs)/2]) / 2
	}
	fmt.Fprintf(stdout, "\nPOST /context with items and shipments / without, medians of %d rounds: p50 %.3f (%s / %s), p99 %.3f, req/s %.3f\n",
		*rounds, float64(p50(richRuns, 0.5))/float64(p50(plainRuns, 0.5)), p50(richRuns, 0.5), p50(plainRuns, 0.5),
		float64(p50(richRuns, 0.99))/float64(p50(plainRuns, 0.99)), rate(richRuns)/rate(plainRuns))
	fmt.Fprintf(stdout, "server log: %d answers 5xx, %d lines with \"database is locked\"\n", logs.status5xx.Load(), logs.locked.Load())
	printLoad(stdout)
	var errs int
	for _, r := range append(append([]*loadRun{alone, updates, beside}, richRuns...), plainRuns...) {
		errs += r.errors
	}
	if errs > 0 || logs.status5xx.Load() > 0 || logs.locked.Load() > 0 {
		return fmt.Errorf("bench webhooks: %d errors, %d 5xx, %d locked (first error: %v)", errs, logs.status5xx.Load(), logs.locked.Load(),
			firstError(alone.firstErr, updates.firstErr, beside.firstErr))
	}
	return nil
}

// printIngest reports the /ingest batches: each one's time and server
// CPU, then the medians.
func printIngest(stdout io.Writer, times, cpu []time.Duration) {
	fmt.Fprintf(stdout, "\n/ingest, %d batches of 10,000 NDJSON records (customers, orders of 3 items, payments, shipments), one at a time:\n", len(times))
	for i, d := range times {
		fmt.Fprintf(stdout, "  batch %d: %s, %.0f records/s", i+1, d.Round(time.Millisecond), 10_000/d.Seconds())
		if i < len(cpu) {
			fmt.Fprintf(stdout, ", server CPU %s", cpu[i])
		}
		fmt.Fprintln(stdout)
	}
	med := medianDuration(times)
	fmt.Fprintf(stdout, "  median %s: %.0f records/s", med.Round(time.Millisecond), 10_000/med.Seconds())
	if len(cpu) > 0 {
		c := medianDuration(cpu)
		fmt.Fprintf(stdout, "; median server CPU %s a batch: %.0f records per CPU-second", c, 10_000/c.Seconds())
	}
	fmt.Fprintln(stdout)
}

// printLoad reports the machine's load average, which the figures depend on.
func printLoad(stdout io.Writer) {
	if load, err := os.ReadFile("/proc/loadavg"); err == nil {
		fmt.Fprintf(stdout, "load average after the run: %s", load)
	}
}

// paced spaces next's requests, across all workers, perSecond apart (0
// leaves them unpaced). The wait is before the request is timed, so the
// latencies are the server's.
func paced(perSecond float64, next nextRequest) nextRequest {
	if perSecond <= 0 {
		return next
	}
	interval := time.Duration(float64(time.Second) / perSecond)
	start := time.Now()
	var k atomic.Int64
	return func(rng *rand.Rand, req *fasthttp.Request) string {
		time.Sleep(time.Until(start.Add(time.Duration(k.Add(1)) * interval)))
		return next(rng, req)
	}
}

func medianDuration(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return (s[(len(s)-1)/2] + s[len(s)/2]) / 2
}

// shopifyOrder is Shopify's documented order trimmed to about 6 KB (its
// refunds, shipping lines, tax and discount detail and money sets go; the
// 3 line items and one fulfilment stay), with placeholders for what each
// delivery changes.
type shopifyOrder struct{ body string }

const (
	phOrderID      = "918273645001"
	phCustomerID   = "918273645002"
	phFulfillment  = "918273645003"
	phOrderName    = "PLACEHOLDER-ORDER-NAME"
	phOrderEmail   = "PLACEHOLDER-ORDER-EMAIL"
	phOrderUpdated = "PLACEHOLDER-UPDATED-AT"
)

func newShopifyOrder(raw []byte) (*shopifyOrder, error) {
	var o map[string]any
	if err := json.Unmarshal(raw, &o); err != nil {
		return nil, fmt.Errorf("bench webhooks: Shopify order: %w", err)
	}
	for _, k := range []string{"refunds", "shipping_lines", "billing_address", "discount_applications", "client_details", "note_attributes", "discount_codes"} {
		delete(o, k)
	}
	for k := range o {
		if strings.HasSuffix(k, "_set") && k != "total_price_set" {
			delete(o, k)
		}
	}
	items, _ := o["line_items"].([]any)
	fulfillments, _ := o["fulfillments"].([]any)
	customer, _ := o["customer"].(map[string]any)
	if len(items) != 3 || len(fulfillments) == 0 || customer == nil {
		return nil, errors.New("bench webhooks: the Shopify order should have 3 line items, a fulfilment and a customer")
	}
	for _, li := range items {
		for _, k := range []string{"tax_lines", "discount_allocations", "total_discount_set", "duties", "properties"} {
			delete(li.(map[string]any), k)
		}
	}
	f := fulfillments[0].(map[string]any)
	delete(f, "line_items")
	delete(f, "receipt")
	f["id"], f["order_id"], f["name"], f["updated_at"] = json.Number(phFulfillment), json.Number(phOrderID), phOrderName+".1", phOrderUpdated
	o["fulfillments"] = []any{f}
	o["id"], o["name"], o["email"], o["contact_email"], o["updated_at"] = json.Number(phOrderID), phOrderName, phOrderEmail, phOrderEmail, phOrderUpdated
	customer["id"], customer["email"], customer["updated_at"] = json.Number(phCustomerID), phOrderEmail, "2026-11-01T09:00:00Z"
	delete(customer, "default_address")
	b, err := json.Marshal(o)
	if err != nil {
		return nil, fmt.Errorf("bench webhooks: Shopify order: %w", err)
	}
	return &shopifyOrder{body: string(b)}, nil
}

func (s *shopifyOrder) size() int { return len(s.fill(1, time.Now())) }

// fill is the body for order n: Shopify customer n/4 (four orders
// each), order id, name and fulfilment id from n.
func (s *shopifyOrder) fill(n int64, updated time.Time) []byte {
	id := strconv.FormatInt(5_000_000_000+n, 10)
	return []byte(strings.NewReplacer(
		phOrderID, id,
		phFulfillment, strconv.FormatInt(6_000_000_000+n, 10),
		phCustomerID, strconv.FormatInt(7_000_000_000+n/4, 10),
		phOrderName, "#B"+strconv.FormatInt(n, 10),
		phOrderEmail, "shopify"+strconv.FormatInt(n/4, 10)+"@bench.example",
		phOrderUpdated, updated.Format(time.RFC3339),
	).Replace(s.body))
}

// request fills req with a signed delivery of order n's body under topic.
// The body does not name the run: the orders are the same across runs,
// each delivery id is new.
func (s *shopifyOrder) request(req *fasthttp.Request, base, deliveryID string, n int64, topic string, updated time.Time) {
	body := s.fill(n, updated)
	mac := hmac.New(sha256.New, []byte(benchShopifySecret))
	mac.Write(body)
	req.Header.SetMethod(fasthttp.MethodPost)
	req.SetRequestURI(base + "/webhooks/shopify")
	req.Header.SetContentType("application/json")
	req.Header.Set("X-Shopify-Topic", topic)
	req.Header.Set("X-Shopify-Webhook-Id", deliveryID+"-"+topic+"-"+strconv.FormatInt(n, 10))
	req.Header.Set("X-Shopify-Shop-Domain", "bench.myshopify.com")
	req.Header.Set("X-Shopify-Hmac-Sha256", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	req.SetBody(body)
}

// ingestBatch is n NDJSON records, per 10: 2 customers, 4 orders with an
// address and 3 items, 2 payments and 2 shipments (as the decoder's
// benchmark), every ref prefixed with run.
func ingestBatch(run string, n int) []byte {
	var b strings.Builder
	for i := range n {
		c := i / 10
		switch i % 10 {
		case 0, 1:
			fmt.Fprintf(&b, `{"type":"customer","ref":"B%s-C-%d-%d","name":"Customer %d","email":"b%s-%d-%d@bench.example","phone":"+9665%08d","updated_at":"2026-11-01T09:00:00+03:00"}`+"\n", run, c, i%10, i, run, c, i%10, i)
		case 2, 3, 4, 5:
			fmt.Fprintf(&b, `{"type":"order","number":"B%s-A-%d","customer_ref":"B%s-C-%d-0","status":"paid","payment_status":"paid","currency":"SAR","total":"449.50","placed_at":"2026-11-01T09:30:00+03:00","updated_at":"2026-11-01T10:00:00Z","shipping_address":{"name":"Customer","phone":"+966500000001","city":"Riyadh","country":"SA","line":"King Fahd Rd 1"},"items":[{"sku":"MUG-1","name":"Mug","quantity":2,"unit_price":"49.75"},{"sku":"BAG-2","name":"Bag","quantity":1,"unit_price":"250.00"},{"sku":"PEN-3","name":"Pen","quantity":10,"unit_price":"10.00"}]}`+"\n", run, i, run, c)
		case 6, 7:
			fmt.Fprintf(&b, `{"type":"payment","ref":"B%s-P-%d","customer_ref":"B%s-C-%d-0","order_number":"B%s-A-%d","kind":"charge","method":"card","card_brand":"visa","card_last4":"4242","status":"succeeded","currency":"SAR","amount":"449.50","created_at":"2026-11-01T09:31:00+03:00"}`+"\n", run, i, run, c, run, c*10+2)
		default:
			fmt.Fprintf(&b, `{"type":"shipment","ref":"B%s-S-%d","order_number":"B%s-A-%d","carrier":"Aramex","tracking_number":"AX%d","tracking_url":"https://aramex.example/track/AX%d","status":"in_transit","status_at":"2026-11-01T12:00:00Z"}`+"\n", run, i, run, c*10+2, i, i)
		}
	}
	return []byte(b.String())
}

// postIngest sends one batch and times it, from the first byte sent to
// the last byte of the answer.
func postIngest(client *fasthttp.HostClient, base string, body []byte) (time.Duration, error) {
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.Header.SetMethod(fasthttp.MethodPost)
	req.SetRequestURI(base + "/ingest")
	req.Header.SetContentType("application/x-ndjson")
	req.Header.Set("Authorization", "Bearer "+benchIngestToken)
	req.SetBody(body)
	start := time.Now()
	if err := client.DoTimeout(req, resp, time.Minute); err != nil {
		return 0, fmt.Errorf("bench webhooks: /ingest: %w", err)
	}
	took := time.Since(start)
	if resp.StatusCode() != fasthttp.StatusOK {
		return 0, fmt.Errorf("bench webhooks: /ingest: %d %s", resp.StatusCode(), resp.Body())
	}
	var answer struct{ Applied int }
	if err := json.Unmarshal(resp.Body(), &answer); err != nil || answer.Applied != bytes.Count(body, []byte("\n")) {
		return 0, fmt.Errorf("bench webhooks: /ingest applied %d of the batch's records: %s", answer.Applied, resp.Body())
	}
	return took, nil
}

// panelCustomers ingests the two customers of the panel comparison, each
// with 25 orders (more than a page): rich's carry 3 items and a shipment
// with a tracking link each, plain's neither. Each has the scale
// customers' fields, so the same host message finds them.
func panelCustomers(client *fasthttp.HostClient, base, run string) (rich, plain benchCustomer, err error) {
	rich = benchCustomer{Ref: "B" + run + "-rich", Email: "rich-" + run + "@bench.example"}
	plain = benchCustomer{Ref: "B" + run + "-plain", Email: "plain-" + run + "@bench.example"}
	var b strings.Builder
	for _, c := range []benchCustomer{rich, plain} {
		fmt.Fprintf(&b, `{"type":"customer","ref":%q,"name":"Panel Customer","email":%q}`+"\n", c.Ref, c.Email)
		for i := range 25 {
			placed := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * 24 * time.Hour).Format(time.RFC3339)
			if c == plain {
				fmt.Fprintf(&b, `{"type":"order","number":"%s-%d","customer_ref":%q,"status":"shipped","currency":"SAR","total":"449.50","placed_at":%q}`+"\n", c.Ref, i, c.Ref, placed)
				continue
			}
			fmt.Fprintf(&b, `{"type":"order","number":"%s-%d","customer_ref":%q,"status":"shipped","currency":"SAR","total":"449.50","placed_at":%q,"items":[{"sku":"MUG-1","name":"Mug","quantity":2,"unit_price":"49.75"},{"sku":"BAG-2","name":"Bag","quantity":1,"unit_price":"250.00"},{"sku":"PEN-3","name":"Pen","quantity":10,"unit_price":"10.00"}]}`+"\n", c.Ref, i, c.Ref, placed)
			fmt.Fprintf(&b, `{"type":"shipment","ref":"%s-S-%d","order_number":"%s-%d","carrier":"Aramex","tracking_number":"AX%d","tracking_url":"https://www.aramex.com/track/results?ShipmentNumber=AX%d","status":"in_transit","status_at":%q}`+"\n", c.Ref, i, c.Ref, i, 4100000000+i, 4100000000+i, placed)
		}
	}
	_, err = postIngest(client, base, []byte(b.String()))
	return rich, plain, err
}

type benchCustomer struct{ Ref, Email string }

// createOrders sends the deliveries of orders 1 to count from conns
// workers, each request filled by fill, and fails on any answer but 200.
func createOrders(client *fasthttp.HostClient, conns, count int, fill func(*fasthttp.Request, int64)) error {
	var next atomic.Int64
	errs := make(chan error, conns)
	var wg sync.WaitGroup
	for range conns {
		wg.Go(func() {
			var req fasthttp.Request
			var resp fasthttp.Response
			for n := next.Add(1); n <= int64(count); n = next.Add(1) {
				req.Reset()
				fill(&req, n)
				if err := roundTrip(client, &req, &resp, ""); err != nil {
					errs <- fmt.Errorf("bench webhooks: creating order %d: %w", n, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// fixedContext posts the host message for one customer, matched by email.
func fixedContext(base string, tmpl *loadgen.Payload, c benchCustomer) nextRequest {
	// No contact id, identifier or phone of any customer: the email finds it.
	body := tmpl.For(shop.Customer{ContactID: 1 << 40, Email: c.Email, Phone: "96619999999", Identifier: "nobody-" + c.Ref})
	return func(_ *rand.Rand, req *fasthttp.Request) string {
		req.Header.SetMethod(fasthttp.MethodPost)
		req.SetRequestURI(base + "/context?lang=en")
		req.Header.SetContentType("application/json")
		req.Header.Set(explorer.HeaderPostedString, "1")
		req.SetBody(body)
		return c.Ref
	}
}

// logWatch reads the server's JSON log line by line and counts 5xx answers
// and "database is locked".
type logWatch struct {
	w                 *io.PipeWriter
	status5xx, locked atomic.Int64
}

func newLogWatch() *logWatch {
	r, w := io.Pipe()
	l := &logWatch{w: w}
	go func() {
		lines := bufio.NewScanner(r)
		lines.Buffer(make([]byte, 64<<10), 1<<20)
		for lines.Scan() {
			line := lines.Bytes()
			if bytes.Contains(line, []byte("database is locked")) {
				l.locked.Add(1)
			}
			// /readyz answers 503 until the start-up quick_check passes.
			if bytes.Contains(line, []byte(`"status":5`)) && !bytes.Contains(line, []byte(`"path":"/readyz"`)) {
				if l.status5xx.Add(1) <= 3 {
					fmt.Fprintf(os.Stderr, "server: %s\n", line)
				}
			}
		}
		io.Copy(io.Discard, r)
	}()
	return l
}

func (l *logWatch) Write(p []byte) (int, error) { return l.w.Write(p) }
