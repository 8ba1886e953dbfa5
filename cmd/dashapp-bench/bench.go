package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/valyala/fasthttp"

	"dashapp/cmd/dashapp-bench/loadgen"
	"dashapp/cmd/internal/cli"
	"dashapp/db"
	"dashapp/db/shop"
	"dashapp/handlers/explorer"
	"dashapp/handlers/htmx"
)

// bench seeds (or reuses) a scale database, starts "dashapp serve" on it as
// a child process (the binary given with --server, or one it builds), loads POST /context with realistic host messages for
// random customers, then loads the floor route in the same run, and prints
// the latencies, the server's CPU time per request, its peak RSS and its
// start-up time. The server is a separate process so that its memory and
// CPU are measured apart from the load generator's.
func bench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("load", stdout)
	server := fs.String("server", "", `dashapp binary to measure; empty: "go build ./cmd/dashapp" into a temporary directory`)
	serverLog := fs.Bool("server-log", false, "copy the server's JSON log (one line a request) to stderr instead of dropping it")
	dbPath := fs.String("db", "bench.db", "SQLite database file: seeded when empty, reused otherwise")
	customers := fs.Int("customers", 100_000, "customers to seed, and to draw requests from")
	duration := fs.Duration("duration", 10*time.Second, "load time per route")
	conns := fs.Int("connections", 32, "concurrent keep-alive connections")
	payload := fs.String("payload", filepath.Join("handlers", "appcontext", "testdata", "layla.json"), "host message whose contact is rewritten per request")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *customers <= 0 || *conns <= 0 || *duration <= 0 {
		return errors.New("bench: --customers, --connections and --duration must be positive")
	}
	message, err := os.ReadFile(*payload)
	if err != nil {
		return fmt.Errorf("bench: payload (run from the repository root, or pass --payload): %w", err)
	}
	tmpl, err := loadgen.NewPayload(message)
	if err != nil {
		return fmt.Errorf("bench: %s: %w", *payload, err)
	}
	if err := prepareBenchDB(ctx, *dbPath, *customers, stdout); err != nil {
		return err
	}

	binary, cleanup, err := serverBinary(ctx, *server, stderr)
	if err != nil {
		return err
	}
	defer cleanup()
	logTo := io.Discard
	if *serverLog {
		logTo = stderr
	}
	srv, err := startServer(ctx, binary, *dbPath, logTo)
	if err != nil {
		return err
	}
	defer srv.stop()
	idle, err := readStatus(srv.status, "VmRSS:")
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}

	// fasthttp's client, like wrk, costs the shared cores a fraction of
	// what net/http's does, leaving them to the server under test.
	client := &fasthttp.HostClient{Addr: strings.TrimPrefix(srv.base, "http://"), MaxConns: *conns,
		ReadTimeout: 10 * time.Second, WriteTimeout: 10 * time.Second}
	rss := startRSSSampler(srv.status)
	n := int64(*customers)
	contextRun := srv.load(ctx, client, *conns, *duration, func(rng *rand.Rand, req *fasthttp.Request) string {
		c := db.ScaleCustomer(1 + rng.Int64N(n))
		req.Header.SetMethod(fasthttp.MethodPost)
		req.SetRequestURI(srv.base + "/context?lang=en")
		req.Header.SetContentType("application/json")
		req.Header.Set(explorer.HeaderPostedString, "1")
		req.SetBody(tmpl.For(c))
		return c.Ref
	})
	floorRun := srv.load(ctx, client, *conns, *duration, func(rng *rand.Rand, req *fasthttp.Request) string {
		c := db.ScaleCustomer(1 + rng.Int64N(n))
		req.SetRequestURI(fmt.Sprintf("%s/customers/%d/orders?lang=en", srv.base, c.ID))
		return "" // customers with no orders render an empty list
	})
	peakRSS := rss.stop()
	hwm, err := readStatus(srv.status, "VmHWM:")
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}

	fmt.Fprintf(stdout, "\n%d customers, %d connections, %s per route, server: child process %d on %s\n\n", *customers, *conns, *duration, srv.cmd.Process.Pid, srv.base)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "route\treq/s\tp50\tp90\tp99\tmax\tserver CPU/req\terrors\t")
	contextRun.row(tw, "POST /context")
	floorRun.row(tw, "GET /customers/:id/orders (floor)")
	tw.Flush()
	fmt.Fprintf(stdout, "\nthroughput POST /context / floor: %.2f (p99 ratio %.2f)\n",
		contextRun.rate()/floorRun.rate(), float64(contextRun.quantile(0.99))/float64(floorRun.quantile(0.99)))
	fmt.Fprintf(stdout, "server RSS: %.1f MB idle after start, %.1f MB peak sampled under load, %.1f MB VmHWM (the kernel's peak)\n",
		mb(idle), mb(peakRSS), mb(hwm))
	fmt.Fprintf(stdout, "start-up to /readyz 200: %s (new process)\n", srv.startup.Round(100*time.Microsecond))
	if load, err := os.ReadFile("/proc/loadavg"); err == nil {
		fmt.Fprintf(stdout, "load average after the run: %s", load)
	}
	if contextRun.errors > 0 || floorRun.errors > 0 {
		return fmt.Errorf("bench: %d errors (first: %v)", contextRun.errors+floorRun.errors, firstError(contextRun.firstErr, floorRun.firstErr))
	}
	return nil
}

func mb(bytes int64) float64 { return float64(bytes) / (1 << 20) }

// benchServer is a "dashapp serve" child process.
type benchServer struct {
	cmd     *exec.Cmd
	base    string
	status  string // its /proc/PID/status
	stat    string // its /proc/PID/stat
	startup time.Duration
}

// serverBinary is the dashapp binary to start: path, or one built from
// ./cmd/dashapp (run from the repository root) into a temporary directory.
// cleanup removes what was built.
func serverBinary(ctx context.Context, path string, stderr io.Writer) (binary string, cleanup func(), err error) {
	if path != "" {
		return path, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "dashapp-bench-")
	if err != nil {
		return "", nil, fmt.Errorf("bench: build server: %w", err)
	}
	cleanup = func() { os.RemoveAll(dir) }
	binary = filepath.Join(dir, "dashapp")
	build := exec.CommandContext(ctx, "go", "build", "-o", binary, "./cmd/dashapp")
	build.Stdout, build.Stderr = stderr, stderr
	if err := build.Run(); err != nil {
		cleanup()
		return "", nil, fmt.Errorf("bench: go build ./cmd/dashapp (run from the repository root, or pass --server): %w", err)
	}
	return binary, cleanup, nil
}

// startServer starts binary's serve command on the database and times
// it from exec to the first /readyz 200, as an orchestrator sees a restart.
// The rate limits are raised out of reach, not turned off: one load
// generator sends thousands of requests a second from one address, and the
// limiter's own cost belongs in the measurement.
//
// env adds variables to the server's environment (the shop platforms'
// secrets are read from it only).
func startServer(ctx context.Context, binary, dbPath string, log io.Writer, env ...string) (*benchServer, error) {
	cmd := exec.CommandContext(ctx, binary, "serve", "-addr", "127.0.0.1:0", "-db", dbPath, "-demo=false",
		"-rate-ip", "1e9", "-rate-session", "1e9")
	if len(env) > 0 {
		cmd.Env = append(os.Environ(), env...)
	}
	cmd.Stderr = log // the access log: written, as in production, then dropped unless --server-log
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("bench: start server: %w", err)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("bench: start server: %w", err)
	}
	pid := strconv.Itoa(cmd.Process.Pid)
	srv := &benchServer{cmd: cmd, status: "/proc/" + pid + "/status", stat: "/proc/" + pid + "/stat"}
	if srv.base, err = cli.WaitListening(out); err != nil {
		srv.stop()
		return nil, fmt.Errorf("bench: start server: %w", err)
	}
	go io.Copy(io.Discard, out) // the rest of the banner
	if err := waitReady(ctx, http.DefaultClient, srv.base); err != nil {
		srv.stop()
		return nil, err
	}
	srv.startup = time.Since(start)
	return srv, nil
}

func (s *benchServer) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	_ = s.cmd.Wait()
}

// load runs one load phase against the server and records the CPU time the
// server spent in it.
func (s *benchServer) load(ctx context.Context, client *fasthttp.HostClient, conns int, d time.Duration, next nextRequest) *loadRun {
	before, errBefore := cpuTime(s.stat)
	run := load(ctx, client, conns, d, next)
	after, errAfter := cpuTime(s.stat)
	if errBefore == nil && errAfter == nil {
		run.serverCPU = after - before
	}
	return run
}

// cpuTime is the user and system time a process has used, from
// /proc/PID/stat (fields 14 and 15, in clock ticks of 1/100 s on Linux).
func cpuTime(statPath string) (time.Duration, error) {
	b, err := os.ReadFile(statPath)
	if err != nil {
		return 0, err
	}
	// The command name (field 2) may hold spaces; the fields after it are
	// counted from its closing parenthesis.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("%s: no command name", statPath)
	}
	fields := strings.Fields(string(b[i+1:]))
	if len(fields) < 13 {
		return 0, fmt.Errorf("%s: %d fields", statPath, len(fields))
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, fmt.Errorf("%s: %w", statPath, err)
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, nil
}

func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// prepareBenchDB seeds an empty database, or checks that an existing one
// holds the scale seed's customer n, then closes it for the server.
func prepareBenchDB(ctx context.Context, path string, n int, stdout io.Writer) error {
	store, err := db.Open(ctx, path)
	if err != nil {
		return fmt.Errorf("bench: open database: %w", err)
	}
	defer store.Close()
	empty, err := store.IsEmpty(ctx)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if empty {
		start := time.Now()
		counts, err := db.Seed(ctx, store, db.SeedOptions{Customers: n, RandSeed: 1})
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		fmt.Fprintf(stdout, "seeded %d customers, %d orders, %d payments in %s\n", counts.Customers, counts.Orders, counts.Payments, time.Since(start).Round(time.Millisecond))
		return nil
	}
	want := db.ScaleCustomer(int64(n))
	m, err := shop.Resolve(ctx, store, shop.Identity{ContactID: want.ContactID})
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if len(m.Customers) != 1 || m.Customers[0].Ref != want.Ref {
		return fmt.Errorf("bench: %s was not made by \"dashapp seed --customers %d\" into an empty database; remove it or pass another --db", path, n)
	}
	fmt.Fprintf(stdout, "reusing %s (%d customers)\n", path, n)
	return nil
}

// loadRun is one route's measurements.
type loadRun struct {
	elapsed   time.Duration
	latencies []time.Duration // sorted
	errors    int
	firstErr  error
	serverCPU time.Duration // user + system time of the server process
}

// nextRequest fills in a request (a GET with the HX-Request header until
// it says otherwise) and returns the text its answer must hold.
type nextRequest func(rng *rand.Rand, req *fasthttp.Request) (want string)

// load sends requests from conns goroutines, each with its own keep-alive
// connection, for d.
func load(ctx context.Context, client *fasthttp.HostClient, conns int, d time.Duration, next nextRequest) *loadRun {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var mu sync.Mutex
	run := &loadRun{}
	var errCount atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := range conns {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 0xbe7c))
			var req fasthttp.Request
			var resp fasthttp.Response
			var lat []time.Duration
			var first error
			for ctx.Err() == nil {
				req.Reset()
				req.Header.Set(htmx.HeaderRequest, "true")
				want := next(rng, &req)
				t0 := time.Now()
				err := roundTrip(client, &req, &resp, want)
				if err != nil {
					if ctx.Err() != nil {
						break // cut short by the end of the run
					}
					if errCount.Add(1) == 1 {
						first = err
					}
					continue
				}
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			run.latencies = append(run.latencies, lat...)
			run.firstErr = firstError(run.firstErr, first)
			mu.Unlock()
		})
	}
	wg.Wait()
	run.elapsed = time.Since(start)
	run.errors = int(errCount.Load())
	slices.Sort(run.latencies)
	return run
}

func roundTrip(client *fasthttp.HostClient, req *fasthttp.Request, resp *fasthttp.Response, want string) error {
	if err := client.Do(req, resp); err != nil {
		return err
	}
	if resp.StatusCode() != fasthttp.StatusOK {
		return fmt.Errorf("%s %s: %d", req.Header.Method(), req.URI().Path(), resp.StatusCode())
	}
	if want != "" && !bytes.Contains(resp.Body(), []byte(want)) {
		return fmt.Errorf("%s %s: answer does not show %s", req.Header.Method(), req.URI().Path(), want)
	}
	return nil
}

func (r *loadRun) rate() float64 { return float64(len(r.latencies)) / r.elapsed.Seconds() }

func (r *loadRun) quantile(q float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	return r.latencies[min(len(r.latencies)-1, int(q*float64(len(r.latencies))))]
}

func (r *loadRun) row(w io.Writer, name string) {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }
	perRequest := "?"
	if n := len(r.latencies) + r.errors; n > 0 && r.serverCPU > 0 {
		perRequest = fmt.Sprintf("%.0f µs", float64(r.serverCPU)/float64(n)/float64(time.Microsecond))
	}
	fmt.Fprintf(w, "%s\t%.0f\t%s\t%s\t%s\t%s\t%s\t%d\t\n", name, r.rate(),
		ms(r.quantile(0.5)), ms(r.quantile(0.9)), ms(r.quantile(0.99)), ms(r.quantile(1)), perRequest, r.errors)
}

// rssSampler records the peak resident set size of a process every 50 ms.
type rssSampler struct {
	peak atomic.Int64
	done chan struct{}
	wg   sync.WaitGroup
}

func startRSSSampler(statusPath string) *rssSampler {
	s := &rssSampler{done: make(chan struct{})}
	s.wg.Go(func() {
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			if rss, err := readStatus(statusPath, "VmRSS:"); err == nil && rss > s.peak.Load() {
				s.peak.Store(rss)
			}
			select {
			case <-s.done:
				return
			case <-tick.C:
			}
		}
	})
	return s
}

func (s *rssSampler) stop() int64 {
	close(s.done)
	s.wg.Wait()
	return s.peak.Load()
}

// readStatus reads a size field, such as VmRSS or VmHWM, in bytes, from a
// /proc/PID/status file.
func readStatus(statusPath, field string) (int64, error) {
	f, err := os.Open(statusPath)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		if rest, ok := strings.CutPrefix(lines.Text(), field); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("%s: %s %w", statusPath, field, err)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("%s: no %s line", statusPath, field)
}

// waitReady polls /readyz every millisecond until it answers 200.
func waitReady(ctx context.Context, client *http.Client, base string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/readyz", nil)
		if resp, err := client.Do(req); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("bench: %s/readyz did not answer 200: %w", base, ctx.Err())
		case <-time.After(time.Millisecond):
		}
	}
}
