package bevatel_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"dashapp/handlers/bevatel"
	"dashapp/handlers/bevatel/bevateltest"
)

const (
	account      = 3
	contactID    = 41
	conversation = 7
)

// newFake starts the fake with contact 41 (one attribute of its own) and
// conversation 7 (whose sender it is, with one attribute) in account 3.
func newFake(t *testing.T) *bevateltest.Server {
	t.Helper()
	fake := bevateltest.New()
	t.Cleanup(fake.Close)
	fake.AddContact(account, bevatel.Contact{ID: contactID, Name: "Layla", Identifier: "cust-1001",
		CustomAttributes: map[string]any{"vip": "yes"}})
	fake.AddConversation(account, conversation, contactID, map[string]any{"channel_note": "first"})
	return fake
}

func newClient(fake *bevateltest.Server, token string) *bevatel.Client {
	return bevatel.NewClient(fake.URL+"/", token, time.Second)
}

// body decodes a recorded request's JSON into a plain map for comparison.
func body(t *testing.T, r bevateltest.Request) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("%s %s: body %q is not a JSON object: %v", r.Method, r.Path, r.Body, err)
	}
	return m
}

// checkRequest fails unless r is method path with the token and Accept headers.
func checkRequest(t *testing.T, r bevateltest.Request, method, path string) {
	t.Helper()
	if r.Method != method || r.Path != path {
		t.Errorf("request %s %s, want %s %s", r.Method, r.Path, method, path)
	}
	if got := r.Header.Get("api_access_token"); got != bevateltest.UserToken {
		t.Errorf("%s %s: api_access_token %q, want the token", r.Method, r.Path, got)
	}
	if got := r.Header.Get("Accept"); got != "application/json" {
		t.Errorf("%s %s: Accept %q", r.Method, r.Path, got)
	}
	if len(r.Body) > 0 && r.Header.Get("Content-Type") != "application/json" {
		t.Errorf("%s %s: Content-Type %q for a JSON body", r.Method, r.Path, r.Header.Get("Content-Type"))
	}
}

func TestContact(t *testing.T) {
	fake := newFake(t)
	c, err := newClient(fake, bevateltest.UserToken).Contact(context.Background(), account, contactID)
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != contactID || c.Name != "Layla" || c.Identifier != "cust-1001" || c.CustomAttributes["vip"] != "yes" {
		t.Errorf("contact = %+v", c)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	checkRequest(t, reqs[0], "GET", "/api/v1/accounts/3/contacts/41")
}

func TestMergeContactAttributesKeepsTheOthers(t *testing.T) {
	fake := newFake(t)
	client := newClient(fake, bevateltest.UserToken)
	ctx := context.Background()
	c, err := client.MergeContactAttributes(ctx, account, contactID, map[string]any{"shop_customer_ref": "C-1001"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"vip": "yes", "shop_customer_ref": "C-1001"}
	if !reflect.DeepEqual(c.CustomAttributes, want) {
		t.Errorf("answered attributes %v, want %v", c.CustomAttributes, want)
	}
	stored, _ := fake.Contact(account, contactID)
	if !reflect.DeepEqual(stored.CustomAttributes, want) || stored.Identifier != "cust-1001" {
		t.Errorf("stored contact %+v", stored)
	}
	reqs := fake.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want GET then PUT", len(reqs))
	}
	checkRequest(t, reqs[0], "GET", "/api/v1/accounts/3/contacts/41")
	checkRequest(t, reqs[1], "PUT", "/api/v1/accounts/3/contacts/41")
	// The whole merged hash, and nothing but custom_attributes: never
	// identifier.
	if got := body(t, reqs[1]); !reflect.DeepEqual(got, map[string]any{"custom_attributes": want}) {
		t.Errorf("PUT body %v", got)
	}

	// The same value again reads the contact and writes nothing.
	if _, err := client.MergeContactAttributes(ctx, account, contactID, map[string]any{"shop_customer_ref": "C-1001"}); err != nil {
		t.Fatal(err)
	}
	if reqs := fake.Requests(); len(reqs) != 3 || reqs[2].Method != "GET" {
		t.Errorf("a merge changing nothing sent %d requests in all, the last %s", len(reqs), reqs[len(reqs)-1].Method)
	}
}

func TestRemoveContactAttributes(t *testing.T) {
	fake := newFake(t)
	client := newClient(fake, bevateltest.UserToken)
	ctx := context.Background()
	if _, err := client.MergeContactAttributes(ctx, account, contactID, map[string]any{"shop_customer_ref": "C-1001"}); err != nil {
		t.Fatal(err)
	}
	c, err := client.RemoveContactAttributes(ctx, account, contactID, "shop_customer_ref")
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]any{"vip": "yes"}; !reflect.DeepEqual(c.CustomAttributes, want) {
		t.Errorf("attributes after removal %v, want %v", c.CustomAttributes, want)
	}
	reqs := fake.Requests()
	last := reqs[len(reqs)-1]
	checkRequest(t, last, "POST", "/api/v1/accounts/3/contacts/41/destroy_custom_attributes")
	if got := body(t, last); !reflect.DeepEqual(got, map[string]any{"custom_attributes": []any{"shop_customer_ref"}}) {
		t.Errorf("destroy body %v", got)
	}
}

func TestCreateMessage(t *testing.T) {
	for _, private := range []bool{true, false} {
		fake := newFake(t)
		m, err := newClient(fake, bevateltest.UserToken).CreateMessage(context.Background(), account, conversation, "Order #1001: shipped", private)
		if err != nil {
			t.Fatal(err)
		}
		stored := fake.Messages(account, conversation)
		if len(stored) != 1 || stored[0].ID != m.ID || m.ID <= 0 || stored[0].Private != private || stored[0].MessageType != 1 {
			t.Errorf("private=%v: answered %+v, stored %+v", private, m, stored)
		}
		reqs := fake.Requests()
		if len(reqs) != 1 {
			t.Fatalf("%d requests, want 1", len(reqs))
		}
		checkRequest(t, reqs[0], "POST", "/api/v1/accounts/3/conversations/7/messages")
		want := map[string]any{"content": "Order #1001: shipped", "message_type": "outgoing", "private": private}
		if got := body(t, reqs[0]); !reflect.DeepEqual(got, want) {
			t.Errorf("body %v, want %v", got, want)
		}
	}
}

func TestMergeConversationAttributesKeepsTheOthers(t *testing.T) {
	fake := newFake(t)
	client := newClient(fake, bevateltest.UserToken)
	attrs, err := client.MergeConversationAttributes(context.Background(), account, conversation, map[string]any{"order_number": "1001"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"channel_note": "first", "order_number": "1001"}
	if !reflect.DeepEqual(attrs, want) || !reflect.DeepEqual(fake.ConversationAttributes(account, conversation), want) {
		t.Errorf("answered %v, stored %v, want %v", attrs, fake.ConversationAttributes(account, conversation), want)
	}
	reqs := fake.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want GET then POST", len(reqs))
	}
	checkRequest(t, reqs[0], "GET", "/api/v1/accounts/3/conversations/7")
	checkRequest(t, reqs[1], "POST", "/api/v1/accounts/3/conversations/7/custom_attributes")
	if got := body(t, reqs[1]); !reflect.DeepEqual(got, map[string]any{"custom_attributes": want}) {
		t.Errorf("POST body %v", got)
	}
}

func TestConversation(t *testing.T) {
	fake := newFake(t)
	conv, err := newClient(fake, bevateltest.UserToken).Conversation(context.Background(), account, conversation)
	if err != nil {
		t.Fatal(err)
	}
	if conv.ID != conversation || conv.AccountID != account || conv.Meta.Sender.ID != contactID {
		t.Errorf("conversation = %+v", conv)
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	note := func(c *bevatel.Client) error {
		_, err := c.CreateMessage(ctx, account, conversation, "note", true)
		return err
	}
	tests := []struct {
		name    string
		token   string
		setup   func(*bevateltest.Server)
		timeout time.Duration
		call    func(*bevatel.Client) error
		kind    bevatel.ErrorKind
		is      error
		status  int
		says    string
	}{
		{name: "wrong token", token: "not-the-token-9876", call: note,
			kind: bevatel.KindUnauthorized, is: bevatel.ErrUnauthorized, status: 401, says: "DASHAPP_BEVATEL_TOKEN"},
		{name: "no token", token: "", call: note,
			kind: bevatel.KindUnauthorized, is: bevatel.ErrUnauthorized, status: 401, says: "refused the API token"},
		{name: "bot token on a contact", token: bevateltest.BotToken,
			call: func(c *bevatel.Client) error { _, err := c.Contact(ctx, account, contactID); return err },
			kind: bevatel.KindUnauthorized, is: bevatel.ErrUnauthorized, status: 401, says: "bot"},
		{name: "unknown conversation", call: func(c *bevatel.Client) error {
			_, err := c.CreateMessage(ctx, account, 999, "note", true)
			return err
		}, kind: bevatel.KindNotFound, is: bevatel.ErrNotFound, status: 404, says: "conversation 999"},
		{name: "unknown contact", call: func(c *bevatel.Client) error {
			_, err := c.MergeContactAttributes(ctx, account, 999, map[string]any{"shop_customer_ref": "C-1"})
			return err
		}, kind: bevatel.KindNotFound, is: bevatel.ErrNotFound, status: 404, says: "contact 999"},
		{name: "unknown account", call: func(c *bevatel.Client) error {
			_, err := c.Conversation(ctx, 404404, conversation)
			return err
		}, kind: bevatel.KindNotFound, is: bevatel.ErrNotFound, status: 404, says: "account 404404"},
		{name: "content too long", call: func(c *bevatel.Client) error {
			_, err := c.CreateMessage(ctx, account, conversation, strings.Repeat("x", bevateltest.MaxContentRunes+1), true)
			return err
		}, kind: bevatel.KindUnprocessable, is: bevatel.ErrUnprocessable, status: 422, says: "Content is too long (maximum is 150000 characters)"},
		{name: "slow answer", setup: func(f *bevateltest.Server) { f.SetDelay(2 * time.Second) }, timeout: 100 * time.Millisecond,
			call: note, kind: bevatel.KindTimeout, is: bevatel.ErrTimeout, says: "may still have done it"},
		{name: "5xx", setup: func(f *bevateltest.Server) { f.FailWith(503) }, call: note,
			kind: bevatel.KindUnavailable, is: bevatel.ErrUnavailable, status: 503, says: "unavailable (503)"},
		{name: "down", setup: func(f *bevateltest.Server) { f.Close() }, call: note,
			kind: bevatel.KindNetwork, is: bevatel.ErrNetwork, says: "could not be reached"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFake(t)
			if tt.setup != nil {
				tt.setup(fake)
			}
			token := bevateltest.UserToken
			if tt.token != "" || tt.name == "no token" {
				token = tt.token
			}
			timeout := tt.timeout
			if timeout == 0 {
				timeout = time.Second
			}
			err := tt.call(bevatel.NewClient(fake.URL, token, timeout))
			var e *bevatel.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v (%T), want a *bevatel.Error", err, err)
			}
			if e.Kind != tt.kind || !errors.Is(err, tt.is) || bevatel.KindOf(err) != tt.kind || e.Status != tt.status {
				t.Errorf("kind %q status %d, want %q %d (err %v)", e.Kind, e.Status, tt.kind, tt.status, err)
			}
			if !strings.Contains(err.Error(), tt.says) {
				t.Errorf("error %q does not say %q", err, tt.says)
			}
			if token != "" && strings.Contains(err.Error(), token) {
				t.Errorf("error %q contains the token", err)
			}
			for other := range map[error]bool{bevatel.ErrNotFound: true, bevatel.ErrUnauthorized: true, bevatel.ErrTimeout: true} {
				if other != tt.is && errors.Is(err, other) {
					t.Errorf("error of kind %q also matches %v", e.Kind, other)
				}
			}
		})
	}
}

// TestNoRedirect: a 3xx is an error naming the Location, and the token
// never reaches the other host.
func TestNoRedirect(t *testing.T) {
	var leaked atomic.Bool
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		leaked.Store(true)
	}))
	defer other.Close()
	redirecting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusFound)
	}))
	defer redirecting.Close()
	_, err := bevatel.NewClient(redirecting.URL, bevateltest.UserToken, time.Second).CreateMessage(context.Background(), account, conversation, "note", true)
	if !errors.Is(err, bevatel.ErrRedirect) || !strings.Contains(err.Error(), other.URL) {
		t.Errorf("err = %v, want a redirect error naming %s", err, other.URL)
	}
	if leaked.Load() {
		t.Error("the client followed the redirect to another host")
	}
}

// TestUnprocessableRecordInvalid reads Chatwoot's other 422 body,
// render_record_invalid's {"message", "attributes"}.
func TestUnprocessableRecordInvalid(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnprocessableEntity)
		w.Write([]byte(`{"message":"Email Invalid email","attributes":["email"]}`))
	}))
	defer srv.Close()
	_, err := bevatel.NewClient(srv.URL, bevateltest.UserToken, time.Second).RemoveContactAttributes(context.Background(), account, contactID, "x")
	var e *bevatel.Error
	if !errors.As(err, &e) || e.Kind != bevatel.KindUnprocessable || e.Message != "Email Invalid email" {
		t.Errorf("err = %#v", err)
	}
}
