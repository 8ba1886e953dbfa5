package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// A contact that matches nobody, whose message mentions Layla's order:
// the panel names her as its customer, and "Show" opens her panel, in the
// real cross-origin frame.
func TestBrowserMentionedOrderForUnmatchedContact(t *testing.T) {
	app := embed(t).open(t, compactJSON(t, readFixture(t, "anonymous_mention.json")), hostMode{SendOnLoad: true, Answer: true}, "")
	waitJS(t, app, `document.querySelector("#customer-panel .empty") && document.querySelector(".mentions .mention")`, 10*time.Second)
	text := evalJS[string](t, app, `document.querySelector(".mentions").innerText.replace(/\s+/g, " ")`)
	if !strings.Contains(text, "#ORD-000005") || !strings.Contains(text, "Layla Al-Harbi") {
		t.Fatalf("mentions read %q, want ORD-000005 and Layla Al-Harbi", text)
	}
	execJS(t, app, `document.querySelector(".mentions button.open-customer").click()`)
	waitJS(t, app, `document.querySelector('#customer-panel[data-matched-by="chosen"] #customer-name')?.textContent.trim() === "Layla Al-Harbi"`, 10*time.Second)
	if n := evalJS[int](t, app, `document.querySelectorAll("#customer-panel table.orders tbody tr").length`); n == 0 {
		t.Error("the chosen panel shows no orders")
	}
}

// With an access key, the search carries the session token and the
// panel's grant: a phone typed as a local number with spaces and an order
// number each find Layla, and her result opens her panel.
func TestBrowserSearchFindsACustomer(t *testing.T) {
	host, page := newHost(t)
	base := startApp(t, "-key", testKey, "-demo=on", "-allowed-origins", host.URL)
	appBase := strings.Replace(base, "127.0.0.1", "localhost", 1)
	browser := newBrowser(t)
	*page = hostPage(t, appBase+"/?key="+testKey, compactJSON(t, readFixture(t, "anonymous.json")), hostMode{SendOnLoad: true, Answer: true}, "")
	do(t, browser, chromedp.Navigate(host.URL))
	app := frameContext(t, browser, appBase+"/")
	waitJS(t, app, `document.querySelector("#customer-panel .empty") && document.querySelector("#customer-search")`, 10*time.Second)
	for _, q := range []string{"050 000 0001", "ORD-000005"} {
		execJS(t, app, `document.querySelector("#search-results").replaceChildren();
			document.querySelector("#customer-search").value = `+jsString(t, q)+`;
			document.querySelector("form[role=search] button[type=submit]").click()`)
		waitJS(t, app, `document.querySelector("#search-results .candidate, #search-results .note, #search-results [role=alert]")`, 10*time.Second)
		got := evalJS[string](t, app, `document.querySelector("#search-results").innerText.replace(/\s+/g, " ")`)
		if !strings.Contains(got, "Layla Al-Harbi") {
			t.Fatalf("search %q shows %q, want Layla Al-Harbi", q, got)
		}
	}
	execJS(t, app, `document.querySelector("#search-results button.open-customer").click()`)
	waitJS(t, app, `document.querySelector('#customer-panel[data-matched-by="chosen"] #customer-name')?.textContent.trim() === "Layla Al-Harbi"`, 10*time.Second)
	// Load more in the chosen panel carries her grant as well.
	waitJS(t, app, `document.querySelector("#orders-more button")`, 10*time.Second)
}

// Above a matched customer the search waits behind the header's search
// button, so that it does not push the panel down a narrow pane; the
// button opens it with the focus in the field, and closes it again.
func TestBrowserHeaderSearchOpensAboveAMatch(t *testing.T) {
	app := embed(t).open(t, compactJSON(t, readFixture(t, "layla.json")), hostMode{SendOnLoad: true, Answer: true}, "")
	waitJS(t, app, `document.querySelector("#customer-panel[data-matched-by]") && !document.querySelector("#search-toggle").hidden`, 10*time.Second)
	if shown := evalJS[bool](t, app, `document.querySelector("#finder").checkVisibility()`); shown {
		t.Fatal("the search shows above a matched customer before the agent asks for it")
	}
	execJS(t, app, `document.querySelector("#search-toggle").click()`)
	waitJS(t, app, `document.querySelector("#finder").checkVisibility() && document.activeElement.id === "customer-search"`, 5*time.Second)
	if got := evalJS[string](t, app, `document.querySelector("#search-toggle").getAttribute("aria-expanded")`); got != "true" {
		t.Errorf("search button aria-expanded %q once open, want true", got)
	}
	execJS(t, app, `document.querySelector("#search-toggle").click()`)
	waitJS(t, app, `!document.querySelector("#finder").checkVisibility() && document.querySelector("#search-toggle").getAttribute("aria-expanded") === "false"`, 5*time.Second)
}
