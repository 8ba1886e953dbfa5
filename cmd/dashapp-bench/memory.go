package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/valyala/fasthttp"
)

// benchMemory is the hostile memory load: it starts "dashapp serve" as a
// child process on an empty database, posts large host messages (each from
// a new explorer session, so the explorer keeps every one it may) from many
// connections, and prints the server's peak resident memory (VmHWM), to
// compare with the container sizing in the README.
func benchMemory(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("memory", stdout)
	server := fs.String("server", "", `dashapp binary to measure; empty: "go build ./cmd/dashapp" into a temporary directory`)
	requests := fs.Int("requests", 3000, "host messages to post")
	conns := fs.Int("connections", 16, "concurrent keep-alive connections")
	minSize := fs.Int("min-bytes", 1<<20, "smallest message")
	maxSize := fs.Int("max-bytes", 3<<20, "largest message (the server accepts 4 MB)")
	settle := fs.Duration("settle", 0, "wait this long after the load and print the resident memory again")
	payload := fs.String("payload", filepath.Join("handlers", "appcontext", "testdata", "layla.json"), "host message to pad")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *requests <= 0 || *conns <= 0 || *minSize <= 0 || *maxSize < *minSize {
		return errors.New("memory: --requests and --connections must be positive, and --min-bytes at most --max-bytes")
	}
	message, err := os.ReadFile(*payload)
	if err != nil {
		return fmt.Errorf("memory: payload (run from the repository root, or pass --payload): %w", err)
	}
	bodies, err := paddedMessages(message, *minSize, *maxSize, 8)
	if err != nil {
		return fmt.Errorf("memory: %w", err)
	}
	dir, err := os.MkdirTemp("", "dashapp-bench-memory-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	binary, cleanup, err := serverBinary(ctx, *server, stderr)
	if err != nil {
		return err
	}
	defer cleanup()
	srv, err := startServer(ctx, binary, filepath.Join(dir, "empty.db"), io.Discard)
	if err != nil {
		return err
	}
	defer srv.stop()
	idle, err := readStatus(srv.status, "VmRSS:")
	if err != nil {
		return fmt.Errorf("memory: %w", err)
	}

	client := &fasthttp.HostClient{Addr: strings.TrimPrefix(srv.base, "http://"), MaxConns: *conns,
		ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second}
	var next, failures atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	start := time.Now()
	for w := range *conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
			defer fasthttp.ReleaseRequest(req)
			defer fasthttp.ReleaseResponse(resp)
			for i := next.Add(1); i <= int64(*requests) && ctx.Err() == nil; i = next.Add(1) {
				req.Reset()
				req.Header.SetMethod(fasthttp.MethodPost)
				req.SetRequestURI(srv.base + "/context?lang=en")
				req.Header.SetContentType("application/json")
				req.Header.Set("X-Dashapp-Session", fmt.Sprintf("hostile-%d-%d-%d", w, i, rand.Int64())) // a new explorer session each time
				req.SetBodyRaw(bodies[int(i)%len(bodies)])
				err := client.Do(req, resp)
				if err == nil && resp.StatusCode() != fasthttp.StatusOK {
					err = fmt.Errorf("status %d: %.200s", resp.StatusCode(), resp.Body())
				}
				if err != nil {
					failures.Add(1)
					once.Do(func() { firstErr = err })
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	hwm, err := readStatus(srv.status, "VmHWM:")
	if err != nil {
		return fmt.Errorf("memory: %w", err)
	}
	rss, err := readStatus(srv.status, "VmRSS:")
	if err != nil {
		return fmt.Errorf("memory: %w", err)
	}
	fmt.Fprintf(stdout, "%d messages of %.1f-%.1f MB, each from a new explorer session, %d connections, in %s\n",
		*requests, mb(int64(*minSize)), mb(int64(*maxSize)), *conns, elapsed.Round(time.Millisecond))
	fmt.Fprintf(stdout, "server memory: %.1f MB idle after start, %.1f MB VmHWM (the kernel's peak), %.1f MB resident after the load\n",
		mb(idle), mb(hwm), mb(rss))
	if *settle > 0 {
		time.Sleep(*settle)
		if rss, err := readStatus(srv.status, "VmRSS:"); err == nil {
			fmt.Fprintf(stdout, "resident %s later: %.1f MB\n", *settle, mb(rss))
		}
	}
	if n := failures.Load(); n > 0 {
		return fmt.Errorf("memory: %d of %d requests failed (first: %v)", n, *requests, firstErr)
	}
	return nil
}

// paddedMessages makes n host messages from message with sizes spread
// from smallest to largest bytes, padded in a contact attribute (which the explorer keeps
// whole), each encoded as the dashboard posts it: a JSON string.
func paddedMessages(message []byte, smallest, largest, n int) ([][]byte, error) {
	var msg map[string]any
	if err := json.Unmarshal(message, &msg); err != nil {
		return nil, err
	}
	data, _ := msg["data"].(map[string]any)
	contact, _ := data["contact"].(map[string]any)
	if contact == nil {
		return nil, errors.New("the payload has no data.contact object")
	}
	attrs, _ := contact["custom_attributes"].(map[string]any)
	if attrs == nil {
		attrs = map[string]any{}
		contact["custom_attributes"] = attrs
	}
	var out [][]byte
	for i := range n {
		size := smallest + (largest-smallest)*i/max(n-1, 1)
		attrs["notes"] = ""
		base, err := json.Marshal(msg)
		if err != nil {
			return nil, err
		}
		attrs["notes"] = strings.Repeat("padding ", max(size-len(base), 0)/8)
		obj, err := json.Marshal(msg)
		if err != nil {
			return nil, err
		}
		body, err := json.Marshal(string(obj))
		if err != nil {
			return nil, err
		}
		out = append(out, body)
	}
	return out, nil
}
