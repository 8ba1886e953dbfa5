package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// brokenWords lists the words of the explorer log's cells that wrap onto a
// second line: a word whose Range has more than one line box.
const brokenWords = `(() => {
  const broken = [];
  for (const cell of document.querySelectorAll(".explorer-log :is(th, td)")) {
    const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node; (node = walk.nextNode()); ) {
      for (const m of node.data.matchAll(/\S+/g)) {
        const r = document.createRange();
        r.setStart(node, m.index);
        r.setEnd(node, m.index + m[0].length);
        const lines = new Set([...r.getClientRects()].filter(b => b.width > 0).map(b => Math.round(b.top)));
        if (lines.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
})()`

// The explorer's log never breaks a word, at a wide pane (968 px) or the
// narrowest (320 px), and the page does not scroll sideways; the raw JSON
// also shows pretty-printed, the same value as sent.
func TestBrowserExplorerLogKeepsWords(t *testing.T) {
	e := embed(t)
	browser := e.browser
	do(t, browser, chromedp.EmulateViewport(1500, 900))
	app := e.open(t, compactJSON(t, readFixture(t, "layla.json")), hostMode{SendOnLoad: true, Answer: true}, "")
	waitJS(t, app, `document.querySelector("#customer-panel")`, 10*time.Second)
	// An ignored message too: its row carries a preview.
	execJS(t, browser, `document.getElementById("app").contentWindow.postMessage("{\"event\":\"other\",\"data\":\"Inspect Accepted ignored preview text\"}", "*")`)
	waitJS(t, app, `window.dashappBridge.log.length >= 2`, 5*time.Second)
	execJS(t, app, `document.getElementById("tab-explorer").click()`)
	waitJS(t, app, `document.querySelector(".explorer-log .js-inspect") && document.querySelector("#explorer-detail")`, 10*time.Second)

	for _, width := range []int{968, 320} {
		execJS(t, browser, fmt.Sprintf(`document.getElementById("app").style.width = "%dpx"`, width))
		waitJS(t, app, fmt.Sprintf(`innerWidth === %d`, width), 5*time.Second)
		if broken := evalJS[[]string](t, app, brokenWords); len(broken) > 0 {
			t.Errorf("at %d px the log breaks the words %q", width, broken)
		}
		if sideways := evalJS[bool](t, app, `document.documentElement.scrollWidth > document.documentElement.clientWidth`); sideways {
			t.Errorf("at %d px the page scrolls sideways: %s", width, evalJS[string](t, app, `[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > innerWidth + 1).slice(0, 8).map(e => e.tagName + "." + e.className + ":" + Math.round(e.getBoundingClientRect().right)).join(" ")`))
		}
	}

	pretty := evalJS[string](t, app, `document.querySelector("#explorer-detail .raw-pretty pre").textContent`)
	raw := evalJS[string](t, app, `document.querySelector("#explorer-detail .raw-json pre").textContent`)
	if !strings.Contains(pretty, "\n  \"") {
		t.Errorf("the pretty-printed JSON is not indented:\n%.300s", pretty)
	}
	var a, b any
	if json.Unmarshal([]byte(pretty), &a) != nil || json.Unmarshal([]byte(raw), &b) != nil || fmt.Sprint(a) != fmt.Sprint(b) {
		t.Error("the pretty-printed JSON is not the raw JSON's value")
	}
}

// The bridge forwards a host's JSON string as its content, not re-quoted
// (explorer.HeaderPostedString), and the explorer still tells the
// dashboard's string form from a mobile client's object; both show the
// panel.
func TestBrowserExplorerKeepsTheHostsForm(t *testing.T) {
	e := embed(t)
	app := e.open(t, compactJSON(t, readFixture(t, "layla.json")), hostMode{SendOnLoad: true, Answer: true}, "")
	waitJS(t, app, `document.querySelector("#customer-panel")`, 10*time.Second)
	// The same message again, posted as an object, as mobile clients do.
	execJS(t, e.browser, `document.getElementById("app").contentWindow.postMessage(JSON.parse(`+jsString(t, compactJSON(t, readFixture(t, "layla.json")))+`), "*")`)
	waitJS(t, app, `window.dashappBridge.accepted >= 2`, 5*time.Second)
	execJS(t, app, `document.getElementById("tab-explorer").click()`)
	waitJS(t, app, `document.querySelectorAll(".explorer-log tbody tr").length >= 2`, 10*time.Second)
	rows := evalJS[string](t, app, `[...document.querySelectorAll(".explorer-log tbody tr")].map(r => r.textContent.replace(/\s+/g, " ")).join("\n")`)
	if !strings.Contains(rows, "Accepted (JSON string)") || !strings.Contains(rows, "Accepted (object)") {
		t.Errorf("the explorer's log does not show one message of each form:\n%s", rows)
	}
}
