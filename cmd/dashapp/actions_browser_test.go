package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"dashapp/handlers/bevatel"
	"dashapp/handlers/bevatel/bevateltest"
)

const actionsKey = "browser-actions-key-0123456789"

// embedWithActions is embed with the actions on against a fake Bevatel
// (which verifies the context too), an access key and the demo data.
func embedWithActions(t *testing.T, fake *bevateltest.Server, args ...string) *embedded {
	t.Helper()
	host, page := newHost(t)
	env := map[string]string{"DASHAPP_BEVATEL_TOKEN": bevateltest.UserToken}
	all := append([]string{"-allowed-origins", host.URL, "-key", actionsKey, "-demo=on", "-bevatel-url", fake.URL}, args...)
	base, _, _ := startAppWithEnv(t, env, all...)
	appURL := strings.Replace(base, "127.0.0.1", "localhost", 1) + "/"
	return &embedded{browser: newBrowser(t), hostURL: host.URL, appURL: appURL, page: page}
}

// openKeyed is embedded.open for an app with the access key: the frame
// opens with ?key=, which the page then drops from its address.
func openKeyed(t *testing.T, e *embedded, payload string) context.Context {
	t.Helper()
	*e.page = hostPage(t, e.appURL+"?key="+actionsKey, payload, hostMode{SendOnLoad: true, Answer: true}, "")
	do(t, e.browser, chromedp.Navigate(e.hostURL))
	return frameContext(t, e.browser, e.appURL)
}

// laylaAs is Layla's payload for contact id (not linked in the demo data),
// with the contact's custom attributes.
func laylaAs(t *testing.T, id int64, attrs map[string]any) string {
	t.Helper()
	var msg map[string]any
	if err := json.Unmarshal([]byte(readFixture(t, "layla.json")), &msg); err != nil {
		t.Fatal(err)
	}
	data := msg["data"].(map[string]any)
	contact := data["contact"].(map[string]any)
	contact["id"] = id
	contact["custom_attributes"] = attrs
	data["conversation"].(map[string]any)["meta"].(map[string]any)["sender"].(map[string]any)["id"] = id
	b, err := json.Marshal(msg)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func newActionsFake(t *testing.T) *bevateltest.Server {
	fake := bevateltest.New()
	t.Cleanup(fake.Close)
	fake.AddContact(1, bevatel.Contact{ID: 999, Name: "Layla", CustomAttributes: map[string]any{"tier": "gold"}})
	fake.AddConversation(1, 101, 999, nil)
	return fake
}

func TestBrowserLinkThenReloadMatchesByRef(t *testing.T) {
	fake := newActionsFake(t)
	e := embedWithActions(t, fake)
	app := openKeyed(t, e, laylaAs(t, 999, nil))
	waitJS(t, app, `document.querySelector('form[hx-post="/actions/link"] button')`, 10*time.Second)
	if got := evalJS[string](t, app, `document.querySelector("#customer-panel").dataset.matchedBy`); got == "customer_ref" || got == "contact_id" {
		t.Fatalf("contact 999 already matched by %s", got)
	}
	for _, v := range runAxe(t, app, axeSource(t)) {
		t.Errorf("panel with actions: %s (%s): %s\n    %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n    "))
	}
	execJS(t, app, `document.querySelector('form[hx-post="/actions/link"] button').click()`)
	// The demo links Layla to contact 1: the panel asks before moving it.
	waitJS(t, app, `document.querySelector('#action-result [data-outcome="false"] form button')`, 10*time.Second)
	if got := evalJS[string](t, app, `document.querySelector('#action-result').textContent`); !strings.Contains(got, "#1") {
		t.Errorf("the move confirmation does not name the other contact: %q", got)
	}
	execJS(t, app, `document.querySelector('#action-result form button').click()`)
	waitJS(t, app, `document.querySelector('#action-result [data-outcome="true"]') || document.querySelector('#action-result .failed p + p') == null`, 10*time.Second)
	if !evalJS[bool](t, app, `!!document.querySelector('#action-result [data-outcome="true"]')`) {
		t.Fatalf("link failed: %s", evalJS[string](t, app, `document.querySelector('#action-result').innerHTML`))
	}

	c, _ := fake.Contact(1, 999)
	value, _ := c.CustomAttributes["shop_customer_ref"].(string)
	if !strings.Contains(value, "~") || c.CustomAttributes["tier"] != "gold" {
		t.Fatalf("contact's attributes after link: %v", c.CustomAttributes)
	}
	// Reload: the dashboard sends the contact as Bevatel now holds it.
	app = openKeyed(t, e, laylaAs(t, 999, c.CustomAttributes))
	waitJS(t, app, `document.querySelector("#customer-panel")`, 10*time.Second)
	if got := evalJS[string](t, app, `document.querySelector("#customer-panel").dataset.matchedBy`); got != "customer_ref" {
		t.Errorf("after link and reload, matched by %q, want customer_ref", got)
	}
	if evalJS[bool](t, app, `!!document.querySelector('form[hx-post="/actions/unlink"]')`) != true {
		t.Error("a linked customer offers no unlink")
	}
}

func TestBrowserNoteDoubleClickMakesOneNote(t *testing.T) {
	fake := newActionsFake(t)
	e := embedWithActions(t, fake)
	app := openKeyed(t, e, laylaAs(t, 999, nil))
	openFirstOrder(t, app) // the note button is in the order's detail
	execJS(t, app, `document.querySelector('form[hx-post="/actions/note/preview"] button').click()`)
	waitJS(t, app, `document.querySelector("#note-text")`, 10*time.Second)
	if text := evalJS[string](t, app, `document.querySelector("#note-text").value`); !strings.Contains(text, "Total:") {
		t.Fatalf("note text: %q", text)
	}
	for _, v := range runAxe(t, app, axeSource(t)) {
		t.Errorf("confirmation: %s (%s): %s\n    %s", v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n    "))
	}
	// A double click: two submits of the same confirmation, as fast as the
	// browser sends them, and a third by a retrying htmx-less client.
	execJS(t, app, `(() => {
		const f = new URLSearchParams(new FormData(document.querySelector("#note-form")));
		for (const sel of ["#action-context", "#action-customer"]) for (const [k, v] of new FormData(document.querySelector(sel))) f.append(k, v);
		window.confirmation = f;
		const b = document.querySelector("#note-post"); b.click(); b.click();
	})()`)
	waitJS(t, app, `document.querySelector('#action-result [data-outcome="true"]')`, 10*time.Second)
	execJS(t, app, `(() => {
		const f = window.confirmation;
		window.retry = fetch("/actions/note", {method: "POST", body: f, headers: {"X-Dashapp-Token": JSON.parse(document.querySelector("#dashapp-config").textContent).token}}).then(r => r.status);
	})()`)
	waitJS(t, app, `window.retry && (window.retry.then(s => window.retryStatus = s), window.retryStatus)`, 10*time.Second)
	if s := evalJS[float64](t, app, `window.retryStatus`); s != 200 {
		t.Errorf("the retried confirmation: status %v, want 200 (the first one's result)", s)
	}
	if msgs := fake.Messages(1, 101); len(msgs) != 1 || !msgs[0].Private {
		t.Errorf("messages at the fake: %+v, want one private note", msgs)
	}
}

func TestBrowserActionsOffHaveNoButtons(t *testing.T) {
	fake := newActionsFake(t)
	e := embedWithActions(t, fake, "-actions=false")
	app := openKeyed(t, e, laylaAs(t, 999, nil))
	waitJS(t, app, `document.querySelector("#customer-panel .customer")`, 10*time.Second)
	if n := evalJS[float64](t, app, `document.querySelectorAll("form.action, #action-context, .actions-hint").length`); n != 0 {
		t.Errorf("%v action elements with DASHAPP_ACTIONS=off", n)
	}
}

// framedActions is an a11yPages state: the panel with its action buttons
// (its own app, with a fake Bevatel and a key), and with confirm the
// note's confirmation open.
func framedActions(theme, lang string, confirm bool) func(*testing.T, context.Context, string, *string, string) context.Context {
	return func(t *testing.T, browser context.Context, host string, page *string, _ string) context.Context {
		fake := newActionsFake(t)
		env := map[string]string{"DASHAPP_BEVATEL_TOKEN": bevateltest.UserToken}
		base, _, _ := startAppWithEnv(t, env, "-allowed-origins", host, "-key", actionsKey, "-demo=on", "-bevatel-url", fake.URL)
		appURL := strings.Replace(base, "127.0.0.1", "localhost", 1) + "/"
		*page = hostPage(t, appURL+"?lang="+lang+"&theme="+theme+"&key="+actionsKey, withTheme(t, laylaAs(t, 999, nil), theme), hostMode{SendOnLoad: true, Answer: true}, "")
		do(t, browser, chromedp.Navigate(host))
		app := frameContext(t, browser, appURL)
		openFirstOrder(t, app) // the note button is in the order's detail
		if confirm {
			execJS(t, app, `document.querySelector('form[hx-post="/actions/note/preview"] button').click()`)
			waitJS(t, app, `document.querySelector("#note-text")`, 10*time.Second)
		}
		return app
	}
}

// openFirstOrder opens the first order's detail and waits for its note
// button.
func openFirstOrder(t *testing.T, app context.Context) {
	t.Helper()
	waitJS(t, app, `document.querySelector(".js-order-toggle")`, 10*time.Second)
	execJS(t, app, `document.querySelector(".js-order-toggle").click()`)
	waitJS(t, app, `document.querySelector('.detail-row form[hx-post="/actions/note/preview"] button')`, 10*time.Second)
}
