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
	"regexp"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"dashapp/db"
	"dashapp/db/shop"
	"dashapp/handlers/appcontext/loadgen"
)

// bench seeds (or reuses) a scale database, serves it in this process on
// loopback, loads POST /context with realistic host messages for random
// customers, then loads the floor route in the same run, and prints the
// latencies, the peak RSS and the start-up time.
func bench(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlags("bench", stdout)
	dbPath := fs.String("db", "bench.db", "SQLite database file: seeded when empty, reused otherwise")
	customers := fs.Int("customers", 100_000, "customers to seed, and to draw requests from")
	duration := fs.Duration("duration", 10*time.Second, "load time per route")
	conns := fs.Int("connections", 32, "concurrent keep-alive connections")
	payload := fs.String("payload", filepath.Join("handlers", "appcontext", "testdata", "layla.json"), "host message whose contact is rewritten per request")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the load phases to this file")
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

	startup, idleRSS, err := measureStartup(ctx, *dbPath)
	if err != nil {
		return err
	}

	// The server runs in this process, on the same two cores as the load
	// generator; RSS below therefore counts both.
	srvCtx, stopServer := context.WithCancel(ctx)
	pr, pw := io.Pipe()
	served := make(chan error, 1)
	started := time.Now()
	go func() {
		served <- serve(srvCtx, []string{"-addr", "127.0.0.1:0", "-db", *dbPath, "-demo=false"}, getenv, pw)
		pw.Close()
	}()
	defer func() {
		stopServer()
		<-served
	}()
	base, err := waitListening(pr)
	if err != nil {
		return fmt.Errorf("bench: start server: %w (%v)", err, <-served)
	}
	go io.Copy(io.Discard, pr) // the access log
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *conns, MaxConnsPerHost: *conns, DisableCompression: true}}
	if err := waitReady(ctx, client, base); err != nil {
		return err
	}
	inProcessStartup := time.Since(started)

	rss := startRSSSampler(procStatus("self"))
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return fmt.Errorf("bench: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("bench: cpu profile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	n := int64(*customers)
	contextRun := load(ctx, client, *conns, *duration, func(rng *rand.Rand) (*http.Request, string) {
		c := db.ScaleCustomer(1 + rng.Int64N(n))
		req, _ := http.NewRequest(http.MethodPost, base+"/context?lang=en", bytes.NewReader(tmpl.For(c)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("HX-Request", "true")
		return req, c.Ref
	})
	floorRun := load(ctx, client, *conns, *duration, func(rng *rand.Rand) (*http.Request, string) {
		c := db.ScaleCustomer(1 + rng.Int64N(n))
		req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/customers/%d/orders?lang=en", base, c.ID), nil)
		req.Header.Set("HX-Request", "true")
		return req, "" // customers with no orders render an empty list
	})
	peakRSS := rss.stop()

	fmt.Fprintf(stdout, "\n%d customers, %d connections, %s per route, server in-process on %s\n\n", *customers, *conns, *duration, base)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "route\treq/s\tp50\tp90\tp99\tmax\terrors\t")
	contextRun.row(tw, "POST /context")
	floorRun.row(tw, "GET /customers/:id/orders (floor)")
	tw.Flush()
	fmt.Fprintf(stdout, "\nthroughput POST /context / floor: %.2f (p99 ratio %.2f)\n",
		contextRun.rate()/floorRun.rate(), float64(contextRun.quantile(0.99))/float64(floorRun.quantile(0.99)))
	fmt.Fprintf(stdout, "RSS peak under load: %.1f MB (server and load generator, one process)\n", float64(peakRSS)/(1<<20))
	fmt.Fprintf(stdout, "server alone, idle after start: %.1f MB RSS\n", float64(idleRSS)/(1<<20))
	fmt.Fprintf(stdout, "start-up to /readyz 200: %s (new process), %s (in-process)\n",
		startup.Round(100*time.Microsecond), inProcessStartup.Round(100*time.Microsecond))
	if contextRun.errors > 0 || floorRun.errors > 0 {
		return fmt.Errorf("bench: %d errors (first: %v)", contextRun.errors+floorRun.errors, firstError(contextRun.firstErr, floorRun.firstErr))
	}
	return nil
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
// holds the scale seed's customer n, then closes it and returns the memory
// the seed used, so that the RSS measured afterwards is the server's.
func prepareBenchDB(ctx context.Context, path string, n int, stdout io.Writer) error {
	store, err := db.Open(ctx, path)
	if err != nil {
		return fmt.Errorf("bench: open database: %w", err)
	}
	defer debug.FreeOSMemory()
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
	m, err := store.Match(ctx, shop.Identity{ContactID: want.ContactID})
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
}

// load sends requests from conns goroutines, each with its own keep-alive
// connection, for d. next makes a request and the text its answer must hold.
func load(ctx context.Context, client *http.Client, conns int, d time.Duration, next func(*rand.Rand) (*http.Request, string)) *loadRun {
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
			var lat []time.Duration
			var first error
			for ctx.Err() == nil {
				req, want := next(rng)
				t0 := time.Now()
				err := roundTrip(client, req, want)
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

func roundTrip(client *http.Client, req *http.Request, want string) error {
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %s", req.Method, req.URL.Path, resp.Status)
	}
	if want != "" && !bytes.Contains(body, []byte(want)) {
		return fmt.Errorf("%s %s: answer does not show %s", req.Method, req.URL.Path, want)
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
	fmt.Fprintf(w, "%s\t%.0f\t%s\t%s\t%s\t%s\t%d\t\n", name, r.rate(),
		ms(r.quantile(0.5)), ms(r.quantile(0.9)), ms(r.quantile(0.99)), ms(r.quantile(1)), r.errors)
}

// rssSampler records the peak resident set size of a process every 50 ms.
type rssSampler struct {
	peak atomic.Int64
	done chan struct{}
	wg   sync.WaitGroup
}

func procStatus(pid string) string { return "/proc/" + pid + "/status" }

func startRSSSampler(statusPath string) *rssSampler {
	s := &rssSampler{done: make(chan struct{})}
	s.wg.Go(func() {
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			if rss, err := readRSS(statusPath); err == nil && rss > s.peak.Load() {
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

// readRSS reads VmRSS, in bytes, from a /proc/PID/status file.
func readRSS(statusPath string) (int64, error) {
	f, err := os.Open(statusPath)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		if rest, ok := strings.CutPrefix(lines.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("%s: %w", statusPath, err)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("%s: no VmRSS line", statusPath)
}

// measureStartup starts this binary's serve command as a new process on
// the database and times it from exec to the first /readyz 200, as an
// orchestrator sees a restart; it also reads the idle server's RSS.
func measureStartup(ctx context.Context, dbPath string) (time.Duration, int64, error) {
	self, err := os.Executable()
	if err != nil {
		return 0, 0, fmt.Errorf("bench: start-up: %w", err)
	}
	cmd := exec.CommandContext(ctx, self, "serve", "-addr", "127.0.0.1:0", "-db", dbPath, "-demo=false")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, 0, fmt.Errorf("bench: start-up: %w", err)
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, fmt.Errorf("bench: start-up: %w", err)
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	base, err := waitListening(out)
	if err != nil {
		return 0, 0, fmt.Errorf("bench: start-up: %w", err)
	}
	go io.Copy(io.Discard, out)
	if err := waitReady(ctx, http.DefaultClient, base); err != nil {
		return 0, 0, err
	}
	took := time.Since(start)
	rss, err := readRSS(procStatus(strconv.Itoa(cmd.Process.Pid)))
	if err != nil {
		return 0, 0, fmt.Errorf("bench: start-up: %w", err)
	}
	return took, rss, nil
}

var listeningLine = regexp.MustCompile(`listening on (http://\S+)`)

// waitListening reads the server's output up to the line that says where
// it listens, and returns that base URL.
func waitListening(r io.Reader) (string, error) {
	lines := bufio.NewScanner(r)
	for lines.Scan() {
		if m := listeningLine.FindStringSubmatch(lines.Text()); m != nil {
			return m[1], nil
		}
	}
	return "", fmt.Errorf("server exited before it listened (read error: %v)", lines.Err())
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
