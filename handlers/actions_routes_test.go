package handlers

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gofiber/fiber/v2"

	"dashapp/db"
	"dashapp/db/shop"
	"dashapp/handlers/actions"
	"dashapp/handlers/bevatel"
	"dashapp/handlers/bevatel/bevateltest"
	"dashapp/handlers/ratelimit"
	"dashapp/handlers/session"
)

// actionsWorld is a server with keys, the demo database and the fake
// Bevatel, whose account 1 has Layla (contact 1) in conversation 101.
type actionsWorld struct {
	app   *fiber.App
	fake  *bevateltest.Server
	store *db.DB
	token string
	panel *goquery.Document
}

func newActionsWorld(t *testing.T, mutate ...func(*Deps)) *actionsWorld {
	t.Helper()
	w := &actionsWorld{fake: bevateltest.New()}
	t.Cleanup(w.fake.Close)
	w.fake.AddContact(1, bevatel.Contact{ID: 1, Name: "Layla", CustomAttributes: map[string]any{"tier": "gold"}})
	w.fake.AddConversation(1, 101, 1, nil)
	all := append(append([]func(*Deps){withKeys(newClock(), keyNew)}, mutate...), func(d *Deps) {
		w.store = d.Store.(*db.DB)
		if d.Actions != nil {
			return
		}
		api := bevatel.NewClient(w.fake.URL, bevateltest.UserToken, 300*time.Millisecond)
		d.Actions = actions.New(w.store, actions.Options{API: api, Now: d.Now, Logger: d.Logger, Signer: session.New([]string{keyNew}, 0, time.Now)})
	})
	w.app = newTestServer(t, all...)
	_, w.token = openPage(t, w.app, keyNew)
	resp := postContextWith(t, w.app, w.token)
	if resp.status != http.StatusOK {
		t.Fatalf("POST /context: %d\n%s", resp.status, resp.body)
	}
	w.panel = parse(t, resp.body)
	return w
}

// form collects the fields a form sends with its hx-include.
func (w *actionsWorld) form(t *testing.T, doc *goquery.Document, sel string) (string, url.Values) {
	t.Helper()
	f := doc.Find(sel).First()
	if f.Length() == 0 {
		t.Fatalf("no form %s", sel)
	}
	v := url.Values{}
	add := func(s *goquery.Selection) {
		s.Find("input, textarea").Each(func(_ int, in *goquery.Selection) {
			name, _ := in.Attr("name")
			val, ok := in.Attr("value")
			if !ok {
				val = in.Text()
			}
			v.Set(name, val)
		})
	}
	add(w.panel.Find("#action-context"))
	add(w.panel.Find("#action-customer"))
	add(f)
	action, _ := f.Attr("hx-post")
	return action, v
}

func (w *actionsWorld) post(t *testing.T, path string, v url.Values) response {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	return do(t, w.app, withToken(req, w.token))
}

func TestLinkWritesTheSignedRefAndAnAuditRow(t *testing.T) {
	w := newActionsWorld(t)
	// The demo links Layla by contact id: unlink, then link again.
	path, v := w.form(t, w.panel, `form[hx-post="/actions/unlink"]`)
	if resp := w.post(t, path, v); resp.status != http.StatusOK || !strings.Contains(resp.body, "Unlinked") {
		t.Fatalf("unlink: %d\n%s", resp.status, resp.body)
	}
	path = "/actions/link"
	v.Set("key", "link-again")
	resp := w.post(t, path, v)
	if resp.status != http.StatusOK || !strings.Contains(resp.body, `data-outcome="true"`) {
		t.Fatalf("link: %d\n%s", resp.status, resp.body)
	}
	var put *bevateltest.Request
	for _, r := range w.fake.Requests() {
		if r.Method == http.MethodPut {
			put = &r
		}
	}
	if put == nil || put.Path != "/api/v1/accounts/1/contacts/1" || put.Header.Get("api_access_token") != bevateltest.UserToken {
		t.Fatalf("no PUT of contact 1 with the token: %+v", w.fake.Requests())
	}
	if _, ok := put.JSON["identifier"]; ok {
		t.Error("link wrote identifier")
	}
	c, _ := w.fake.Contact(1, 1)
	value, _ := c.CustomAttributes["shop_customer_ref"].(string)
	ref, err := w.store.CustomerRef(context.Background(), mustInt(t, v.Get("customer")))
	if err != nil {
		t.Fatal(err)
	}
	if got := session.New([]string{keyNew}, 0, time.Now).LinkedRef(1, value); got != ref || !strings.Contains(value, "~") {
		t.Errorf("shop_customer_ref %q reads as %q, want signed %q", value, got, ref)
	}
	if c.CustomAttributes["tier"] != "gold" {
		t.Errorf("link replaced the contact's other attributes: %v", c.CustomAttributes)
	}
	page, err := w.store.Audit(context.Background(), 10, "")
	if err != nil || len(page.Actions) != 2 || page.Actions[0].Kind != shop.ActionLink || page.Actions[1].Kind != shop.ActionUnlink || page.Actions[0].Outcome != shop.OutcomeOK ||
		page.Actions[0].AgentName != "Omar Haddad" || page.Actions[0].ConversationID != 101 {
		t.Errorf("audit after link: %+v, %v", page.Actions, err)
	}
}

func TestWritesNeedTheGrant(t *testing.T) {
	w := newActionsWorld(t)
	path, v := w.form(t, w.panel, `form[hx-post="/actions/unlink"]`)
	for name, change := range map[string]func(url.Values){
		"no grant":           func(v url.Values) { v.Del("grant") },
		"other conversation": func(v url.Values) { v.Set("conversation", "102") },
		"other contact":      func(v url.Values) { v.Set("contact", "2") },
		"other customer":     func(v url.Values) { v.Set("customer", "2") },
	} {
		bad := url.Values{}
		for k, vs := range v {
			bad[k] = append([]string(nil), vs...)
		}
		change(bad)
		if resp := w.post(t, path, bad); resp.status != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", name, resp.status)
		}
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp := do(t, w.app, req); resp.status != http.StatusUnauthorized {
		t.Errorf("no session token: status %d, want 401", resp.status)
	}
	if len(w.fake.Requests()) != 0 {
		t.Errorf("a refused write reached Bevatel: %+v", w.fake.Requests())
	}
}

// orderDetail opens the first order's detail, where its note button is.
func (w *actionsWorld) orderDetail(t *testing.T) *goquery.Document {
	t.Helper()
	if n := w.panel.Find(`form[hx-post="/actions/note/preview"]`).Length(); n != 0 {
		t.Errorf("the panel has %d note buttons; they belong in the order's detail", n)
	}
	detailURL, ok := w.panel.Find(".js-order-toggle").First().Attr("data-detail")
	if !ok {
		t.Fatal("no order opens a detail")
	}
	resp := do(t, w.app, withToken(httptest.NewRequest(http.MethodGet, detailURL, nil), w.token))
	if resp.status != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", detailURL, resp.status, resp.body)
	}
	return parse(t, resp.body)
}

// notePreview opens the first order's confirmation from its detail.
func notePreview(t *testing.T, w *actionsWorld) *goquery.Document {
	t.Helper()
	path, v := w.form(t, w.orderDetail(t), `form[hx-post="/actions/note/preview"]`)
	resp := w.post(t, path, v)
	if resp.status != http.StatusOK {
		t.Fatalf("preview: %d\n%s", resp.status, resp.body)
	}
	return parse(t, resp.body)
}

func TestNoteConfirmedTwiceMakesOneNote(t *testing.T) {
	w := newActionsWorld(t)
	confirm := notePreview(t, w)
	text := confirm.Find("#note-text").Text()
	if !strings.Contains(text, "Order ") || !strings.Contains(text, "Total: ") || !strings.Contains(text, "Omar Haddad") {
		t.Fatalf("note text:\n%s", text)
	}
	path, v := w.form(t, confirm, "#note-form")
	v.Set("text", text+"\nedited by the agent")
	first := w.post(t, path, v)
	second := w.post(t, path, v)
	for _, r := range []response{first, second} {
		if r.status != http.StatusOK || !strings.Contains(r.body, "Private note added") {
			t.Fatalf("note: %d\n%s", r.status, r.body)
		}
	}
	msgs := w.fake.Messages(1, 101)
	if len(msgs) != 1 || !msgs[0].Private || !strings.HasSuffix(msgs[0].Content, "edited by the agent") {
		t.Fatalf("messages at the fake: %+v", msgs)
	}
	for _, r := range w.fake.Requests() {
		if r.Method == http.MethodPost && r.Path == "/api/v1/accounts/1/conversations/101/messages" && r.JSON["private"] != true {
			t.Errorf("note posted without private: true: %s", r.Body)
		}
	}
	// Another confirmation of the same order asks first, naming when.
	again := notePreview(t, w)
	if again.Find("#note-recent").Length() == 0 {
		t.Error("the same order again within 10 minutes does not ask")
	}
	path2, v2 := w.form(t, confirm, "#note-form")
	v2.Set("key", "another-confirmation")
	if resp := w.post(t, path2, v2); resp.status != http.StatusConflict || !strings.Contains(resp.body, "note-recent") {
		t.Errorf("a second confirmation without asking: %d", resp.status)
	}
	if n := len(w.fake.Messages(1, 101)); n != 1 {
		t.Errorf("%d notes, want 1", n)
	}
}

func TestNoteFailuresAreShownAndRecorded(t *testing.T) {
	w := newActionsWorld(t)
	confirm := notePreview(t, w)
	path, v := w.form(t, confirm, "#note-form")
	v.Set("again", "1") // a failed note that may have been made asks before the next
	cases := []struct {
		name   string
		setup  func()
		status int
		says   string
	}{
		{"422", func() { w.fake.FailWith(http.StatusUnprocessableEntity) }, http.StatusBadGateway, "(422)"},
		{"5xx", func() { w.fake.FailWith(http.StatusInternalServerError) }, http.StatusBadGateway, "5xx"},
		{"401", func() { w.fake.FailWith(http.StatusUnauthorized) }, http.StatusBadGateway, "(401)"},
		{"timeout", func() { w.fake.FailWith(0); w.fake.SetDelay(time.Second) }, http.StatusGatewayTimeout, "did not answer in time"},
	}
	for i, tc := range cases {
		tc.setup()
		v.Set("key", "failure-"+tc.name)
		resp := w.post(t, path, v)
		if resp.status != tc.status || !strings.Contains(resp.body, tc.says) || !strings.Contains(resp.body, `data-outcome="false"`) {
			t.Errorf("%s: status %d, body\n%s", tc.name, resp.status, resp.body)
		}
		page, _ := w.store.Audit(context.Background(), 10, "")
		if len(page.Actions) != i+1 || page.Actions[0].Outcome == shop.OutcomeOK {
			t.Errorf("%s: audit %+v", tc.name, page.Actions)
		}
	}
	w.fake.SetDelay(0)
	if n := len(w.fake.Messages(1, 101)); n > 1 {
		t.Errorf("%d notes after the failures (the timeout may have made one)", n)
	}
}

func TestActionsOffShowNoButtons(t *testing.T) {
	w := newActionsWorld(t, func(d *Deps) { d.Config.ActionsOff = true })
	if n := w.panel.Find("form.action, #action-context").Length(); n != 0 {
		t.Errorf("%d action forms with DASHAPP_ACTIONS=off", n)
	}
	if resp := w.post(t, "/actions/link", url.Values{}); resp.status != http.StatusNotFound {
		t.Errorf("POST /actions/link with actions off: %d", resp.status)
	}
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	var n int64
	for _, r := range s {
		n = n*10 + int64(r-'0')
	}
	return n
}

func TestStatusPageShowsTheAuditTrail(t *testing.T) {
	w := newActionsWorld(t, func(d *Deps) { d.Shop = d.Store.(*db.DB) })
	path, v := w.form(t, w.panel, `form[hx-post="/actions/unlink"]`)
	if resp := w.post(t, path, v); resp.status != http.StatusOK {
		t.Fatalf("unlink: %d", resp.status)
	}
	resp := do(t, w.app, httptest.NewRequest(http.MethodGet, "/status?key="+keyNew+"&lang=ar", nil))
	doc := parse(t, resp.body)
	row := doc.Find("table.audit tbody tr")
	if resp.status != http.StatusOK || row.Length() != 1 || !strings.Contains(row.Text(), "Omar Haddad") ||
		!strings.Contains(row.Text(), "unlink") || !strings.Contains(row.Text(), "101") {
		t.Fatalf("status page audit: %d rows\n%s", row.Length(), resp.body)
	}
	if !strings.Contains(doc.Find("#audit-title").Text(), "الإجراءات") {
		t.Error("the audit's title is not in Arabic")
	}
}

func TestReplyOnlyWhenAllowedAndOrderAttribute(t *testing.T) {
	w := newActionsWorld(t)
	confirm := notePreview(t, w)
	if confirm.Find(`form[hx-post="/actions/reply"]`).Length() != 0 {
		t.Error("a reply is offered without DASHAPP_ALLOW_REPLIES")
	}
	_, v := w.form(t, confirm, "#note-form")
	if resp := w.post(t, "/actions/reply", v); resp.status != http.StatusNotFound {
		t.Errorf("POST /actions/reply without replies: %d", resp.status)
	}
	path, v := w.form(t, confirm, `form[hx-post="/actions/order-attribute"]`)
	w.fake.AddConversation(1, 101, 1, map[string]any{"priority": "high"})
	if resp := w.post(t, path, v); resp.status != http.StatusOK || !strings.Contains(resp.body, "order_number") {
		t.Fatalf("order attribute: %d\n%s", resp.status, resp.body)
	}
	attrs := w.fake.ConversationAttributes(1, 101)
	number := confirm.Find("#note-confirm-title").Text()
	if n, _ := attrs["order_number"].(string); n == "" || !strings.Contains(number, n) || attrs["priority"] != "high" {
		t.Errorf("conversation attributes %v after setting %q", attrs, number)
	}

	replies := newActionsWorld(t, func(d *Deps) {
		api := bevatel.NewClient(w.fake.URL, bevateltest.UserToken, time.Second)
		d.Actions = actions.New(d.Store.(*db.DB), actions.Options{API: api, AllowReplies: true, Now: d.Now, Signer: session.New([]string{keyNew}, 0, time.Now)})
	})
	confirm = notePreview(t, replies)
	form := confirm.Find(`form[hx-post="/actions/reply"]`)
	if !strings.Contains(form.Text(), "The customer will receive this message.") {
		t.Fatalf("the reply's confirmation does not say the customer receives it:\n%s", form.Text())
	}
	path, v = replies.form(t, confirm, `form[hx-post="/actions/reply"]`)
	v.Set("text", "Your order is on its way")
	before := len(w.fake.Messages(1, 101))
	if resp := replies.post(t, path, v); resp.status != http.StatusOK || !strings.Contains(resp.body, "sent to the customer") {
		t.Fatalf("reply: %d\n%s", resp.status, resp.body)
	}
	msgs := w.fake.Messages(1, 101)
	if len(msgs) != before+1 || msgs[len(msgs)-1].Private || msgs[len(msgs)-1].Content != "Your order is on its way" {
		t.Errorf("reply at the fake: %+v", msgs)
	}
}

type denyAll struct{}

func (denyAll) Verify(context.Context, int64, int64, int64) error {
	return fmt.Errorf("conversation belongs to someone else: %w", bevatel.ErrNotVerified)
}

func TestWritesCheckVerifiedContextAndTheirLimit(t *testing.T) {
	w := newActionsWorld(t, func(d *Deps) { d.Config.ActionRate = ratelimit.Rate{PerSecond: 0.001, Burst: 3} })
	path, v := w.form(t, w.orderDetail(t), `form[hx-post="/actions/note/preview"]`)
	statuses := []int{}
	for range 5 {
		statuses = append(statuses, w.post(t, path, v).status)
	}
	if statuses[2] != http.StatusOK || statuses[3] != http.StatusTooManyRequests {
		t.Errorf("statuses past a burst of 3: %v", statuses)
	}

	// A panel shown before the host denied the conversation cannot write.
	var verifier ContextVerifier
	denied := newActionsWorld(t, func(d *Deps) { d.Verifier = verifierFunc(func() ContextVerifier { return verifier }) })
	verifier = denyAll{}
	path, v = denied.form(t, denied.panel, `form[hx-post="/actions/unlink"]`)
	if resp := denied.post(t, path, v); resp.status != http.StatusForbidden {
		t.Errorf("write in a denied conversation: %d", resp.status)
	}
	if len(denied.fake.Requests()) != 0 {
		t.Error("a denied write reached Bevatel")
	}
}

// verifierFunc lets a test change its answer after the panel was shown.
type verifierFunc func() ContextVerifier

func (f verifierFunc) Verify(ctx context.Context, a, c, ct int64) error {
	if v := f(); v != nil {
		return v.Verify(ctx, a, c, ct)
	}
	return nil
}

func TestActionLogHoldsNoCustomerText(t *testing.T) {
	var logs bytes.Buffer
	w := newActionsWorld(t, func(d *Deps) { d.Logger = slog.New(slog.NewJSONHandler(&logs, nil)) })
	confirm := notePreview(t, w)
	path, v := w.form(t, confirm, "#note-form")
	v.Set("text", "Secret customer text 0xC0FFEE")
	if resp := w.post(t, path, v); resp.status != http.StatusOK {
		t.Fatalf("note: %d", resp.status)
	}
	w.fake.FailWith(http.StatusUnprocessableEntity)
	v.Set("key", "second")
	v.Set("again", "1")
	w.post(t, path, v)
	out := logs.String()
	if !strings.Contains(out, `"action":"note"`) {
		t.Fatalf("the service's log is not this logger's:\n%s", out)
	}
	for _, secret := range []string{"0xC0FFEE", "Omar", "ORD-", "layla", "Layla"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log holds %q:\n%s", secret, out)
		}
	}
}

func TestLinkFailureAtBevatelIsShownAndNotRepeated(t *testing.T) {
	w := newActionsWorld(t)
	path, v := w.form(t, w.panel, `form[hx-post="/actions/unlink"]`)
	w.post(t, path, v)
	w.fake.FailWith(http.StatusUnauthorized)
	before := len(w.fake.Requests())
	v.Set("key", "link-while-401")
	for range 2 {
		resp := w.post(t, "/actions/link", v)
		if resp.status != http.StatusBadGateway || !strings.Contains(resp.body, "Done in dashapp, not in Bevatel") || !strings.Contains(resp.body, "(401)") {
			t.Fatalf("link with a refused token: %d\n%s", resp.status, resp.body)
		}
	}
	// The first request read the contact (to merge) and stopped at the
	// 401; the second, a replay, calls nothing.
	if calls := w.fake.Requests()[before:]; len(calls) != 1 || calls[0].Path != "/api/v1/accounts/1/contacts/1" {
		t.Errorf("calls to Bevatel for one confirmation sent twice: %+v", calls)
	}
	page, _ := w.store.Audit(context.Background(), 10, "")
	if len(page.Actions) != 2 || page.Actions[0].Outcome != string(bevatel.KindUnauthorized) {
		t.Errorf("audit: %+v", page.Actions)
	}
}

// A customer found by search can be linked too: the search's results
// carry a link granted for the contact the panel was shown for, and
// posting it writes that customer's signed ref to the contact.
func TestLinkACustomerFoundBySearch(t *testing.T) {
	w := newActionsWorld(t)
	q := searchForm(w.panel.Find("form[role=search]"), "James")
	req := httptest.NewRequest(http.MethodGet, "/search?"+q.Encode(), nil)
	req.Header.Set("HX-Request", "true")
	resp := do(t, w.app, withToken(req, w.token))
	if resp.status != http.StatusOK {
		t.Fatalf("search: %d\n%s", resp.status, resp.body)
	}
	results := parse(t, resp.body)
	path, v := w.form(t, results, `.search-results form[hx-post="/actions/link"]`)
	james, err := w.store.CustomerRef(context.Background(), mustInt(t, v.Get("customer")))
	if err != nil || !strings.Contains(results.Find(".candidate").First().Text(), james) {
		t.Fatalf("the link form is not the first result's (%q, %v)", james, err)
	}
	if resp := w.post(t, path, v); resp.status != http.StatusOK || !strings.Contains(resp.body, `data-outcome="true"`) {
		t.Fatalf("link the found customer: %d\n%s", resp.status, resp.body)
	}
	c, _ := w.fake.Contact(1, 1)
	value, _ := c.CustomAttributes["shop_customer_ref"].(string)
	if got := session.New([]string{keyNew}, 0, time.Now).LinkedRef(1, value); got != james {
		t.Errorf("contact 1's shop_customer_ref reads as %q, want James's %q", got, james)
	}
	// The result's grant is for contact 1 alone.
	v.Set("contact", "2")
	v.Set("key", "other-contact")
	if resp := w.post(t, path, v); resp.status != http.StatusForbidden {
		t.Errorf("the result's link for another contact: %d, want 403", resp.status)
	}
}

// The customer of an order the conversation mentions can be linked from
// the mention, for the contact the panel was shown for.
func TestLinkTheOwnerOfAMentionedOrder(t *testing.T) {
	w := newActionsWorld(t)
	ctx := context.Background()
	found, err := w.store.SearchCustomers(ctx, "James", 1)
	if err != nil || len(found) != 1 {
		t.Fatalf("find James: %v, %v", found, err)
	}
	page, err := w.store.Orders(ctx, found[0].ID, "", 1)
	if err != nil || len(page.Orders) == 0 {
		t.Fatalf("James's orders: %v, %v", page, err)
	}
	payload := strings.ReplaceAll(string(fixture(t, "layla.json")), "SA-10482", page.Orders[0].Number)
	req := httptest.NewRequest(http.MethodPost, "/context", strings.NewReader(string(asHostString(t, []byte(payload)))))
	req.Header.Set("Content-Type", "application/json")
	resp := do(t, w.app, withToken(req, w.token))
	if resp.status != http.StatusOK {
		t.Fatalf("POST /context: %d\n%s", resp.status, resp.body)
	}
	path, v := w.form(t, parse(t, resp.body), `.mentions form[hx-post="/actions/link"]`)
	if got := mustInt(t, v.Get("customer")); got != found[0].ID {
		t.Fatalf("the mention links customer %d, want James (%d)", got, found[0].ID)
	}
	if resp := w.post(t, path, v); resp.status != http.StatusOK || !strings.Contains(resp.body, `data-outcome="true"`) {
		t.Fatalf("link the mentioned order's customer: %d\n%s", resp.status, resp.body)
	}
	c, _ := w.fake.Contact(1, 1)
	value, _ := c.CustomAttributes["shop_customer_ref"].(string)
	if got := session.New([]string{keyNew}, 0, time.Now).LinkedRef(1, value); got != found[0].Ref {
		t.Errorf("contact 1's shop_customer_ref reads as %q, want James's %q", got, found[0].Ref)
	}
}
