package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"dashapp/db"
	"dashapp/db/shop"
	"dashapp/handlers/appcontext"
	"dashapp/handlers/bevatel"
	"dashapp/handlers/bevatel/bevateltest"
)

// withConversation edits a fixture's conversation: its messages' contents
// (newest last) and its custom attributes.
func withConversation(t *testing.T, name string, texts []string, attrs map[string]any) []byte {
	t.Helper()
	var payload map[string]any
	if err := json.Unmarshal(fixture(t, name), &payload); err != nil {
		t.Fatal(err)
	}
	conv := payload["data"].(map[string]any)["conversation"].(map[string]any)
	if texts != nil {
		first := conv["messages"].([]any)[0].(map[string]any)
		var msgs []any
		for i, text := range texts {
			m := map[string]any{}
			for k, v := range first {
				m[k] = v
			}
			m["id"], m["content"] = 20000+i, text
			msgs = append(msgs, m)
		}
		conv["messages"] = msgs
	}
	if attrs != nil {
		conv["custom_attributes"] = attrs
	}
	raw, err := json.Marshal(payload)
	if err != nil {
		t.Fatal(err)
	}
	return asHostString(t, raw)
}

func TestMentionedOrderOffersItsCustomer(t *testing.T) {
	app := newTestServer(t)
	body := withConversation(t, "anonymous.json", []string{"Hello", "Where is my order #ORD-000005? It was ORD-999999 before."}, nil)
	resp := postContext(t, app, body)
	if resp.status != http.StatusOK {
		t.Fatalf("status %d: %.300s", resp.status, resp.body)
	}
	doc := parse(t, resp.body)
	if doc.Find("#customer-panel .empty").Length() == 0 {
		t.Fatal("the anonymous contact should still match nobody")
	}
	mentions := doc.Find(".mentions .mention")
	if mentions.Length() != 1 {
		t.Fatalf("mentions: %d, want ORD-000005 alone (ORD-999999 does not exist): %s", mentions.Length(), doc.Find(".mentions").Text())
	}
	text := strings.Join(strings.Fields(mentions.Text()), " ")
	if !strings.Contains(text, "#ORD-000005") || !strings.Contains(text, "belongs to Layla Al-Harbi") {
		t.Errorf("mention reads %q", text)
	}
	open, ok := mentions.Find("button.open-customer").Attr("hx-get")
	if !ok || !strings.HasPrefix(open, "/customers/1/panel?") {
		t.Fatalf("mention opens %q, want Layla's panel", open)
	}
	chosen := hxGet(t, app, open)
	if chosen.status != http.StatusOK || parse(t, chosen.body).Find(`#customer-panel[data-matched-by="chosen"] #customer-name`).Text() != "Layla Al-Harbi" {
		t.Errorf("chosen panel %d: %.300s", chosen.status, chosen.body)
	}
	if parse(t, chosen.body).Find("table.orders tbody tr").Length() == 0 {
		t.Error("the chosen panel shows no orders")
	}
	payments := hxGet(t, app, paymentsURL(t, chosen))
	if payments.status != http.StatusOK || !strings.Contains(payments.body, "ORD-") {
		t.Errorf("the chosen panel's payments: %d %.300s", payments.status, payments.body)
	}
}

func TestMentionOfTheMatchedCustomersOrderOpensItsDetail(t *testing.T) {
	app := newTestServer(t)
	// The conversation's order_number attribute, as the demo sets it.
	resp := postContext(t, app, withConversation(t, "layla.json", nil, map[string]any{"order_number": "ORD-000003"}))
	doc := parse(t, resp.body)
	detail, ok := doc.Find(".mentions .mention button").Attr("hx-get")
	if !ok || !strings.HasPrefix(detail, "/customers/1/orders/3?") {
		t.Errorf("Layla's own mentioned order links %q, want its detail: %s", detail, doc.Find(".mentions").Text())
	}
	if doc.Find(".mentions .mention-owner").Length() != 0 {
		t.Error("her own order should not say whose it is")
	}
	// No known order number: no mentions section at all.
	doc = parse(t, postContext(t, app, asHostString(t, fixture(t, "layla.json"))).body)
	if doc.Find(".mentions").Length() != 0 {
		t.Errorf("SA-10482 is not in the shop, yet: %s", doc.Find(".mentions").Text())
	}
}

func TestOrderCandidatesAreBounded(t *testing.T) {
	var texts []string
	for i := range 100 {
		texts = append(texts, fmt.Sprintf("is ORD-%06d here? at 10 or 2026-01-0%d", i, i%10))
	}
	got := orderCandidates(convOf(texts, "#A1001"))
	if len(got) != mentionCandidates {
		t.Fatalf("%d candidates, want %d: %v", len(got), mentionCandidates, got)
	}
	// The attribute first, without its '#'; then the newest message's
	// tokens; words without digits and one-digit tokens never.
	if got[0] != "A1001" || got[1] != "ORD-000099" || slices.Contains(got, "is") || slices.Contains(got, "2") {
		t.Errorf("candidates %v", got)
	}
}

// Tokens end at any character that is not an order character, also a
// non-ASCII one (Arabic text, an accented letter, Arabic-Indic digits,
// which the order numbers of these shops never use), and one '#' or
// trailing punctuation is not part of a token.
func TestOrderCandidatesSplitAtEveryOtherCharacter(t *testing.T) {
	texts := []string{"رقم طلبي SO-1234، وشكراً", "caféSO-99x/ and «٣٣٣٣» then ##B-77-.", "ORD_5\u00e9"}
	got := orderCandidates(convOf(texts, "طلب#A-1001؟"))
	want := []string{"A-1001", "ORD_5", "SO-99x", "B-77", "SO-1234"}
	if !slices.Equal(got, want) {
		t.Errorf("candidates %q, want %q", got, want)
	}
}

func TestSearchFindsCustomers(t *testing.T) {
	app := newTestServer(t)
	search := func(q string) response {
		return hxGet(t, app, "/search?"+url.Values{"q": {q}, "conv": {"101"}, "lang": {"en"}}.Encode())
	}
	for _, tc := range []struct{ q, want string }{
		{"050 000 0001", "Layla Al-Harbi"},
		{"ORD-000005", "Layla Al-Harbi"},
		{"james.carter@example.com", "James Carter"},
		{"C-1007", "Daniel Okafor"},
		{"Dan", "Daniel Okafor"},
	} {
		resp := search(tc.q)
		doc := parse(t, resp.body)
		if resp.status != http.StatusOK || !strings.Contains(doc.Find(".search-results .candidate").First().Text(), tc.want) {
			t.Errorf("search %q: %d %.300s, want %s first", tc.q, resp.status, resp.body, tc.want)
		}
		if open, _ := doc.Find(".search-results button.open-customer").Attr("hx-get"); !strings.Contains(open, "/panel?") {
			t.Errorf("search %q: result opens %q", tc.q, open)
		}
	}
	if resp := search("x"); resp.status != http.StatusOK || !strings.Contains(resp.body, "at least 2") {
		t.Errorf("one letter: %d %.200s", resp.status, resp.body)
	}
	if resp := search(strings.Repeat("x", 101)); resp.status != http.StatusBadRequest {
		t.Errorf("101 characters: %d, want 400", resp.status)
	}
	resp := search(`<b>nobody</b>`)
	if resp.status != http.StatusOK || strings.Contains(resp.body, "<b>") || !strings.Contains(resp.body, "&lt;b&gt;") {
		t.Errorf("markup in the query is not escaped: %.300s", resp.body)
	}
	if ar := hxGet(t, app, "/search?q=zzzz&lang=ar"); !strings.Contains(ar.body, "لا يوجد عميل") {
		t.Errorf("Arabic answer: %.200s", ar.body)
	}
}

// manyFound finds more customers than a search shows.
type manyFound struct{ *db.DB }

func (m manyFound) SearchCustomers(_ context.Context, _ string, limit int) ([]shop.Customer, error) {
	var out []shop.Customer
	for i := range limit {
		out = append(out, shop.Customer{ID: int64(i + 1), Ref: "C-" + strings.Repeat("9", i+1), Name: "Same Name"})
	}
	return out, nil
}

func TestSearchSaysWhenItShowsFewer(t *testing.T) {
	app := newTestServer(t, func(d *Deps) { d.Store = manyFound{d.Store.(*db.DB)} })
	doc := parse(t, hxGet(t, app, "/search?q=Same").body)
	if n := doc.Find(".search-results .candidate").Length(); n != searchLimit {
		t.Errorf("%d results shown, want %d", n, searchLimit)
	}
	if !strings.Contains(doc.Text(), "Refine the search") {
		t.Errorf("no 'more results, refine' note: %s", doc.Text())
	}
}

func TestSearchNeedsThePanelsGrant(t *testing.T) {
	clk := newClock()
	app := newTestServer(t, withKeys(clk, "k1"))
	_, token := openPage(t, app, "k1")
	doc := parse(t, postContextWith(t, app, token).body)
	form := doc.Find("form[role=search]")
	grant, _ := form.Find(`input[name=grant]`).Attr("value")
	conv, _ := form.Find(`input[name=conv]`).Attr("value")
	if grant == "" || conv == "" {
		t.Fatalf("the panel's search form carries no grant: %s", form.Text())
	}
	get := func(q url.Values, tok string) int {
		req := httptest.NewRequest(http.MethodGet, "/search?"+q.Encode(), nil)
		req.Header.Set("HX-Request", "true")
		return do(t, app, withToken(req, tok)).status
	}
	ok := searchForm(form, "Layla")
	if s := get(ok, token); s != http.StatusOK {
		t.Errorf("with the panel's grant: %d", s)
	}
	// The grant binds the contact too: a search result's "Link" is granted
	// for it, so another contact's search is refused.
	otherContact := searchForm(form, "Layla")
	otherContact.Set("contact", otherContact.Get("contact")+"1")
	if s := get(otherContact, token); s != http.StatusForbidden {
		t.Errorf("the grant with another contact: %d, want 403", s)
	}
	if s := get(ok, ""); s != http.StatusUnauthorized {
		t.Errorf("without a session token: %d, want 401", s)
	}
	if s := get(url.Values{"q": {"Layla"}, "conv": {conv}}, token); s != http.StatusForbidden {
		t.Errorf("without the grant: %d, want 403", s)
	}
	if s := get(url.Values{"q": {"Layla"}, "conv": {conv + "1"}, "grant": {grant}}, token); s != http.StatusForbidden {
		t.Errorf("another conversation's search: %d, want 403", s)
	}
	_, other := openPage(t, app, "k1")
	if s := get(ok, other); s != http.StatusForbidden {
		t.Errorf("another session with this grant: %d, want 403", s)
	}
	// The chosen panel needs the customer's grant too.
	req := httptest.NewRequest(http.MethodGet, "/customers/1/panel", nil)
	if s := do(t, app, withToken(req, token)).status; s != http.StatusForbidden {
		t.Errorf("chosen panel without a grant: %d, want 403", s)
	}
}

// searchForm is what the panel's search form sends for q: its hidden
// fields (conversation, account, contact, grant…) and the query.
func searchForm(form *goquery.Selection, q string) url.Values {
	v := url.Values{}
	form.Find("input[type=hidden]").Each(func(_ int, in *goquery.Selection) {
		name, _ := in.Attr("name")
		val, _ := in.Attr("value")
		v.Set(name, val)
	})
	v.Set("q", q)
	return v
}

func convOf(texts []string, attr string) (c appcontext.Conversation) {
	c.Texts = texts
	c.CustomAttributes = []appcontext.Attribute{{Key: "order_number", Value: attr}}
	return c
}

// With verified context, the search grant comes only with a verified
// panel: a forged context gets a 403 and no search field, and the grant of
// the verified conversation searches for no other.
func TestSearchIsOnBehalfOfAVerifiedConversation(t *testing.T) {
	srv, _ := bevateltest.Verifications(t)
	clk := newClock()
	app := newTestServer(t, withKeys(clk, "k1"), func(d *Deps) {
		d.Verifier = bevatel.NewVerifier(srv.URL, bevateltest.Token, 200*time.Millisecond, nil)
	})
	_, token := openPage(t, app, "k1")
	post := func(payload []byte) response {
		req := httptest.NewRequest(http.MethodPost, "/context", bytes.NewReader(asHostString(t, payload)))
		req.Header.Set("Content-Type", "application/json")
		return do(t, app, withToken(req, token))
	}
	forged := strings.Replace(string(fixture(t, "layla.json")), `"id": 101`, `"id": 102`, 1)
	if resp := post([]byte(forged)); resp.status != http.StatusForbidden || strings.Contains(resp.body, `name="grant"`) {
		t.Fatalf("forged context: %d, search grant given: %v", resp.status, strings.Contains(resp.body, `name="grant"`))
	}
	form := parse(t, post(fixture(t, "layla.json")).body).Find("form[role=search]")
	grant, _ := form.Find(`input[name=grant]`).Attr("value")
	if conv, _ := form.Find(`input[name=conv]`).Attr("value"); conv != "101" || grant == "" {
		t.Fatalf("verified panel's search form: conv %q, grant %q", conv, grant)
	}
	search := func(conv string) int {
		q := searchForm(form, "James")
		q.Set("conv", conv)
		req := httptest.NewRequest(http.MethodGet, "/search?"+q.Encode(), nil)
		return do(t, app, withToken(req, token)).status
	}
	if s := search("101"); s != http.StatusOK {
		t.Errorf("search for the verified conversation: %d", s)
	}
	if s := search("102"); s != http.StatusForbidden {
		t.Errorf("search for the forged conversation with the verified one's grant: %d, want 403", s)
	}
}
