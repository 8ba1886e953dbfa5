package appcontext

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestCheckFixtures(t *testing.T) {
	tests := []struct {
		fixture string
		want    []Finding
	}{
		{"schema_clean.json", nil},
		{"james.json", nil},
		{"anonymous.json", nil},
		{"empty_contact.json", []Finding{
			{"data.contact.additional_attributes", KindMissing, "object", "", 1},
			{"data.contact.availability_status", KindMissing, "string", "", 1},
			{"data.contact.custom_attributes", KindMissing, "object", "", 1},
			{"data.contact.email", KindMissing, "string", "", 1},
			{"data.contact.id", KindMissing, "integer", "", 1},
			{"data.contact.identifier", KindMissing, "string || null", "", 1},
			{"data.contact.last_activity_at", KindMissing, "integer", "", 1},
			{"data.contact.name", KindMissing, "string", "", 1},
			{"data.contact.phone_number", KindMissing, "string", "", 1},
			{"data.contact.thumbnail", KindMissing, "string", "", 1},
			{"data.conversation.meta.sender.additional_attributes.city", KindUndocumented, "", "string", 1},
			{"data.conversation.meta.sender.additional_attributes.country", KindUndocumented, "", "string", 1},
			{"data.conversation.meta.sender.additional_attributes.country_code", KindUndocumented, "", "string", 1},
		}},
		{"schema_missing.json", []Finding{
			{"data.contact.additional_attributes", KindMissing, "object", "", 1},
			{"data.contact.availability_status", KindMissing, "string", "", 1},
			{"data.contact.custom_attributes", KindMissing, "object", "", 1},
			{"data.contact.email", KindMissing, "string", "", 1},
			{"data.contact.id", KindMissing, "integer", "", 1},
			{"data.contact.identifier", KindMissing, "string || null", "", 1},
			{"data.contact.last_activity_at", KindMissing, "integer", "", 1},
			{"data.contact.name", KindMissing, "string", "", 1},
			{"data.contact.phone_number", KindMissing, "string", "", 1},
			{"data.contact.thumbnail", KindMissing, "string", "", 1},
			{"data.conversation.messages[2].sender.thumbnail", KindMissing, "string", "", 1},
			{"data.conversation.messages[].source_id", KindMissing, "string", "", 2},
			{"data.conversation.meta.assignee.role", KindMissing, "string", "", 1},
			{"data.currentAgent", KindMissing, "object", "", 1},
		}},
		{"schema_undocumented.json", []Finding{
			{"data.contact.additional_attributes.city", KindUndocumented, "", "string", 1},
			{"data.contact.contact_inboxes", KindUndocumented, "", "array", 1},
			{"data.conversation.messages[0].attachments", KindUndocumented, "", "array", 1},
			{"data.conversation.messages[].sender_type", KindUndocumented, "", "string", 3},
			{"data.theme", KindUndocumented, "", "string", 1},
		}},
		{"schema_type_mismatch.json", []Finding{
			{"data.contact.id", KindTypeMismatch, "integer", "string", 1},
			{"data.conversation.id", KindTypeMismatch, "integer", "number", 1},
			{"data.conversation.labels", KindTypeMismatch, "array", "object", 1},
			{"data.conversation.messages[1].private", KindTypeMismatch, "boolean", "integer", 1},
			{"data.conversation.messages[].sender.id", KindTypeMismatch, "integer", "string", 3},
			{"data.conversation.meta.hmac_verified", KindTypeMismatch, "boolean", "string", 1},
			{"data.currentAgent", KindTypeMismatch, "object", "string", 1},
		}},
		{"schema_null.json", []Finding{ // contact.identifier and snoozed_until are documented as nullable
			{"data.contact.email", KindNull, "string", "null", 1},
			{"data.conversation.messages[0].source_id", KindNull, "string", "null", 1},
			{"data.conversation.messages[].content_attributes", KindNull, "object", "null", 3},
			{"data.conversation.meta.assignee", KindNull, "object", "null", 1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			got := Check(readFixture(t, tt.fixture)).Findings
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("findings:\n%s\nwant:\n%s", formatFindings(got), formatFindings(tt.want))
			}
		})
	}
}

// A modern host sends more than the documentation shows; none of it is an
// error, so its message yields only undocumented findings.
func TestCheckModernHost(t *testing.T) {
	findings := Check(readFixture(t, "layla.json")).Findings
	paths := map[string]bool{}
	for _, f := range findings {
		paths[f.Path] = true
		if f.Kind != KindUndocumented {
			t.Errorf("unexpected %s finding at %s", f.Kind, f.Path)
		}
	}
	for _, want := range []string{"data.customAttributes", "data.theme", "data.conversation.created_at", "data.contact.additional_attributes.city"} {
		if !paths[want] {
			t.Errorf("no finding for %s in\n%s", want, formatFindings(findings))
		}
	}
}

func TestCheckEdgeCases(t *testing.T) {
	tests := []struct {
		name string
		raw  []byte
		want []Finding
	}{
		{"empty object", []byte(`{}`), []Finding{
			{"data", KindMissing, "object", "", 1},
			{"event", KindMissing, "string", "", 1},
		}},
		{"the string form is not the object", []byte(`"{\"event\":\"appContext\"}"`), []Finding{{"", KindTypeMismatch, "object", "string", 1}}},
		{"not JSON", []byte(`{"event":`), []Finding{{"", KindInvalid, "JSON", "unexpected end of JSON input (at byte 9)", 1}}},
		{"too deep", []byte(`{"x":` + strings.Repeat("[", 600) + strings.Repeat("]", 600) + `}`),
			[]Finding{{"", KindInvalid, "JSON", "nesting exceeds 512 levels (at byte 516)", 1}}},
		{"nullable field of another type", cleanWith(t, func(data map[string]any) {
			data["contact"].(map[string]any)["identifier"] = 7
		}), []Finding{{"data.contact.identifier", KindTypeMismatch, "string || null", "integer", 1}}},
		{"snoozed_until may be anything", cleanWith(t, func(data map[string]any) {
			data["conversation"].(map[string]any)["snoozed_until"] = 1767852000
		}), nil},
		{"free-form and undocumented values are not descended", cleanWith(t, func(data map[string]any) {
			contact := data["contact"].(map[string]any)
			contact["custom_attributes"] = map[string]any{"a": map[string]any{"b": nil}}
			contact["extra"] = map[string]any{"id": "x"}
		}), []Finding{{"data.contact.extra", KindUndocumented, "", "object", 1}}},
		{"array items that are not objects", cleanWith(t, func(data map[string]any) {
			conv := data["conversation"].(map[string]any)
			messages := conv["messages"].([]any)
			delete(messages[2].(map[string]any), "id")
			conv["messages"] = append([]any{nil, "hi"}, messages...)
		}), []Finding{
			{"data.conversation.messages[0]", KindNull, "object", "null", 1},
			{"data.conversation.messages[1]", KindTypeMismatch, "object", "string", 1},
			{"data.conversation.messages[4].id", KindMissing, "integer", "", 1},
		}},
		{"odd keys are quoted", cleanWith(t, func(data map[string]any) {
			data["a.b"] = 1
			data[""] = true
		}), []Finding{
			{`data[""]`, KindUndocumented, "", "boolean", 1},
			{`data["a.b"]`, KindUndocumented, "", "integer", 1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Check(tt.raw).Findings; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("findings:\n%s\nwant:\n%s", formatFindings(got), formatFindings(tt.want))
			}
		})
	}
}

// cleanWith returns schema_clean.json after edit changed its "data".
func cleanWith(tb testing.TB, edit func(data map[string]any)) []byte {
	tb.Helper()
	var msg map[string]any
	if err := json.Unmarshal(readFixture(tb, "schema_clean.json"), &msg); err != nil {
		tb.Fatal(err)
	}
	edit(msg["data"].(map[string]any))
	raw, err := json.Marshal(msg)
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}

func TestCheckSortsNumerically(t *testing.T) {
	items := make([]string, 12)
	for i := range items {
		items[i] = `{}`
	}
	items[2], items[10] = `{"id":null}`, `{"id":"10"}` // unlike the other items, which miss their id
	raw := `{"event":"appContext","data":{"conversation":{"messages":[` + strings.Join(items, ",") + `]}}}`
	var paths []string
	for _, f := range Check([]byte(raw)).Findings {
		if strings.HasSuffix(f.Path, "].id") {
			paths = append(paths, f.Path+" "+string(f.Kind))
		}
	}
	want := []string{
		"data.conversation.messages[2].id null",
		"data.conversation.messages[10].id type_mismatch",
		"data.conversation.messages[].id missing",
	}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("paths = %q, want %q", paths, want)
	}
}

func TestParseSchema(t *testing.T) {
	root := documented()
	if root.typ != "object" || len(root.fields) != 2 {
		t.Fatalf("root = %+v", root)
	}
	// Spot-check the transcription against the documentation.
	lookup := func(path ...string) *schemaNode {
		node := root
		for _, name := range path {
			if name == "[]" {
				node = node.items
				continue
			}
			i := node.field([]byte(name))
			if i < 0 {
				t.Fatalf("schema has no %v", path)
			}
			node = node.fields[i].node
		}
		return node
	}
	checks := []struct {
		path []string
		want string
	}{
		{[]string{"data", "conversation", "meta", "sender", "id"}, "integer"},
		{[]string{"data", "conversation", "meta", "assignee", "auto_offline"}, "boolean"},
		{[]string{"data", "conversation", "messages", "[]", "sender", "type"}, "string"},
		{[]string{"data", "conversation", "messages", "[]", "content_attributes"}, "object"},
		{[]string{"data", "conversation", "additional_attributes", "initiated_at", "timestamp"}, "string"},
		{[]string{"data", "conversation", "snoozed_until"}, "null"},
		{[]string{"data", "conversation", "labels"}, "array"},
		{[]string{"data", "conversation", "allMessagesLoaded"}, "boolean"},
		{[]string{"data", "contact", "identifier"}, "string || null"},
		{[]string{"data", "contact", "phone_number"}, "string"},
		{[]string{"data", "currentAgent", "email"}, "string"},
	}
	for _, c := range checks {
		if got := lookup(c.path...).expected(); got != c.want {
			t.Errorf("%v = %q, want %q", c.path, got, c.want)
		}
	}
	if n := len(lookup("data", "conversation").fields); n != 19 {
		t.Errorf("conversation documents %d fields, want 19", n)
	}
	if n := len(lookup("data", "contact").fields); n != 10 {
		t.Errorf("contact documents %d fields, want 10", n)
	}

	for _, bad := range []any{"str", "string || integer", "null || null", []any{}, []any{"string", "string"}, 3.0, map[string]any{"a": "nope"}} {
		if _, err := parseSchema(bad); err == nil {
			t.Errorf("parseSchema(%#v) succeeded", bad)
		}
	}
}

func formatFindings(findings []Finding) string {
	var b strings.Builder
	for _, f := range findings {
		b.WriteString("  " + f.Path + " " + string(f.Kind) + " expected=" + f.Expected + " got=" + f.Got + " count=" + strconv.Itoa(f.Count) + "\n")
	}
	return b.String()
}
