package handlers

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/valyala/fasthttp"

	"dashapp/cmd/dashapp-bench/loadgen"
	"dashapp/db"
	"dashapp/handlers/explorer"
)

// BenchmarkPostContextUnchanged is BenchmarkPostContext's requests sent
// again with the version of the panel each got: what every focus of the
// agent's tab asks. Each must answer 204, through the same middleware.
func BenchmarkPostContextUnchanged(b *testing.B) {
	h, n := benchServer(b)
	raw, err := os.ReadFile(filepath.Join("appcontext", "testdata", "layla.json"))
	if err != nil {
		b.Fatal(err)
	}
	payload, err := loadgen.NewPayload(raw)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	bodies := make([][]byte, 1024)
	versions := make([]string, len(bodies))
	for i := range bodies {
		bodies[i] = payload.For(db.ScaleCustomer(1 + rng.Int64N(n)))
		c := serveDirect(h, "POST", "/context?lang=en", bodies[i], explorer.HeaderPostedString, "1")
		if versions[i] = string(c.Response.Header.Peek(HeaderVersion)); c.Response.StatusCode() != 200 || versions[i] == "" {
			b.Fatalf("status %d, version %q", c.Response.StatusCode(), versions[i])
		}
	}
	b.SetBytes(int64(len(bodies[0])))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c := serveVersioned(h, "/context?lang=en", bodies[i%len(bodies)], versions[i%len(bodies)])
		if c.Response.StatusCode() != 204 {
			b.Fatalf("status %d", c.Response.StatusCode())
		}
		i++
	}
}

func serveVersioned(h fasthttp.RequestHandler, uri string, body []byte, version string) *fasthttp.RequestCtx {
	var req fasthttp.Request
	req.Header.SetMethod("POST")
	req.SetRequestURI(uri)
	req.Header.Set("HX-Request", "true")
	req.Header.Set(HeaderVersion, version)
	req.Header.SetContentType("application/json")
	req.SetBody(body)
	c := &fasthttp.RequestCtx{}
	c.Init(&req, nil, nil)
	h(c)
	return c
}
