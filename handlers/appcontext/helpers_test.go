package appcontext

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"testing"
)

func readFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatalf("read fixture: %v", err)
	}
	return body
}

// message wraps a "data" value in an appContext message object.
func message(data string) []byte {
	return []byte(`{"event":"appContext","data":` + data + `}`)
}

// asString is the form the web dashboard posts: the message as a JSON string.
func asString(tb testing.TB, object []byte) []byte {
	tb.Helper()
	body, err := json.Marshal(string(object))
	if err != nil {
		tb.Fatalf("wrap as string: %v", err)
	}
	return body
}

func mustDecode(tb testing.TB, body []byte) *Message {
	tb.Helper()
	return mustDecodeWith(tb, body, DefaultLimits)
}

func mustDecodeWith(tb testing.TB, body []byte, lim Limits) *Message {
	tb.Helper()
	msg, err := Decode(body, lim)
	if err != nil {
		tb.Fatalf("Decode: %v", err)
	}
	return msg
}

// withMessages returns layla.json (object form) with n messages, ids
// 10000+i and one minute apart, cycling through the fixture's contents.
func withMessages(tb testing.TB, n int) []byte {
	tb.Helper()
	var msg map[string]any
	if err := json.Unmarshal(readFixture(tb, "layla.json"), &msg); err != nil {
		tb.Fatalf("parse layla.json: %v", err)
	}
	conv := msg["data"].(map[string]any)["conversation"].(map[string]any)
	base := conv["messages"].([]any)
	messages := make([]any, n)
	for i := range n {
		m := maps.Clone(base[i%len(base)].(map[string]any))
		m["id"] = 10000 + i
		m["created_at"] = 1767852000 + 60*i
		messages[i] = m
	}
	conv["messages"] = messages
	body, err := json.Marshal(msg)
	if err != nil {
		tb.Fatalf("marshal: %v", err)
	}
	return body
}

// decodeCase is a message that decodes, and what to check of it.
type decodeCase struct {
	name  string
	body  []byte
	check func(t *testing.T, m *Message)
}

// inBothForms decodes an object-form message and its string form, as the
// mobile and web dashboards post it, and checks each.
func inBothForms(t *testing.T, body []byte, check func(t *testing.T, m *Message)) {
	t.Helper()
	for _, form := range []struct {
		name string
		body []byte
	}{{"object", body}, {"string", asString(t, body)}} {
		msg, err := Decode(form.body, DefaultLimits)
		if err != nil {
			t.Fatalf("%s form: Decode: %v", form.name, err)
		}
		if msg.Event != EventAppContext {
			t.Errorf("%s form: Event = %q", form.name, msg.Event)
		}
		check(t, msg)
	}
}
