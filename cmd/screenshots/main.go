// Command screenshots regenerates the pictures in .github/screenshots: the real
// app, seeded with the demo data, framed by a host page on another origin
// that posts Layla's appContext exactly as the Bevatel dashboard does, and
// captured in headless Chromium.
//
//	go run ./cmd/screenshots            # writes .github/screenshots/*.png
//	go run ./cmd/screenshots -out /tmp  # somewhere else
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"dashapp/cmd/internal/headless"
	"dashapp/db"
	"dashapp/handlers"
	"dashapp/static"
)

// shot is one picture: the pane the dashboard gives the app, its theme and
// the agent's language; explorer shots open the payload explorer after a
// second appContext, so its diff has something to show.
type shot struct {
	file          string
	width, height int
	theme, lang   string
	explorer      bool
}

var shots = []shot{
	{"panel-light.png", 900, 860, "light", "en", false},
	{"panel-dark.png", 900, 860, "dark", "en", false},
	{"panel-ar.png", 900, 860, "light", "ar", false},
	{"panel-narrow.png", 360, 1100, "light", "en", false},
	{"panel-compact.png", 320, 900, "light", "en", false}, // issue 12: the first 900 px at 320 px
	{"explorer.png", 900, 1150, "light", "en", true},      // the browser window is 1200 px high
}

// simulatorShot is the host simulator itself, in a desktop window.
const simulatorShot = "simulator.png"

func main() {
	out := flag.String("out", filepath.Join(".github", "screenshots"), "directory for the PNG files")
	fixture := flag.String("fixture", filepath.Join("handlers", "appcontext", "testdata", "layla.json"), "appContext message the host posts")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := run(ctx, *out, *fixture); err != nil {
		fmt.Fprintln(os.Stderr, "screenshots:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out, fixture string) error {
	message, err := os.ReadFile(fixture)
	if err != nil {
		return fmt.Errorf("read fixture: %w", err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", out, err)
	}
	tmp, err := os.MkdirTemp("", "dashapp-screenshots-")
	if err != nil {
		return fmt.Errorf("temp dir: %w", err)
	}
	defer os.RemoveAll(tmp)

	// The host page is served on 127.0.0.1 and the app on localhost: two
	// sites, so Chromium isolates the frame as under the real dashboard.
	hostLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listen for the host page: %w", err)
	}
	hostURL := "http://" + hostLn.Addr().String()
	appURL, simulatorURL, stop, err := startApp(ctx, filepath.Join(tmp, "dashapp.db"), hostURL)
	if err != nil {
		return err
	}
	defer stop()
	pages := map[string]string{}
	host := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(pages[r.URL.Path]))
	})}
	go host.Serve(hostLn)
	defer host.Close()

	chromium, err := exec.LookPath("chromium")
	if err != nil {
		return fmt.Errorf("chromium is needed (apt-get install -y chromium): %w", err)
	}
	// Dates show in the agent's zone: Riyadh, like Layla, so the pictures
	// do not depend on the machine that made them.
	opts := append(headless.Options(chromium, filepath.Join(tmp, "profile"), 1000, 1200), chromedp.Env("TZ=Asia/Riyadh"))
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()

	for _, s := range shots {
		payload, err := withTheme(message, s.theme)
		if err != nil {
			return err
		}
		frameURL := appURL + "?lang=" + s.lang
		pages["/"+s.file] = hostPage(frameURL, payload, s.width, s.height)
		png, err := capture(browser, hostURL+"/"+s.file, frameURL, s)
		if err != nil {
			return fmt.Errorf("%s: %w", s.file, err)
		}
		if err := save(out, s.file, png); err != nil {
			return err
		}
		fmt.Printf("  %d×%d %s %s\n", s.width, s.height, s.theme, s.lang)
	}
	png, err := captureSimulator(browser, simulatorURL, appURL)
	if err != nil {
		return fmt.Errorf("%s: %w", simulatorShot, err)
	}
	if err := save(out, simulatorShot, png); err != nil {
		return err
	}
	fmt.Println("  1400×1000")
	return nil
}

func save(dir, file string, png []byte) error {
	path := filepath.Join(dir, file)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	fmt.Printf("%s  %d KB", path, len(png)/1024)
	return nil
}

// startApp serves the demo data with the same building blocks as
// `dashapp serve`, in production mode (no development banner) with the
// simulator on, allowing the host page's origin and the simulator's, and
// returns the app's URL on localhost and the simulator's on 127.0.0.1.
func startApp(ctx context.Context, dbPath, hostOrigin string) (appURL, simulatorURL string, stop func(), err error) {
	store, err := db.Open(ctx, dbPath)
	if err != nil {
		return "", "", nil, fmt.Errorf("open database: %w", err)
	}
	if err := db.SeedDemo(ctx, store); err != nil {
		store.Close()
		return "", "", nil, fmt.Errorf("seed demo data: %w", err)
	}
	assets, err := static.Load()
	if err != nil {
		store.Close()
		return "", "", nil, fmt.Errorf("load assets: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		store.Close()
		return "", "", nil, fmt.Errorf("listen for the app: %w", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	simulatorOrigin := fmt.Sprintf("http://127.0.0.1:%d", port)
	app := handlers.NewServer(handlers.Deps{
		Store: store, Ready: store, Assets: assets,
		Logger: slog.New(slog.DiscardHandler),
		Config: handlers.Config{AllowedOrigins: []string{hostOrigin, simulatorOrigin}, Simulator: true},
	})
	go app.Listener(ln)
	stop = func() {
		app.ShutdownWithTimeout(5 * time.Second)
		store.Close()
	}
	return fmt.Sprintf("http://localhost:%d/", port), simulatorOrigin + "/simulator", stop, nil
}

// withTheme sets data.theme in the host's message and returns it as the
// one-line JSON string the dashboard posts.
func withTheme(message []byte, theme string) (string, error) {
	var msg map[string]any
	if err := json.Unmarshal(message, &msg); err != nil {
		return "", fmt.Errorf("fixture: %w", err)
	}
	data, ok := msg["data"].(map[string]any)
	if !ok {
		return "", fmt.Errorf("fixture has no data object")
	}
	data["theme"] = theme
	b, err := json.Marshal(msg)
	return string(b), err
}

// hostPage frames the app in a pane of the given size and posts the
// message on load and whenever the app asks for it, as the dashboard does.
func hostPage(frameURL, payload string, width, height int) string {
	lit := func(v any) string { b, _ := json.Marshal(v); return string(b) } // escapes <, >, &
	return fmt.Sprintf(`<!doctype html><meta charset="utf-8"><title>host</title><body style="margin:0">
<iframe id="app" width="%d" height="%d" style="border:0;display:block"></iframe>
<script>
const frame = document.getElementById("app"), payload = %s;
frame.addEventListener("load", () => frame.contentWindow.postMessage(payload, "*"));
addEventListener("message", (e) => { if (e.source === frame.contentWindow && e.data === "bevatel-dashboard-app:fetch-info") e.source.postMessage(payload, "*"); });
frame.src = %s;
</script>`, width, height, lit(payload), lit(frameURL))
}

// capture opens the host page in a new tab, waits until the framed app has
// swapped in the panel in the right theme, and photographs the iframe. An
// explorer shot first posts the message again with the conversation
// resolved, as the dashboard does when the agent closes it, and opens the
// explorer on the diff.
func capture(browser context.Context, pageURL, frameURL string, s shot) ([]byte, error) {
	tab, cancel := chromedp.NewContext(browser)
	defer cancel()
	if err := chromedp.Do(tab, chromedp.Navigate(pageURL)); err != nil {
		return nil, fmt.Errorf("open host page: %w", err)
	}
	app, err := frameTarget(tab, frameURL)
	if err != nil {
		return nil, err
	}
	ready := fmt.Sprintf(`document.documentElement.dataset.theme === %q && !!document.querySelector("#customer-panel") && document.fonts.status === "loaded"`, s.theme)
	if err := poll(app, ready, 15*time.Second); err != nil {
		return nil, err
	}
	if s.explorer {
		const resolve = `(() => { const m = JSON.parse(payload); m.data.conversation.status = "resolved";
			frame.contentWindow.postMessage(JSON.stringify(m), "*"); })()`
		if _, err := chromedp.Run(tab, chromedp.Evaluate[any](resolve)); err != nil {
			return nil, fmt.Errorf("post the second appContext: %w", err)
		}
		if err := poll(app, `window.dashappBridge.accepted >= 2 && document.getElementById("panel").getAttribute("aria-busy") === "false"`, 10*time.Second); err != nil {
			return nil, err
		}
		if _, err := chromedp.Run(app, chromedp.Evaluate[any](`document.getElementById("tab-explorer").click()`)); err != nil {
			return nil, fmt.Errorf("open the explorer: %w", err)
		}
		if err := poll(app, `!!document.querySelector("#explorer-detail table.diff")`, 10*time.Second); err != nil {
			return nil, err
		}
	}
	if s.file == orderDetailShot {
		if _, err := chromedp.Run(app, chromedp.Evaluate[any](openOrderDetail)); err != nil {
			return nil, fmt.Errorf("open an order's detail: %w", err)
		}
		if err := poll(app, orderDetailShown, 10*time.Second); err != nil {
			return nil, err
		}
	}
	return chromedp.Run(tab, chromedp.Screenshot("#app"))
}

// captureSimulator photographs the host simulator once its frame shows the
// first preset and the editor's schema report is in.
func captureSimulator(browser context.Context, simulatorURL, appURL string) ([]byte, error) {
	tab, cancel := chromedp.NewContext(browser)
	defer cancel()
	if err := chromedp.Do(tab, chromedp.EmulateViewport(1400, 1000), chromedp.Navigate(simulatorURL)); err != nil {
		return nil, fmt.Errorf("open the simulator: %w", err)
	}
	app, err := frameTarget(tab, appURL)
	if err != nil {
		return nil, err
	}
	if err := poll(app, `!!document.querySelector("#customer-panel") && document.fonts.status === "loaded"`, 15*time.Second); err != nil {
		return nil, err
	}
	if err := poll(tab, `!!document.querySelector("#editor-report .schema-report")`, 10*time.Second); err != nil {
		return nil, err
	}
	return chromedp.Run(tab, chromedp.CaptureScreenshot())
}

func frameTarget(tab context.Context, prefix string) (context.Context, error) {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		targets, err := chromedp.Targets(tab)
		if err != nil {
			return nil, fmt.Errorf("list targets: %w", err)
		}
		for _, info := range targets {
			if info.Type == "iframe" && strings.HasPrefix(info.URL, prefix) {
				ctx, _ := chromedp.NewContext(tab, chromedp.WithTargetID(info.TargetID))
				return ctx, nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil, fmt.Errorf("no iframe target for %s", prefix)
}

func poll(ctx context.Context, expr string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr)); err == nil && ok {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML.slice(0, 3000) + JSON.stringify(window.dashappBridge)`))
	return fmt.Errorf("timed out waiting for %s: %s", expr, state)
}
