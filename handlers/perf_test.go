package handlers

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/valyala/fasthttp"

	"dashapp/cmd/dashapp-bench/loadgen"
	"dashapp/db"
	"dashapp/db/shop"
	"dashapp/handlers/actions"
	"dashapp/handlers/bevatel"
	"dashapp/handlers/explorer"
	"dashapp/handlers/ratelimit"
	"dashapp/static"
)

// serveDirect runs one request through the server's fasthttp handler, with
// no network and no copying of the response: what the benchmarks measure,
// and the response as fasthttp would write it. headerPairs are request
// headers, name then value.
func serveDirect(h fasthttp.RequestHandler, method, uri string, body []byte, headerPairs ...string) *fasthttp.RequestCtx {
	var req fasthttp.Request
	req.Header.SetMethod(method)
	req.SetRequestURI(uri)
	req.Header.Set("HX-Request", "true")
	for i := 0; i+1 < len(headerPairs); i += 2 {
		req.Header.Set(headerPairs[i], headerPairs[i+1])
	}
	if body != nil {
		req.Header.SetContentType("application/json")
		req.SetBody(body)
	}
	c := &fasthttp.RequestCtx{}
	c.Init(&req, nil, nil)
	h(c)
	return c
}

// TestResponsesOwnTheirBodies: a rendered panel stays in its response until
// fasthttp writes it, even when the next request renders through the same
// pooled buffer. A body shared with the pool sent one customer's panel to
// another agent under load.
func TestResponsesOwnTheirBodies(t *testing.T) {
	h := newTestServer(t).Handler()
	layla := serveDirect(h, "POST", "/context", asHostString(t, fixture(t, "layla.json")))
	james := serveDirect(h, "POST", "/context", asHostString(t, fixture(t, "james.json")))
	for _, tt := range []struct {
		c         *fasthttp.RequestCtx
		want, not string
	}{{layla, "C-1001", "C-1002"}, {james, "C-1002", "C-1001"}} {
		if code := tt.c.Response.StatusCode(); code != 200 {
			t.Fatalf("status %d: %s", code, tt.c.Response.Body())
		}
		body := tt.c.Response.Body()
		if !bytes.Contains(body, []byte(tt.want)) || bytes.Contains(body, []byte(tt.not)) {
			t.Errorf("the panel for %s shows %s, or not %s", tt.want, tt.not, tt.want)
		}
	}
}

// benchServer serves a scale database: the one DASHAPP_BENCH_DB names
// (made by "dashapp seed --customers N" into an empty file, with N in
// DASHAPP_BENCH_CUSTOMERS), or else a fresh one of 2000 customers.
func benchServer(b *testing.B) (fasthttp.RequestHandler, int64) {
	b.Helper()
	ctx := context.Background()
	path, n := os.Getenv("DASHAPP_BENCH_DB"), int64(2000)
	if path != "" {
		var err error
		if n, err = strconv.ParseInt(os.Getenv("DASHAPP_BENCH_CUSTOMERS"), 10, 64); err != nil || n <= 0 {
			b.Fatal("DASHAPP_BENCH_DB needs DASHAPP_BENCH_CUSTOMERS, the number of customers seeded into it")
		}
	} else {
		path = filepath.Join(b.TempDir(), "bench.db")
	}
	store, err := db.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	if empty, err := store.IsEmpty(ctx); err != nil {
		b.Fatal(err)
	} else if empty {
		if _, err := db.Seed(ctx, store, db.SeedOptions{Customers: int(n), RandSeed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	assets, err := static.Load()
	if err != nil {
		b.Fatal(err)
	}
	// One client sends thousands of requests a second: the limits are raised
	// out of reach, not turned off, so the limiter's cost is still measured.
	unlimited := ratelimit.Rate{PerSecond: 1e9, Burst: 1e9}
	deps := Deps{Store: store, Ready: store, Assets: assets,
		Config: Config{AllowedOrigins: []string{"https://chat.bevatel.com"}, IPRate: unlimited, SessionRate: unlimited}}
	if os.Getenv("DASHAPP_BENCH_ACTIONS") == "on" {
		// The panel's action buttons (grants, keys); /context calls no API.
		deps.Actions = actions.New(store, actions.Options{API: bevatel.NewClient("http://127.0.0.1:9", "token", 0)})
	}
	app := NewServer(deps)
	return app.Handler(), n
}

// BenchmarkPostContext is the whole request for the message the bridge
// forwards (the content of the dashboard's JSON string, with
// explorer.HeaderPostedString): middleware, decoding the 20-message
// fixture, matching, the summary, the first page of orders, the orders
// the messages mention, and rendering, for random customers. The
// payments load when their section is opened: BenchmarkOpenPayments.
func BenchmarkPostContext(b *testing.B) {
	benchmarkPostContext(b, (*loadgen.Payload).For, explorer.HeaderPostedString, "1")
}

// BenchmarkPostContextQuoted is BenchmarkPostContext for the dashboard's
// string itself, quoted, as an older bridge or curl posts it: the server
// unquotes the whole message first.
func BenchmarkPostContextQuoted(b *testing.B) {
	benchmarkPostContext(b, (*loadgen.Payload).Quoted)
}

func benchmarkPostContext(b *testing.B, body func(*loadgen.Payload, shop.Customer) []byte, headerPairs ...string) {
	h, n := benchServer(b)
	raw, err := os.ReadFile(filepath.Join("appcontext", "testdata", "layla.json"))
	if err != nil {
		b.Fatal(err)
	}
	payload, err := loadgen.NewPayload(raw)
	if err != nil {
		b.Fatal(err)
	}
	// Bodies are made before the timer runs: the client's work is not the server's.
	rng := rand.New(rand.NewPCG(1, 2))
	bodies := make([][]byte, 1024)
	refs := make([][]byte, len(bodies))
	for i := range bodies {
		c := db.ScaleCustomer(1 + rng.Int64N(n))
		bodies[i], refs[i] = body(payload, c), []byte(c.Ref)
	}
	b.SetBytes(int64(len(bodies[0])))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c := serveDirect(h, "POST", "/context?lang=en", bodies[i%len(bodies)], headerPairs...)
		if c.Response.StatusCode() != 200 || !bytes.Contains(c.Response.Body(), refs[i%len(bodies)]) {
			b.Fatalf("status %d, or the panel does not show %s", c.Response.StatusCode(), refs[i%len(bodies)])
		}
		i++
	}
}

// BenchmarkOpenPayments is what opening the panel's payments section
// asks for: their first page, through the same middleware.
func BenchmarkOpenPayments(b *testing.B) { benchmarkFirstPage(b, "payments") }

// BenchmarkFloor is the cheapest data route, one indexed query and 20
// rows (the first page of orders), through the same middleware.
func BenchmarkFloor(b *testing.B) { benchmarkFirstPage(b, "orders") }

func benchmarkFirstPage(b *testing.B, table string) {
	h, n := benchServer(b)
	rng := rand.New(rand.NewPCG(1, 2))
	b.ReportAllocs()
	for b.Loop() {
		c := serveDirect(h, "GET", "/customers/"+strconv.FormatInt(1+rng.Int64N(n), 10)+"/"+table+"?lang=en&tz=UTC", nil)
		if c.Response.StatusCode() != 200 {
			b.Fatalf("status %d: %.200s", c.Response.StatusCode(), c.Response.Body())
		}
	}
}
