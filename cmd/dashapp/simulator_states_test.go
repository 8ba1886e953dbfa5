package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
)

// The simulator's state presets show the panel's other states, "Switch
// conversation" moves to the next conversation in a new frame, and the
// language and width controls reach the framed app.
func TestBrowserSimulatorStatesAndControls(t *testing.T) {
	browser, app, appTarget, base := openSimulator(t)
	next := func(old target.ID) target.ID {
		t.Helper()
		var id target.ID
		app, id = appFrame(t, browser, base, old)
		waitJS(t, app, `document.querySelector("#customer-panel")`, 10*time.Second)
		return id
	}
	state := func(name string) {
		t.Helper()
		execJS(t, browser, `document.querySelector('.js-state[data-state="`+name+`"]').click()`)
		appTarget = next(appTarget)
	}

	state("nomatch")
	if by := evalJS[string](t, app, `document.querySelector("#customer-panel").dataset.matchedBy`); by != "" || evalJS[int](t, app, `document.querySelectorAll("#customer-panel .empty").length`) != 1 {
		t.Errorf("no match preset: matched by %q:\n%s", by, panelText(t, app))
	}

	state("several")
	if n := evalJS[int](t, app, `document.querySelectorAll("#customer-panel .candidate").length`); n < 2 {
		t.Errorf("several match preset shows %d candidates:\n%s", n, panelText(t, app))
	}

	state("mentioned")
	number := evalJS[string](t, browser, `JSON.parse(document.getElementById("editor").value).data.conversation.custom_attributes.order_number`)
	mentioned := evalJS[bool](t, browser, `JSON.parse(document.getElementById("editor").value).data.conversation.messages.some(m => m.content.includes(`+jsString(t, number)+`))`)
	if number == "" || !mentioned {
		t.Errorf("the mentioned-order preset names order %q in its attribute, and in a message: %v", number, mentioned)
	}
	if by := evalJS[string](t, app, `document.querySelector("#customer-panel").dataset.matchedBy`); by != "" {
		t.Errorf("the mentioned-order preset's contact matched by %q, want nobody", by)
	}
	// The number is one of Layla's (the first customer's) orders.
	execJS(t, browser, `document.getElementById("preset").selectedIndex = 0; document.getElementById("preset").dispatchEvent(new Event("change"))`)
	appTarget = next(appTarget)
	if !strings.Contains(panelText(t, app), number) {
		t.Errorf("order %s of the mentioned preset is not Layla's", number)
	}

	// Switch conversation: the next preset, a new frame, another conversation.
	conv := func() float64 {
		return evalJS[float64](t, browser, `JSON.parse(document.getElementById("editor").value).data.conversation.id`)
	}
	before := conv()
	execJS(t, browser, `document.getElementById("switch").click()`)
	appTarget = next(appTarget)
	waitJS(t, browser, `document.getElementById("preset").selectedIndex === 1`, 5*time.Second)
	if after := conv(); after == before {
		t.Errorf("switch conversation stayed in conversation %v", after)
	}

	// Language: the frame reloads in Arabic, right to left.
	execJS(t, browser, `const l = document.getElementById("sim-lang"); l.value = "ar"; l.dispatchEvent(new Event("change"))`)
	appTarget = next(appTarget)
	if dir := evalJS[string](t, app, `document.querySelector("#customer-panel").dir`); dir != "rtl" {
		t.Errorf("the Arabic frame's panel is %q", dir)
	}
	// Width: the pane narrows to 320 px, and the app sees it.
	execJS(t, browser, `const w = document.getElementById("sim-width"); w.value = "320"; w.dispatchEvent(new Event("change"))`)
	waitJS(t, app, `innerWidth === 320`, 5*time.Second)
}
