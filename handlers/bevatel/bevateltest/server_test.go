package bevateltest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"dashapp/handlers/bevatel"
	"dashapp/handlers/bevatel/bevateltest"
)

func newFake(t *testing.T) *bevateltest.Server {
	t.Helper()
	f := bevateltest.New()
	t.Cleanup(f.Close)
	f.AddContact(3, bevatel.Contact{ID: 41, Name: "Layla", CustomAttributes: map[string]any{"a": "1"}})
	f.AddConversation(3, 7, 41, map[string]any{"x": "1"})
	return f
}

// call sends body with token and returns the status, the Content-Type and
// the decoded JSON answer.
func call(t *testing.T, f *bevateltest.Server, token, method, path, body string) (int, string, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, f.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("api_access_token", token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s %s: answer %q is not a JSON object", method, path, raw)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), m
}

func TestFakeAnswersAsChatwoot(t *testing.T) {
	f := newFake(t)
	user, bot := bevateltest.UserToken, bevateltest.BotToken
	tests := []struct {
		name, token, method, path, body string
		status                          int
		want                            map[string]any // keys the answer must hold with these values
	}{
		{"no token", "", "GET", "/api/v1/accounts/3/conversations/7", "", 401,
			map[string]any{"error": "You need to sign in or sign up before continuing."}},
		{"unknown token", "nope", "GET", "/api/v1/accounts/3/conversations/7", "", 401, map[string]any{"error": "Invalid Access Token"}},
		{"bot on a contact", bot, "GET", "/api/v1/accounts/3/contacts/41", "", 401,
			map[string]any{"error": "Access to this endpoint is not authorized for bots"}},
		{"bot may post a message", bot, "POST", "/api/v1/accounts/3/conversations/7/messages", `{"content":"hi","private":true}`, 200,
			map[string]any{"content": "hi", "private": true, "message_type": float64(1), "conversation_id": float64(7)}},
		{"unknown account", user, "GET", "/api/v1/accounts/9/conversations/7", "", 404, map[string]any{"error": "Resource could not be found"}},
		{"unknown conversation", user, "POST", "/api/v1/accounts/3/conversations/8/messages", `{"content":"hi"}`, 404,
			map[string]any{"error": "Resource could not be found"}},
		{"unknown contact", user, "PUT", "/api/v1/accounts/3/contacts/42", `{"custom_attributes":{}}`, 404,
			map[string]any{"error": "Resource could not be found"}},
		{"bad message type", user, "POST", "/api/v1/accounts/3/conversations/7/messages", `{"content":"hi","message_type":"shout"}`, 422,
			map[string]any{"error": "'shout' is not a valid message_type"}},
		{"bad email", user, "PUT", "/api/v1/accounts/3/contacts/41", `{"email":"not-an-email"}`, 422,
			map[string]any{"message": "Email Invalid email", "attributes": []any{"email"}}},
		{"not JSON", user, "POST", "/api/v1/accounts/3/conversations/7/messages", `{"content":`, 400, map[string]any{"error": "Bad Request"}},
		{"conversation", user, "GET", "/api/v1/accounts/3/conversations/7", "", 200,
			map[string]any{"id": float64(7), "account_id": float64(3), "custom_attributes": map[string]any{"x": "1"}}},
	}
	for _, tt := range tests {
		status, contentType, got := call(t, f, tt.token, tt.method, tt.path, tt.body)
		if status != tt.status || !strings.HasPrefix(contentType, "application/json") {
			t.Errorf("%s: %d %s, want %d application/json", tt.name, status, contentType, tt.status)
		}
		for k, v := range tt.want {
			if !reflect.DeepEqual(got[k], v) {
				t.Errorf("%s: %q = %#v, want %#v", tt.name, k, got[k], v)
			}
		}
	}
	if n := len(f.Requests()); n != len(tests) {
		t.Errorf("%d requests recorded, want %d", n, len(tests))
	}
	// Only the bot's message was created; a refused one was not.
	if msgs := f.Messages(3, 7); len(msgs) != 1 || msgs[0].Content != "hi" {
		t.Errorf("messages %+v", msgs)
	}
	// The verifier's route names the sender.
	_, _, conv := call(t, f, user, "GET", "/api/v1/accounts/3/conversations/7", "")
	if sender := conv["meta"].(map[string]any)["sender"].(map[string]any); sender["id"] != float64(41) {
		t.Errorf("meta.sender = %v", sender)
	}
}

// TestFakeAttributeSemantics: contacts merge custom attributes on update,
// conversations replace them, as Chatwoot's controllers do.
func TestFakeAttributeSemantics(t *testing.T) {
	f := newFake(t)
	call(t, f, bevateltest.UserToken, "PUT", "/api/v1/accounts/3/contacts/41", `{"custom_attributes":{"b":"2"}}`)
	if c, _ := f.Contact(3, 41); !reflect.DeepEqual(c.CustomAttributes, map[string]any{"a": "1", "b": "2"}) {
		t.Errorf("contact attributes after PUT %v, want merged", c.CustomAttributes)
	}
	call(t, f, bevateltest.UserToken, "POST", "/api/v1/accounts/3/contacts/41/destroy_custom_attributes", `{"custom_attributes":["a"]}`)
	if c, _ := f.Contact(3, 41); !reflect.DeepEqual(c.CustomAttributes, map[string]any{"b": "2"}) {
		t.Errorf("contact attributes after destroy %v", c.CustomAttributes)
	}
	call(t, f, bevateltest.UserToken, "POST", "/api/v1/accounts/3/conversations/7/custom_attributes", `{"custom_attributes":{"y":"2"}}`)
	if got := f.ConversationAttributes(3, 7); !reflect.DeepEqual(got, map[string]any{"y": "2"}) {
		t.Errorf("conversation attributes %v, want replaced", got)
	}
}

func TestFakeFailWith(t *testing.T) {
	f := newFake(t)
	f.FailWith(503)
	if status, _, _ := call(t, f, bevateltest.UserToken, "POST", "/api/v1/accounts/3/conversations/7/messages", `{"content":"hi"}`); status != 503 {
		t.Errorf("status %d", status)
	}
	if len(f.Messages(3, 7)) != 0 {
		t.Error("a failed request created a message")
	}
	// Authentication still comes first.
	if status, _, _ := call(t, f, "", "GET", "/api/v1/accounts/3/conversations/7", ""); status != 401 {
		t.Errorf("no token while failing: %d", status)
	}
}
