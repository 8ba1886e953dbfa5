package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// openSimulator starts dashapp, opens its simulator on 127.0.0.1 and
// returns the browser, the app's frame (on localhost: cross-origin, as
// under the real dashboard) with its target id, and the base URL.
func openSimulator(t *testing.T) (browser, app context.Context, appTarget target.ID, base string) {
	t.Helper()
	base = startApp(t)
	browser = newBrowser(t)
	do(t, browser, chromedp.Navigate(base+"/simulator"))
	app, appTarget = appFrame(t, browser, base, "")
	waitJS(t, app, `document.querySelector("#customer-panel")`, 10*time.Second)
	return browser, app, appTarget, base
}

// appFrame attaches to the simulator's app frame, other than the one
// with id old: switching conversation replaces the frame.
func appFrame(t *testing.T, browser context.Context, base string, old target.ID) (context.Context, target.ID) {
	t.Helper()
	return frameTarget(t, browser, strings.Replace(base, "127.0.0.1", "localhost", 1)+"/", old)
}

// switchTo picks the first preset of a customer, which replaces the frame.
func switchTo(t *testing.T, browser context.Context, name string) {
	t.Helper()
	execJS(t, browser, `(() => { const s = document.getElementById("preset");
		s.value = [...s.options].find(o => o.text.startsWith(`+jsString(t, name)+`)).value;
		s.dispatchEvent(new Event("change")); })()`)
}

func panelText(t *testing.T, app context.Context) string {
	t.Helper()
	return evalJS[string](t, app, `document.querySelector("#customer-panel").innerText`)
}

// openExplorer shows the explorer tab and waits for the latest appContext,
// the one the panel shows (the host may have answered an early fetch-info
// too, so its number is not fixed).
func openExplorer(t *testing.T, app context.Context) string {
	t.Helper()
	execJS(t, app, `document.getElementById("tab-explorer").click()`)
	waitJS(t, app, `document.querySelector('#explorer-detail[data-seq="' + document.querySelector("#explorer tr.log-row[data-ignored=\"\"]").dataset.seq + '"] .schema-report')`, 10*time.Second)
	return evalJS[string](t, app, `document.querySelector("#explorer-detail .schema-report").innerText`)
}

func TestBrowserSimulatorThemeRogueAndSwitch(t *testing.T) {
	browser, app, appTarget, base := openSimulator(t)
	if text := panelText(t, app); !strings.Contains(text, "Layla Al-Harbi") {
		t.Fatalf("the first preset does not show Layla:\n%s", text)
	}

	// What was sent is checked against the documentation, under the editor;
	// the older host's message lacks currentAgent.
	waitJS(t, browser, `document.querySelector("#editor-report .schema-report")`, 5*time.Second)
	execJS(t, browser, `document.getElementById("older-host").checked = true; document.getElementById("check").click()`)
	waitJS(t, browser, `document.querySelector('#editor-report tr[data-kind="missing"]')?.innerText.includes("data.currentAgent")`, 5*time.Second)
	execJS(t, browser, `document.getElementById("older-host").checked = false`)

	execJS(t, browser, `document.getElementById("theme").click()`)
	waitJS(t, app, `document.documentElement.dataset.theme === "dark"`, 5*time.Second)

	// The rogue frame is the simulator's own origin, an allowed one, but not
	// the app's parent: it forges James three times.
	accepted := evalJS[int](t, app, `window.dashappBridge.accepted`)
	execJS(t, browser, `document.getElementById("rogue").click()`)
	waitJS(t, app, `window.dashappBridge.ignored["not-parent"] >= 3`, 10*time.Second)
	time.Sleep(300 * time.Millisecond) // a forged POST, had one been sent, would have landed by now
	if text := panelText(t, app); strings.Contains(text, "James Carter") || !strings.Contains(text, "Layla Al-Harbi") {
		t.Errorf("the rogue sender changed the panel:\n%s", text)
	}
	if n := evalJS[int](t, app, `window.dashappBridge.accepted`); n != accepted {
		t.Errorf("bridge accepted %d messages after the rogue's, want still %d", n, accepted)
	}
	openExplorer(t, app)
	waitJS(t, app, `document.querySelectorAll('#explorer tr.log-row[data-ignored="not-parent"]').length >= 3`, 10*time.Second)

	// A chatty sender: 100 messages at once reach the server as one batch of 20.
	const eventPosts = `performance.getEntriesByType("resource").filter(e => e.name.endsWith("/explorer/events")).length`
	before := evalJS[int](t, app, eventPosts)
	execJS(t, app, `for (let i = 0; i < 100; i++) window.postMessage("chatty " + i, "*")`)
	waitJS(t, app, `document.querySelectorAll('#explorer tr.log-row[data-ignored="not-parent"] .log-preview').length >= 23`, 10*time.Second)
	time.Sleep(700 * time.Millisecond) // a second POST, had one been sent, would have landed by now
	if posts := evalJS[int](t, app, eventPosts) - before; posts != 1 {
		t.Errorf("100 ignored messages at once made %d POST /explorer/events, want 1", posts)
	}
	if n := evalJS[int](t, app, `[...document.querySelectorAll("#explorer .log-preview")].filter(e => e.textContent.startsWith("chatty ")).length`); n != 20 {
		t.Errorf("the explorer logged %d of the chatty messages, want a batch of 20", n)
	}

	switchTo(t, browser, "James Carter")
	james, _ := appFrame(t, browser, base, appTarget)
	waitJS(t, james, `document.querySelector("#customer-panel") && document.querySelector("#customer-panel").innerText.includes("James Carter")`, 10*time.Second)

	// The new frame is a new page session: none of the old frame's log.
	openExplorer(t, james)
	if n := evalJS[int](t, james, `document.querySelectorAll('#explorer tr.log-row[data-ignored="not-parent"]').length`); n != 0 {
		t.Errorf("the new frame's explorer shows %d messages the old frame ignored", n)
	}
	if detail := evalJS[string](t, james, `document.querySelector("#explorer-detail").innerText`); !strings.Contains(detail, "James Carter") || strings.Contains(detail, "Layla Al-Harbi") {
		t.Errorf("the new frame inspects another page's appContext:\n%.300s", detail)
	}
}

func TestBrowserSimulatorReplaysExplorerDownload(t *testing.T) {
	browser, app, appTarget, base := openSimulator(t)
	wantPanel := panelText(t, app)
	wantReport := openExplorer(t, app)
	session := evalJS[string](t, app, `JSON.parse(document.getElementById("dashapp-config").textContent).session`)

	seq := evalJS[string](t, app, `document.querySelector("#explorer-detail").dataset.seq`)
	resp, err := http.Get(base + "/explorer/entries/" + seq + "/payload.json?session=" + session)
	if err != nil {
		t.Fatal(err)
	}
	download, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("download = %d, %v", resp.StatusCode, err)
	}

	// Another conversation first, so the replay lands in a fresh page session.
	switchTo(t, browser, "James Carter")
	replay, _ := appFrame(t, browser, base, appTarget)
	waitJS(t, replay, `document.querySelector("#customer-panel") && document.querySelector("#customer-panel").innerText.includes("James Carter")`, 10*time.Second)
	execJS(t, browser, `document.getElementById("editor").value = `+jsString(t, string(download)))
	execJS(t, browser, `document.getElementById("send").click()`)
	waitJS(t, replay, `document.querySelector("#customer-panel").innerText.includes("Layla Al-Harbi")`, 10*time.Second)

	if got := panelText(t, replay); got != wantPanel {
		t.Errorf("replayed panel differs:\n%s\nwant:\n%s", got, wantPanel)
	}
	if got := openExplorer(t, replay); got != wantReport {
		t.Errorf("replayed schema report differs:\n%s\nwant:\n%s", got, wantReport)
	}
	if got := evalJS[string](t, replay, `document.querySelector("#explorer-detail pre").textContent`); got != string(download) || !strings.Contains(got, "Layla Al-Harbi") {
		t.Errorf("replayed payload differs from the download:\n%.200s\nwant:\n%.200s", got, download)
	}
}
