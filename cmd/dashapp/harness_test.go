package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"dashapp/cmd/internal/cli"
	"dashapp/cmd/internal/headless"
)

// startApp runs the whole program through run, on a free port with a fresh
// database file, and returns its base URL. The server is shut down, and run
// must return cleanly, when the test ends.
func startApp(t testing.TB, args ...string) string {
	t.Helper()
	base, _ := startAppWithLog(t, args...)
	return base
}

// startAppWithLog is startApp that also returns everything the program has
// written so far (its banner and its log), for tests that check what it says.
func startAppWithLog(t testing.TB, args ...string) (string, func() string) {
	t.Helper()
	base, stdout, stderr := startAppWithOutput(t, args...)
	return base, func() string { return stdout() + stderr() }
}

// startAppWithOutput is startApp that returns what the program wrote to
// stdout (the banner) and to stderr (the JSON log) apart.
func startAppWithOutput(t testing.TB, args ...string) (base string, stdout, stderr func() string) {
	t.Helper()
	return startAppWithEnv(t, nil, args...)
}

// startAppWithEnv is startAppWithOutput with an environment (secrets are
// read from it only, never from flags).
func startAppWithEnv(t testing.TB, env map[string]string, args ...string) (base string, stdout, stderr func() string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	getenv := func(k string) string { return env[k] }
	all := append([]string{"dashapp", "-addr", "127.0.0.1:0", "-drain", "0", "-db", filepath.Join(t.TempDir(), "dashapp.db")}, args...)
	var out, errOut lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, all, getenv, pw, &errOut)
		pw.Close()
	}()
	base, err := cli.WaitListening(io.TeeReader(pr, &out))
	if err != nil {
		cancel()
		t.Fatalf("dashapp did not start: %v (%v)\n%s", err, <-done, errOut.String())
	}
	go io.Copy(&out, pr) // keep draining the banner
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("run returned %v after shutdown", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("dashapp did not shut down within 15 s")
		}
	})
	return base, out.String, errOut.String
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// chromiumPath finds Debian's chromium. Browser tests skip without it,
// except where DASHAPP_REQUIRE_BROWSER is set (CI), where they fail.
func chromiumPath(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("DASHAPP_REQUIRE_BROWSER") != "" {
		t.Fatal("no chromium on PATH, and DASHAPP_REQUIRE_BROWSER is set: install it with apt-get install -y chromium")
	}
	t.Skip("browser test skipped: no chromium on PATH (apt-get install -y chromium)")
	return ""
}

// newBrowser starts a headless Chromium for one test; extra options (such
// as an environment) are added to the shared ones.
func newBrowser(t testing.TB, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	path := chromiumPath(t)
	opts := append(headless.Options(path, t.TempDir(), 1200, 900), extra...)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// frameContext attaches to the cross-origin iframe whose URL starts with
// prefix, so the test can read the app as the agent sees it.
func frameContext(t testing.TB, browser context.Context, prefix string) context.Context {
	t.Helper()
	ctx, _ := frameTarget(t, browser, prefix, "")
	return ctx
}

// frameTarget is frameContext for a frame other than old: switching
// conversation replaces the frame, and the test must attach to the new one.
func frameTarget(t testing.TB, browser context.Context, prefix string, old target.ID) (context.Context, target.ID) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		targets, err := chromedp.Targets(browser)
		if err != nil {
			t.Fatal(err)
		}
		for _, info := range targets {
			if info.Type == "iframe" && info.TargetID != old && strings.HasPrefix(info.URL, prefix) {
				ctx, _ := chromedp.NewContext(browser, chromedp.WithTargetID(info.TargetID))
				return ctx, info.TargetID
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no iframe target for %s", prefix)
	return nil, ""
}

// waitJS polls a JavaScript expression in ctx until it is truthy.
func waitJS(t testing.TB, ctx context.Context, expr string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var last any
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("Boolean("+expr+")"))
		if err == nil && ok {
			return
		} else if err != nil {
			last = err
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out after %s waiting for %s (last error: %v)", timeout, expr, last)
}

func evalJS[T any](t testing.TB, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

func readFixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "handlers", "appcontext", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// do runs browser actions and fails the test on error.
func do(t testing.TB, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

// execJS runs a JavaScript statement in ctx.
func execJS(t testing.TB, ctx context.Context, js string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](js)); err != nil {
		t.Fatalf("browser: %s: %v", js, err)
	}
}

// waitReady waits for /readyz to answer 200: the start-up quick_check runs
// in the background, and on a loaded machine it may still be running when
// the listener is up.
func waitReady(t testing.TB, base string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("/readyz still %d after 10 s: %s", resp.StatusCode, body)
			}
		} else if time.Now().After(deadline) {
			t.Fatalf("/readyz: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
