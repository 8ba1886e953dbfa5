package actions_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"dashapp/db"
	"dashapp/db/shop"
	"dashapp/handlers/actions"
	"dashapp/handlers/bevatel"
	"dashapp/handlers/bevatel/bevateltest"
)

const (
	account      = 3
	contactID    = 41
	otherContact = 42
	conversation = 7
)

type env struct {
	store  *db.DB
	fake   *bevateltest.Server
	svc    *actions.Service
	logs   *bytes.Buffer
	james  shop.Customer
	client *bevatel.Client
}

type setup struct {
	token        string
	timeout      time.Duration
	noAPI        bool
	allowReplies bool
	now          func() time.Time
}

// newEnv opens a demo database in a real SQLite file, starts the fake
// Bevatel with contacts 41 and 42 and conversation 7 of contact 41, and
// makes the service over both.
func newEnv(t *testing.T, o setup) *env {
	t.Helper()
	ctx := context.Background()
	store, err := db.Open(ctx, filepath.Join(t.TempDir(), "shop.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := db.SeedDemo(ctx, store); err != nil {
		t.Fatal(err)
	}
	m, err := shop.Resolve(ctx, store, shop.Identity{Email: "james.carter@example.com"})
	if err != nil || len(m.Customers) != 1 {
		t.Fatalf("James: %+v, %v", m, err)
	}
	fake := bevateltest.New()
	t.Cleanup(fake.Close)
	fake.AddContact(account, bevatel.Contact{ID: contactID, Name: "James", Identifier: "widget-id-1", CustomAttributes: map[string]any{"vip": "yes"}})
	fake.AddContact(account, bevatel.Contact{ID: otherContact, Name: "James (old)"})
	fake.AddConversation(account, conversation, contactID, map[string]any{"topic": "refund"})
	if o.token == "" {
		o.token = bevateltest.UserToken
	}
	if o.timeout == 0 {
		o.timeout = 2 * time.Second
	}
	e := &env{store: store, fake: fake, logs: &bytes.Buffer{}, james: m.Customers[0]}
	opts := actions.Options{
		AllowReplies: o.allowReplies,
		Logger:       slog.New(slog.NewJSONHandler(&syncWriter{w: e.logs}, nil)),
		Now:          o.now,
	}
	if !o.noAPI {
		e.client = bevatel.NewClient(fake.URL, o.token, o.timeout)
		opts.API = e.client
		opts.Wait = o.timeout + time.Second
	}
	e.svc = actions.New(store, opts)
	return e
}

type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func scope(key string) actions.Scope {
	return actions.Scope{Key: key, AgentName: "Sara", AgentID: 5, AccountID: account, ConversationID: conversation, ContactID: contactID}
}

func (e *env) audit(t *testing.T) []shop.Action {
	t.Helper()
	page, err := e.store.Audit(context.Background(), 100, "")
	if err != nil {
		t.Fatal(err)
	}
	return page.Actions
}

func (e *env) matchContact(t *testing.T, id int64) []shop.Customer {
	t.Helper()
	m, err := shop.Resolve(context.Background(), e.store, shop.Identity{ContactID: id})
	if err != nil {
		t.Fatal(err)
	}
	return m.Customers
}

func requestJSON(t *testing.T, r bevateltest.Request) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("%s %s body %q: %v", r.Method, r.Path, r.Body, err)
	}
	return m
}

const noteText = "Order 1001 · shipped · SAR 1,234.50"

func TestAddNoteOnce(t *testing.T) {
	e := newEnv(t, setup{})
	ctx := context.Background()
	res, err := e.svc.AddNote(ctx, scope("k1"), "1001", noteText)
	if err != nil {
		t.Fatal(err)
	}
	msgs := e.fake.Messages(account, conversation)
	if len(msgs) != 1 || !msgs[0].Private || msgs[0].Content != noteText || res.Action.MessageID != msgs[0].ID || res.Replayed {
		t.Fatalf("result %+v, messages at Bevatel %+v", res, msgs)
	}
	reqs := e.fake.Requests()
	if len(reqs) != 1 || reqs[0].Method != "POST" || reqs[0].Path != "/api/v1/accounts/3/conversations/7/messages" ||
		reqs[0].Header.Get("api_access_token") != bevateltest.UserToken {
		t.Fatalf("requests %+v", reqs)
	}
	if got, want := requestJSON(t, reqs[0]), map[string]any{"content": noteText, "message_type": "outgoing", "private": true}; !reflect.DeepEqual(got, want) {
		t.Errorf("body %v, want %v", got, want)
	}

	// The same confirmation again: the first's result, nothing sent.
	again, err := e.svc.AddNote(ctx, scope("k1"), "1001", noteText)
	if err != nil || !again.Replayed || again.Action.MessageID != res.Action.MessageID || again.Action.ID != res.Action.ID {
		t.Errorf("second call: %+v, %v", again, err)
	}
	if n := len(e.fake.Messages(account, conversation)); n != 1 || len(e.fake.Requests()) != 1 {
		t.Errorf("%d messages and %d requests after a repeated confirmation, want 1 and 1", n, len(e.fake.Requests()))
	}

	rows := e.audit(t)
	if len(rows) != 1 {
		t.Fatalf("%d audit rows, want 1", len(rows))
	}
	a := rows[0]
	if a.Kind != shop.ActionNote || a.Outcome != shop.OutcomeOK || a.AgentName != "Sara" || a.AgentID != 5 || a.AccountID != account ||
		a.ConversationID != conversation || a.ContactID != contactID || a.Target != "1001" || a.MessageID != msgs[0].ID || a.FinishedAt.IsZero() {
		t.Errorf("audit row %+v", a)
	}

	// A new confirmation of the same order: the panel asks first.
	recent, found, err := e.svc.RecentNote(ctx, scope("k2"), "1001")
	if err != nil || !found || recent.ID != a.ID {
		t.Errorf("recent note: %+v, found %v, err %v", recent, found, err)
	}
}

// TestAddNoteDoubleClick: concurrent confirmations with one key, while
// Bevatel is slow, make one note; every click gets its result.
func TestAddNoteDoubleClick(t *testing.T) {
	e := newEnv(t, setup{})
	e.fake.SetDelay(300 * time.Millisecond)
	const clicks = 5
	var wg sync.WaitGroup
	results := make([]actions.Result, clicks)
	errs := make([]error, clicks)
	for i := range clicks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = e.svc.AddNote(context.Background(), scope("double"), "1001", noteText)
		}()
	}
	wg.Wait()
	msgs := e.fake.Messages(account, conversation)
	if len(msgs) != 1 {
		t.Fatalf("%d notes at Bevatel after %d clicks, want 1", len(msgs), clicks)
	}
	replayed := 0
	for i := range clicks {
		if errs[i] != nil || results[i].Action.MessageID != msgs[0].ID {
			t.Errorf("click %d: %+v, %v", i, results[i], errs[i])
		}
		if results[i].Replayed {
			replayed++
		}
	}
	if replayed != clicks-1 {
		t.Errorf("%d replayed results, want %d", replayed, clicks-1)
	}
}

// TestCancelledRequestStillFinishes: the agent's request going away does
// not cut the call to Bevatel, and the row is finished.
func TestCancelledRequestStillFinishes(t *testing.T) {
	e := newEnv(t, setup{})
	e.fake.SetDelay(200 * time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	if _, err := e.svc.AddNote(ctx, scope("gone"), "1001", noteText); err != nil {
		t.Fatal(err)
	}
	if rows := e.audit(t); len(rows) != 1 || rows[0].Outcome != shop.OutcomeOK || len(e.fake.Messages(account, conversation)) != 1 {
		t.Errorf("audit %+v", rows)
	}
}

func TestAddNoteErrors(t *testing.T) {
	tests := []struct {
		name      string
		setup     setup
		prepare   func(*bevateltest.Server)
		scope     func(actions.Scope) actions.Scope
		text      string
		is        error
		outcome   string
		maybe     bool
		notes     int // notes Bevatel holds afterwards
		says      string
		requested int // requests the fake received
	}{
		{name: "wrong token", setup: setup{token: "wrong-token-00000000"}, is: bevatel.ErrUnauthorized,
			outcome: "unauthorized", says: "DASHAPP_BEVATEL_TOKEN", requested: 1},
		{name: "unknown conversation", scope: func(s actions.Scope) actions.Scope { s.ConversationID = 999; return s },
			is: bevatel.ErrNotFound, outcome: "not_found", says: "conversation 999", requested: 1},
		{name: "bad payload", text: strings.Repeat("x", bevateltest.MaxContentRunes+1), is: bevatel.ErrUnprocessable,
			outcome: "unprocessable", says: "Content is too long", requested: 1},
		{name: "slow answer", setup: setup{timeout: 150 * time.Millisecond}, prepare: func(f *bevateltest.Server) { f.SetDelay(time.Second) },
			is: bevatel.ErrTimeout, outcome: "timeout", maybe: true, notes: 1, says: "may still have done it", requested: 1},
		{name: "5xx", prepare: func(f *bevateltest.Server) { f.FailWith(502) }, is: bevatel.ErrUnavailable,
			outcome: "unavailable", maybe: true, says: "unavailable (502)", requested: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.setup)
			if tt.prepare != nil {
				tt.prepare(e.fake)
			}
			sc := scope("k-" + tt.name)
			if tt.scope != nil {
				sc = tt.scope(sc)
			}
			text := noteText
			if tt.text != "" {
				text = tt.text
			}
			ctx := context.Background()
			res, err := e.svc.AddNote(ctx, sc, "1001", text)
			var ae *actions.ActionError
			if !errors.As(err, &ae) || !errors.Is(err, tt.is) || !strings.Contains(err.Error(), tt.says) {
				t.Fatalf("err = %v, want an ActionError matching %v saying %q", err, tt.is, tt.says)
			}
			if strings.Contains(err.Error(), bevateltest.UserToken) || strings.Contains(err.Error(), "wrong-token") {
				t.Errorf("error %q shows the token", err)
			}
			if res.Action.Outcome != tt.outcome || res.Action.MaybeApplied != tt.maybe || res.Action.Detail != err.Error() {
				t.Errorf("action %+v", res.Action)
			}
			rows := e.audit(t)
			if len(rows) != 1 || rows[0].Outcome != tt.outcome || rows[0].Detail != err.Error() || rows[0].MessageID != 0 {
				t.Errorf("audit %+v", rows)
			}

			// A retry with the same key: the same answer, nothing sent again.
			e.fake.SetDelay(0)
			e.fake.FailWith(0)
			again, err := e.svc.AddNote(ctx, sc, "1001", text)
			if !again.Replayed || !errors.Is(err, tt.is) || err.Error() != res.Action.Detail {
				t.Errorf("retry: %+v, %v", again, err)
			}
			if n := len(e.fake.Requests()); n != tt.requested {
				t.Errorf("%d requests at Bevatel, want %d", n, tt.requested)
			}
			// The slow answer's note was made after the client gave up:
			// still one, and the panel would ask before adding it again.
			time.Sleep(50 * time.Millisecond)
			if n := len(e.fake.Messages(account, sc.ConversationID)); n != tt.notes {
				t.Errorf("%d notes at Bevatel, want %d", n, tt.notes)
			}
			if _, found, _ := e.svc.RecentNote(ctx, sc, "1001"); found != tt.maybe {
				t.Errorf("RecentNote found %v, want %v", found, tt.maybe)
			}
		})
	}
}

func TestKeyReusedForOtherContent(t *testing.T) {
	e := newEnv(t, setup{})
	ctx := context.Background()
	if _, err := e.svc.AddNote(ctx, scope("k"), "1001", noteText); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.AddNote(ctx, scope("k"), "1001", "another text"); !errors.Is(err, shop.ErrKeyReused) {
		t.Errorf("err = %v, want ErrKeyReused", err)
	}
	if n := len(e.fake.Messages(account, conversation)); n != 1 {
		t.Errorf("%d notes", n)
	}
}

func TestReply(t *testing.T) {
	e := newEnv(t, setup{})
	ctx := context.Background()
	if e.svc.RepliesAllowed() {
		t.Error("replies allowed by default")
	}
	if _, err := e.svc.Reply(ctx, scope("r1"), "1001", "Your order shipped"); !errors.Is(err, actions.ErrRepliesDisabled) {
		t.Errorf("err = %v, want ErrRepliesDisabled", err)
	}
	if len(e.fake.Requests()) != 0 || len(e.audit(t)) != 0 {
		t.Error("a disabled reply reached Bevatel or the audit")
	}

	e = newEnv(t, setup{allowReplies: true})
	res, err := e.svc.Reply(ctx, scope("r1"), "1001", "Your order shipped")
	if err != nil {
		t.Fatal(err)
	}
	msgs := e.fake.Messages(account, conversation)
	if len(msgs) != 1 || msgs[0].Private || res.Action.Kind != shop.ActionReply {
		t.Errorf("messages %+v, action %+v", msgs, res.Action)
	}
	if got := requestJSON(t, e.fake.Requests()[0]); got["private"] != false || got["message_type"] != "outgoing" {
		t.Errorf("reply body %v", got)
	}
}

func TestInvalidRequests(t *testing.T) {
	e := newEnv(t, setup{})
	ctx := context.Background()
	for name, call := range map[string]func() error{
		"no key": func() error { _, err := e.svc.AddNote(ctx, scope(""), "1001", noteText); return err },
		"long key": func() error {
			_, err := e.svc.AddNote(ctx, scope(strings.Repeat("k", 129)), "1001", noteText)
			return err
		},
		"no text":  func() error { _, err := e.svc.AddNote(ctx, scope("k"), "1001", "  "); return err },
		"no order": func() error { _, err := e.svc.SetOrderAttribute(ctx, scope("k"), ""); return err },
		"no contact": func() error {
			sc := scope("k")
			sc.ContactID = 0
			_, err := e.svc.Link(ctx, sc, e.james.ID, false)
			return err
		},
		"no customer": func() error { _, err := e.svc.Link(ctx, scope("k"), 0, false); return err },
	} {
		if err := call(); !errors.Is(err, actions.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
	if _, err := e.svc.Link(ctx, scope("k"), 999999, false); !errors.Is(err, shop.ErrNotFound) {
		t.Errorf("unknown customer: %v", err)
	}
	if len(e.fake.Requests()) != 0 || len(e.audit(t)) != 0 {
		t.Error("an invalid request reached Bevatel or the audit")
	}
}

func TestWithoutAPI(t *testing.T) {
	e := newEnv(t, setup{noAPI: true})
	ctx := context.Background()
	if e.svc.APIConfigured() || e.svc.RepliesAllowed() {
		t.Error("API reported configured")
	}
	for name, call := range map[string]func() error{
		"note":  func() error { _, err := e.svc.AddNote(ctx, scope("n"), "1001", noteText); return err },
		"reply": func() error { _, err := e.svc.Reply(ctx, scope("r"), "1001", noteText); return err },
		"order": func() error { _, err := e.svc.SetOrderAttribute(ctx, scope("o"), "1001"); return err },
	} {
		if err := call(); !errors.Is(err, actions.ErrNotConfigured) {
			t.Errorf("%s: err = %v, want ErrNotConfigured", name, err)
		}
	}
	// Linking stays local.
	if _, err := e.svc.Link(ctx, scope("l"), e.james.ID, false); err != nil {
		t.Fatal(err)
	}
	if got := e.matchContact(t, contactID); len(got) != 1 || got[0].ID != e.james.ID {
		t.Errorf("contact 41 matches %+v", got)
	}
	if len(e.fake.Requests()) != 0 {
		t.Error("Bevatel was called without an API configured")
	}
	if rows := e.audit(t); len(rows) != 1 || rows[0].Kind != shop.ActionLink || rows[0].Outcome != shop.OutcomeOK || rows[0].Target != e.james.Ref {
		t.Errorf("audit %+v", rows)
	}
}

func TestLinkAndUnlink(t *testing.T) {
	e := newEnv(t, setup{})
	ctx := context.Background()
	res, err := e.svc.Link(ctx, scope("l1"), e.james.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.matchContact(t, contactID); len(got) != 1 || got[0].ID != e.james.ID {
		t.Errorf("contact 41 matches %+v", got)
	}
	c, _ := e.fake.Contact(account, contactID)
	if want := map[string]any{"vip": "yes", "shop_customer_ref": e.james.Ref}; !reflect.DeepEqual(c.CustomAttributes, want) || c.Identifier != "widget-id-1" {
		t.Errorf("Bevatel contact %+v, want attributes %v and the identifier untouched", c, want)
	}
	reqs := e.fake.Requests()
	if len(reqs) != 2 || reqs[0].Method != "GET" || reqs[1].Method != "PUT" || reqs[1].Path != "/api/v1/accounts/3/contacts/41" {
		t.Fatalf("requests %+v", reqs)
	}
	if put := requestJSON(t, reqs[1]); len(put) != 1 || put["custom_attributes"] == nil {
		t.Errorf("PUT body %v: want custom_attributes alone (never identifier)", put)
	}
	if res.Action.Kind != shop.ActionLink || res.Action.Target != e.james.Ref || res.Action.Outcome != shop.OutcomeOK {
		t.Errorf("action %+v", res.Action)
	}

	// Another contact: asks first, changes nothing.
	other := scope("l2")
	other.ContactID = otherContact
	_, err = e.svc.Link(ctx, other, e.james.ID, false)
	if !errors.Is(err, shop.ErrLinkedElsewhere) || !strings.Contains(err.Error(), "contact 41") {
		t.Fatalf("link elsewhere: %v", err)
	}
	if n := len(e.fake.Requests()); n != 2 {
		t.Errorf("asking before a move called Bevatel (%d requests)", n)
	}
	// Moved when confirmed (a new key: a new confirmation).
	other.Key = "l3"
	if _, err := e.svc.Link(ctx, other, e.james.ID, true); err != nil {
		t.Fatal(err)
	}
	old, _ := e.fake.Contact(account, contactID)
	moved, _ := e.fake.Contact(account, otherContact)
	if _, still := old.CustomAttributes["shop_customer_ref"]; still || old.CustomAttributes["vip"] != "yes" || moved.CustomAttributes["shop_customer_ref"] != e.james.Ref {
		t.Errorf("after the move: old contact %v, new contact %v", old.CustomAttributes, moved.CustomAttributes)
	}
	if len(e.matchContact(t, contactID)) != 0 || len(e.matchContact(t, otherContact)) != 1 {
		t.Error("the local link did not move")
	}

	// Unlink.
	if _, err := e.svc.Unlink(ctx, other, e.james.ID); err == nil {
		t.Error("unlink with a used key acted") // l3 was the move
	}
	other.Key = "u1"
	if _, err := e.svc.Unlink(ctx, other, e.james.ID); err != nil {
		t.Fatal(err)
	}
	moved, _ = e.fake.Contact(account, otherContact)
	if _, still := moved.CustomAttributes["shop_customer_ref"]; still || len(e.matchContact(t, otherContact)) != 0 {
		t.Errorf("after unlink: Bevatel %v, local %d", moved.CustomAttributes, len(e.matchContact(t, otherContact)))
	}
	last := e.fake.Requests()[len(e.fake.Requests())-1]
	if last.Method != "POST" || last.Path != "/api/v1/accounts/3/contacts/42/destroy_custom_attributes" {
		t.Errorf("unlink's last request %s %s", last.Method, last.Path)
	}
	kinds := []shop.ActionKind{}
	for _, a := range e.audit(t) {
		kinds = append(kinds, a.Kind)
	}
	if want := []shop.ActionKind{shop.ActionUnlink, shop.ActionLink, shop.ActionLink, shop.ActionLink}; !reflect.DeepEqual(kinds, want) {
		t.Errorf("audit kinds %v, want %v", kinds, want)
	}
}

// TestUnlinkLeavesAnotherCustomersRef: a contact whose attribute names
// another customer keeps it.
func TestUnlinkLeavesAnotherCustomersRef(t *testing.T) {
	e := newEnv(t, setup{})
	e.fake.AddContact(account, bevatel.Contact{ID: contactID, CustomAttributes: map[string]any{"shop_customer_ref": "C-OTHER"}})
	if _, err := e.svc.Unlink(context.Background(), scope("u"), e.james.ID); err != nil {
		t.Fatal(err)
	}
	c, _ := e.fake.Contact(account, contactID)
	if c.CustomAttributes["shop_customer_ref"] != "C-OTHER" {
		t.Errorf("attributes %v", c.CustomAttributes)
	}
	for _, r := range e.fake.Requests() {
		if r.Method != "GET" {
			t.Errorf("unlink sent %s %s", r.Method, r.Path)
		}
	}
}

// TestLinkRemoteRefused: a bot's token may not change contacts; the local
// link stands and the agent is told.
func TestLinkRemoteRefused(t *testing.T) {
	e := newEnv(t, setup{token: bevateltest.BotToken})
	res, err := e.svc.Link(context.Background(), scope("l"), e.james.ID, false)
	if !errors.Is(err, bevatel.ErrUnauthorized) || !strings.Contains(err.Error(), "Done in dashapp, not in Bevatel") {
		t.Fatalf("err = %v", err)
	}
	if res.Action.Outcome != "unauthorized" || len(e.matchContact(t, contactID)) != 1 {
		t.Errorf("action %+v, local link %d", res.Action, len(e.matchContact(t, contactID)))
	}
}

func TestSetOrderAttribute(t *testing.T) {
	e := newEnv(t, setup{})
	res, err := e.svc.SetOrderAttribute(context.Background(), scope("o"), "1001")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := e.fake.ConversationAttributes(account, conversation), map[string]any{"topic": "refund", "order_number": "1001"}; !reflect.DeepEqual(got, want) {
		t.Errorf("conversation attributes %v, want %v", got, want)
	}
	reqs := e.fake.Requests()
	if len(reqs) != 2 || reqs[1].Method != "POST" || reqs[1].Path != "/api/v1/accounts/3/conversations/7/custom_attributes" {
		t.Fatalf("requests %+v", reqs)
	}
	if res.Action.Kind != shop.ActionSetOrderAttribute || res.Action.Target != "1001" || res.Action.Outcome != shop.OutcomeOK {
		t.Errorf("action %+v", res.Action)
	}
}

// TestRecentNoteWindow: a note older than RecentWindow is not asked about.
func TestRecentNoteWindow(t *testing.T) {
	now := time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	e := newEnv(t, setup{now: clock})
	ctx := context.Background()
	if _, err := e.svc.AddNote(ctx, scope("n"), "1001", noteText); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	now = now.Add(actions.RecentWindow - time.Minute)
	mu.Unlock()
	if _, found, _ := e.svc.RecentNote(ctx, scope("x"), "1001"); !found {
		t.Error("a note 9 minutes old is not recent")
	}
	mu.Lock()
	now = now.Add(2 * time.Minute)
	mu.Unlock()
	if _, found, _ := e.svc.RecentNote(ctx, scope("x"), "1001"); found {
		t.Error("a note 11 minutes old is still recent")
	}
}

// TestLogHoldsNoCustomerText: the application log has ids and outcomes,
// never the note, the order, the customer ref or the claimed agent name.
func TestLogHoldsNoCustomerText(t *testing.T) {
	e := newEnv(t, setup{})
	ctx := context.Background()
	sc := scope("log")
	sc.AgentName = "Agent-Name-Claimed"
	if _, err := e.svc.AddNote(ctx, sc, "ORDER-SECRET-77", "note text SECRET-CUSTOMER-TEXT"); err != nil {
		t.Fatal(err)
	}
	sc.Key = "log2"
	if _, err := e.svc.Link(ctx, sc, e.james.ID, false); err != nil {
		t.Fatal(err)
	}
	e.fake.FailWith(500)
	sc.Key = "log3"
	e.svc.AddNote(ctx, sc, "ORDER-SECRET-77", "SECRET-CUSTOMER-TEXT again")
	logs := e.logs.String()
	if !strings.Contains(logs, `"action":"note"`) || !strings.Contains(logs, `"outcome":"unavailable"`) {
		t.Fatalf("the log lacks the actions: %s", logs)
	}
	for _, secret := range []string{"SECRET-CUSTOMER-TEXT", "ORDER-SECRET-77", "Agent-Name-Claimed", e.james.Ref, bevateltest.UserToken} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log contains %q:\n%s", secret, logs)
		}
	}
}
