package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"dashapp/views"
)

// axe-core, vendored for tests only (see testdata/README.md).
const (
	axeFile   = "axe-4.14.1.min.js"
	axeSHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
)

// axeSource reads the vendored axe-core and checks it is the file the
// README names.
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", axeFile))
	if err != nil {
		t.Fatalf("read axe-core: %v", err)
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != axeSHA256 {
		t.Fatalf("testdata/%s does not match its checksum in testdata/README.md", axeFile)
	}
	return string(b)
}

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// runAxe evaluates axe-core in ctx (a frame target: Runtime.evaluate is not
// subject to the app's CSP, which would refuse an injected <script>) and
// returns the violations of impact serious or critical.
func runAxe(t *testing.T, ctx context.Context, source string) []axeViolation {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](source+"\n;true")); err != nil {
		t.Fatalf("load axe-core: %v", err)
	}
	// Each document is checked on its own: axe cannot enter a cross-origin
	// frame it was not injected into, and would wait a minute for it.
	const run = `axe.run(document, {resultTypes: ["violations"], iframes: false}).then(r => r.violations
  .filter(v => v.impact === "serious" || v.impact === "critical")
  .map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + ": " + (n.failureSummary || "").replace(/\s+/g, " "))})))`
	found, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](run, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe-core: %v", err)
	}
	return found
}

// withTheme returns a fixture as the host's one-line JSON string, with
// data.theme set as the dashboard would.
func withTheme(t *testing.T, fixture, theme string) string {
	t.Helper()
	var msg map[string]any
	if err := json.Unmarshal([]byte(fixture), &msg); err != nil {
		t.Fatal(err)
	}
	msg["data"].(map[string]any)["theme"] = theme
	b, err := json.Marshal(msg)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// a11yPage is one state of the app to check. open navigates the browser
// and returns the context of the document to check, once it shows the
// state. New pages (the simulator, the payload explorer) join the list.
type a11yPage struct {
	name string
	open func(t *testing.T, browser context.Context, host string, page *string, appURL string) context.Context
}

// framedPanel frames the app in lang, posts fixture in theme, and waits for
// ready inside the frame.
func framedPanel(fixture, theme, lang, ready string) func(*testing.T, context.Context, string, *string, string) context.Context {
	return func(t *testing.T, browser context.Context, host string, page *string, appURL string) context.Context {
		// Each case has its own frame URL, so frameContext cannot pick the
		// previous case's frame.
		frameURL := appURL + "?lang=" + lang + "&theme=" + theme
		*page = hostPage(t, frameURL, withTheme(t, readFixture(t, fixture), theme), hostMode{SendOnLoad: true, Answer: true}, "")
		do(t, browser, chromedp.Navigate(host))
		app := frameContext(t, browser, frameURL)
		waitJS(t, app, fmt.Sprintf(`document.documentElement.dataset.theme === %q && %s`, theme, ready), 10*time.Second)
		return app
	}
}

// framedExplorer opens the explorer tab after Layla's appContext and then
// James's: the log, the tree (open to treeOpenDepth), the schema report's
// findings and the diff are all on screen.
func framedExplorer(theme, lang string) func(*testing.T, context.Context, string, *string, string) context.Context {
	panel := framedPanel("layla.json", theme, lang, `document.querySelector("#customer-panel")`)
	return func(t *testing.T, browser context.Context, host string, page *string, appURL string) context.Context {
		app := panel(t, browser, host, page, appURL)
		execJS(t, browser, `postContext(`+jsString(t, withTheme(t, readFixture(t, "james.json"), theme))+`)`)
		waitJS(t, app, `document.querySelector("#customer-panel").innerText.includes("James Carter")`, 10*time.Second)
		execJS(t, app, `document.getElementById("tab-explorer").click()`)
		waitJS(t, app, `document.querySelector("#explorer-detail table.diff") && document.querySelector("#explorer-detail .tree-node[open] .tree-node[open]") && document.querySelector("#explorer-detail table.findings")`, 10*time.Second)
		if shown := evalJS[string](t, app, `[...document.querySelectorAll('[role="tabpanel"]')].filter(p => p.checkVisibility()).map(p => p.id).join()`); shown != "explorer" {
			t.Fatalf("tab panels on screen: %q, want the explorer alone", shown)
		}
		if got, want := evalJS[string](t, app, `document.getElementById("explorer-log-title").textContent`), views.T(lang, "explorer.log"); got != want {
			t.Errorf("explorer heading %q, want %q", got, want)
		}
		return app
	}
}

// searchResults searches "050 000 0001" from the no-match panel.
func searchResults(theme, lang string) func(*testing.T, context.Context, string, *string, string) context.Context {
	panel := framedPanel("anonymous.json", theme, lang, `document.querySelector("#customer-search")`)
	return func(t *testing.T, browser context.Context, host string, page *string, appURL string) context.Context {
		app := panel(t, browser, host, page, appURL)
		execJS(t, app, `document.querySelector("#customer-search").value = "050 000 0001"; document.querySelector("form[role=search] button[type=submit]").click()`)
		waitJS(t, app, `document.querySelector("#search-results .candidate button.open-customer")`, 10*time.Second)
		return app
	}
}

// chosenCustomer opens the customer of the order the conversation mentions.
func chosenCustomer(theme, lang string) func(*testing.T, context.Context, string, *string, string) context.Context {
	panel := framedPanel("anonymous_mention.json", theme, lang, `document.querySelector(".mentions button.open-customer")`)
	return func(t *testing.T, browser context.Context, host string, page *string, appURL string) context.Context {
		app := panel(t, browser, host, page, appURL)
		execJS(t, app, `document.querySelector(".mentions button.open-customer").click()`)
		waitJS(t, app, `document.querySelector('#customer-panel[data-matched-by="chosen"] table.orders')`, 10*time.Second)
		return app
	}
}

// simulatorPage opens the host simulator of the app under test, in the
// browser's light or dark colour scheme (the simulator has no theme of its
// own), once its frame shows the first preset.
func simulatorPage(scheme string) func(*testing.T, context.Context, string, *string, string) context.Context {
	return func(t *testing.T, browser context.Context, _ string, _ *string, appURL string) context.Context {
		media := emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}}
		if _, err := chromedp.Call(browser, emulation.SetEmulatedMedia, media); err != nil {
			t.Fatalf("emulate %s: %v", scheme, err)
		}
		t.Cleanup(func() { chromedp.Call(browser, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{}) })
		do(t, browser, chromedp.Navigate(strings.Replace(appURL, "localhost", "127.0.0.1", 1)+"simulator"))
		waitJS(t, browser, fmt.Sprintf(`matchMedia("(prefers-color-scheme: %s)").matches && document.querySelector("#editor-report .schema-report")`, scheme), 10*time.Second)
		return browser
	}
}

var a11yPages = []a11yPage{
	{"panel light en", framedPanel("layla.json", "light", "en", `document.querySelector("#customer-panel")`)},
	{"panel dark en", framedPanel("layla.json", "dark", "en", `document.querySelector("#customer-panel")`)},
	{"panel light ar", framedPanel("layla.json", "light", "ar", `document.querySelector("#customer-panel")`)},
	{"panel dark ar", framedPanel("layla.json", "dark", "ar", `document.querySelector("#customer-panel")`)},
	{"order detail light en", framedOrderDetail("light", "en")},
	{"order detail dark ar", framedOrderDetail("dark", "ar")},
	{"no match dark ar", framedPanel("anonymous.json", "dark", "ar", `document.querySelector("#customer-panel .empty")`)},
	// Finding the customer (search_browser_test.go): a mentioned order's
	// customer, search results, and the chosen customer's panel.
	{"mentioned order, no match light en", framedPanel("anonymous_mention.json", "light", "en", `document.querySelector(".mentions .mention")`)},
	{"search results dark ar", searchResults("dark", "ar")},
	{"chosen customer light en", chosenCustomer("light", "en")},
	{"waiting, outside the dashboard", func(t *testing.T, browser context.Context, _ string, _ *string, appURL string) context.Context {
		do(t, browser, chromedp.Navigate(appURL))
		waitJS(t, browser, `document.querySelector("#panel .js-refresh")`, 10*time.Second)
		return browser
	}},
	{"explorer light en", framedExplorer("light", "en")},
	{"explorer dark en", framedExplorer("dark", "en")},
	{"explorer light ar", framedExplorer("light", "ar")},
	{"explorer dark ar", framedExplorer("dark", "ar")},
	{"simulator light", simulatorPage("light")},
	{"simulator dark", simulatorPage("dark")},
	{"status light en", statusA11yPage("en", "light")},
	{"status dark ar", statusA11yPage("ar", "dark")},
	// Issue 12's states: the compact sidebar with payments opened, the
	// simulator's state presets, the explorer's pretty-printed JSON.
	{"compact 320 light en", framedCompact("light", "en")},
	{"compact 320 dark ar", framedCompact("dark", "ar")},
	{"several match light en", framedState("several", "light", "en", `document.querySelector("#customer-panel .candidate")`)},
	{"several match dark ar", framedState("several", "dark", "ar", `document.querySelector("#customer-panel .candidate")`)},
	{"mentioned order light ar", framedState("mentioned", "light", "ar", `document.querySelector("#customer-panel .empty")`)},
	{"explorer pretty 320 dark ar", framedPretty("dark", "ar")},
	{"panel with actions light en", framedActions("light", "en", false)},
	{"note confirmation dark ar", framedActions("dark", "ar", true)},
	{"note confirmation light en", framedActions("light", "en", true)},
}

// framedCompact is the panel at 320 px with its payments section opened.
func framedCompact(theme, lang string) func(*testing.T, context.Context, string, *string, string) context.Context {
	panel := framedPanel("layla.json", theme, lang, `document.querySelector("#customer-panel table.orders")`)
	return func(t *testing.T, browser context.Context, host string, page *string, appURL string) context.Context {
		app := panel(t, browser, host, page, appURL)
		execJS(t, browser, `document.getElementById("app").style.width = "320px"`)
		execJS(t, app, `document.querySelector("#payments-section").open = true`)
		waitJS(t, app, `innerWidth === 320 && document.querySelector("table.payments tbody tr:not(.pending-row)").getBoundingClientRect().height > 0`, 5*time.Second)
		return app
	}
}

// framedState frames the panel for one of the simulator's state presets.
func framedState(state, theme, lang, ready string) func(*testing.T, context.Context, string, *string, string) context.Context {
	return func(t *testing.T, browser context.Context, host string, page *string, appURL string) context.Context {
		resp, err := http.Get(appURL + "simulator/states/" + state)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("state preset %s: %d %v", state, resp.StatusCode, err)
		}
		frameURL := appURL + "?lang=" + lang + "&theme=" + theme + "&state=" + state
		*page = hostPage(t, frameURL, withTheme(t, string(body), theme), hostMode{SendOnLoad: true, Answer: true}, "")
		do(t, browser, chromedp.Navigate(host))
		app := frameContext(t, browser, frameURL)
		waitJS(t, app, fmt.Sprintf(`document.documentElement.dataset.theme === %q && %s`, theme, ready), 10*time.Second)
		return app
	}
}

// framedPretty is the explorer at 320 px with the pretty-printed JSON open.
func framedPretty(theme, lang string) func(*testing.T, context.Context, string, *string, string) context.Context {
	explorer := framedExplorer(theme, lang)
	return func(t *testing.T, browser context.Context, host string, page *string, appURL string) context.Context {
		app := explorer(t, browser, host, page, appURL)
		execJS(t, browser, `document.getElementById("app").style.width = "320px"`)
		execJS(t, app, `document.querySelector("#explorer-detail .raw-pretty").open = true`)
		waitJS(t, app, `innerWidth === 320`, 5*time.Second)
		return app
	}
}

// TestBrowserAccessibility runs axe-core against every state in a11yPages
// and fails on any serious or critical violation.
func TestBrowserAccessibility(t *testing.T) {
	browser := newBrowser(t)
	source := axeSource(t)
	host, page := newHost(t)
	appURL := appOnLocalhost(t, host.URL)
	for i, p := range a11yPages {
		t.Run(p.name, func(t *testing.T) {
			doc := p.open(t, browser, host.URL, page, appURL)
			if i == 0 {
				// A button without a name is critical: axe must see it, or
				// a clean result below means nothing.
				execJS(t, doc, `document.querySelector("#panel").append(Object.assign(document.createElement("button"), {id: "axe-probe"}))`)
				planted := runAxe(t, doc, source)
				execJS(t, doc, `document.querySelector("#axe-probe").remove()`)
				if len(planted) != 1 || planted[0].ID != "button-name" || !strings.Contains(strings.Join(planted[0].Nodes, " "), "#axe-probe") {
					t.Fatalf("axe did not report the planted unnamed button: %+v", planted)
				}
			}
			for _, v := range runAxe(t, doc, source) {
				t.Errorf("%s (%s): %s\n    %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n    "))
			}
		})
	}
}
