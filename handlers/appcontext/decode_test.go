package appcontext

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestDecodeLayla(t *testing.T) {
	object := readFixture(t, "layla.json")
	fromObject := mustDecode(t, object)
	fromString := mustDecode(t, readFixture(t, "layla_string.json"))

	if fromObject.WasString || !fromString.WasString {
		t.Errorf("WasString: object form %v, string form %v; want false, true", fromObject.WasString, fromString.WasString)
	}
	if !reflect.DeepEqual(fromObject.Data, fromString.Data) {
		t.Errorf("object and string forms decode differently:\n%+v\n%+v", fromObject.Data, fromString.Data)
	}
	if !bytes.Equal(fromObject.Raw, object) {
		t.Errorf("object form Raw is not the body as received")
	}
	var inner string
	if err := json.Unmarshal(readFixture(t, "layla_string.json"), &inner); err != nil {
		t.Fatal(err)
	}
	if string(fromString.Raw) != inner {
		t.Errorf("string form Raw is not the string's content")
	}

	d := fromString.Data
	wantContact := Contact{
		ID: 1, Name: "Layla Al-Harbi", Email: "layla@example.com", PhoneNumber: "+966 50 000 0001",
		Identifier: "cust-1001", Thumbnail: "https://example.com/avatars/layla.png", AvailabilityStatus: "offline",
		CompanyName: "Harbi Trading Est.", Description: "Prefers WhatsApp, Arabic or English. Gold tier since 2023.",
		SocialProfiles: []Link{
			{Network: "linkedin", URL: "https://www.linkedin.com/in/layla-al-harbi"},
			{Network: "twitter", URL: "layla_harbi"},
		},
		CustomAttributes: []Attribute{
			{"lifetime_orders", "14"}, {"loyalty_tier", "gold"}, {"preferred_language", "ar"}, {"vip", "true"},
		},
		AdditionalAttributes: []Attribute{{"city", "Riyadh"}, {"country", "Saudi Arabia"}, {"country_code", "SA"}},
		LastActivityAt:       time.Date(2026, 1, 8, 6, 53, 50, 0, time.UTC),
	}
	if !reflect.DeepEqual(d.Contact, wantContact) {
		t.Errorf("Contact\n got %+v\nwant %+v", d.Contact, wantContact)
	}
	if !reflect.DeepEqual(d.Conversation.Sender, wantContact) {
		t.Errorf("meta.sender\n got %+v\nwant %+v", d.Conversation.Sender, wantContact)
	}
	c := d.Conversation
	if c.ID != 101 || c.AccountID != 1 || c.InboxID != 1 || c.Status != "open" || c.Channel != "Channel::Whatsapp" || !c.HMACVerified {
		t.Errorf("conversation header = id %d account %d inbox %d status %q channel %q hmac %v",
			c.ID, c.AccountID, c.InboxID, c.Status, c.Channel, c.HMACVerified)
	}
	if !reflect.DeepEqual(c.Labels, []string{"delivery-delay", "vip"}) {
		t.Errorf("Labels = %q", c.Labels)
	}
	if want := (&Agent{ID: 7, Name: "Omar Haddad", Email: "omar.haddad@example.com"}); !reflect.DeepEqual(c.Assignee, want) || !reflect.DeepEqual(d.CurrentAgent, want) {
		t.Errorf("Assignee = %+v, CurrentAgent = %+v, want %+v", c.Assignee, d.CurrentAgent, want)
	}
	if c.MessageCount != 20 || len(c.Messages) != 20 {
		t.Fatalf("MessageCount = %d, kept %d; want 20, 20", c.MessageCount, len(c.Messages))
	}
	private := 0
	for _, m := range c.Messages {
		if m.Private {
			private++
		}
	}
	if private != 1 {
		t.Errorf("%d private notes, want 1", private)
	}
	wantFirst := ChatMessage{
		ID: 5001, Content: "السلام عليكم، Hello! I ordered a coffee grinder last week (order SA-10482) and it still hasn't arrived.",
		MessageType: MessageIncoming, CreatedAt: time.Date(2026, 1, 8, 6, 0, 0, 0, time.UTC),
		SenderName: "Layla Al-Harbi", SenderType: "contact",
	}
	if c.Messages[0] != wantFirst {
		t.Errorf("first message\n got %+v\nwant %+v", c.Messages[0], wantFirst)
	}
	if m := c.Messages[1]; m.MessageType != MessageOutgoing || m.SenderName != "Omar Haddad" || m.SenderType != "user" {
		t.Errorf("second message = %+v, want outgoing from the agent", m)
	}
	if !reflect.DeepEqual(c.CustomAttributes, []Attribute{{"order_number", "SA-10482"}, {"priority_reason", "late delivery"}}) {
		t.Errorf("conversation CustomAttributes = %+v", c.CustomAttributes)
	}
	if !c.CreatedAt.Equal(time.Date(2026, 1, 8, 5, 59, 0, 0, time.UTC)) || !c.Timestamp.Equal(wantContact.LastActivityAt) {
		t.Errorf("CreatedAt %v, Timestamp %v", c.CreatedAt, c.Timestamp)
	}
	wantDefs := []AttributeDefinition{
		{Key: "loyalty_tier", DisplayName: "Loyalty tier", Type: "list", Model: ModelContact},
		{Key: "preferred_language", DisplayName: "Preferred language", Type: "list", Model: ModelContact},
		{Key: "order_number", DisplayName: "Order number", Type: "text", Model: ModelConversation},
	}
	if !reflect.DeepEqual(d.CustomAttributes, wantDefs) {
		t.Errorf("CustomAttributes = %+v", d.CustomAttributes)
	}
	if d.Theme != "light" {
		t.Errorf("Theme = %q", d.Theme)
	}
}

func TestDecodeQuirks(t *testing.T) {
	tests := []decodeCase{
		{
			name: "nulls everywhere at the top",
			body: message(`{"conversation":null,"contact":null,"currentAgent":null,"customAttributes":null,"theme":null}`),
			check: func(t *testing.T, m *Message) {
				if !reflect.DeepEqual(m.Data, Context{}) {
					t.Errorf("Data = %+v, want zero", m.Data)
				}
			},
		},
		{
			name: "nulls everywhere inside",
			body: message(`{"conversation":{"id":null,"account_id":null,"inbox_id":null,"status":null,"labels":null,
				"meta":{"sender":null,"channel":null,"assignee":null,"hmac_verified":null},
				"messages":[null,{"id":null,"content":null,"message_type":null,"private":null,"created_at":null,"sender":null}],
				"custom_attributes":null,"unread_count":null,"timestamp":null},
				"contact":{"id":null,"name":null,"email":null,"phone_number":null,"identifier":null,"thumbnail":null,
				"additional_attributes":{"company_name":null,"social_profiles":null,"city":null},"custom_attributes":{"tier":null},
				"last_activity_at":null},"currentAgent":{"id":null,"name":null,"email":null}}`),
			check: func(t *testing.T, m *Message) {
				want := Context{Conversation: Conversation{Messages: []ChatMessage{{}}, MessageCount: 2}}
				if !reflect.DeepEqual(m.Data, want) {
					t.Errorf("Data = %+v, want %+v", m.Data, want)
				}
			},
		},
		{
			name: "data missing",
			body: []byte(`{"event":"appContext"}`),
			check: func(t *testing.T, m *Message) {
				if !reflect.DeepEqual(m.Data, Context{}) {
					t.Errorf("Data = %+v, want zero", m.Data)
				}
			},
		},
		{
			name: "ids as numbers, strings and floats",
			body: message(`{"conversation":{"id":"101","account_id":1.0,"inbox_id":4.2e1,"unread_count":" 3 "},"contact":{"id":42}}`),
			check: func(t *testing.T, m *Message) {
				c := m.Data.Conversation
				if c.ID != 101 || c.AccountID != 1 || c.InboxID != 42 || c.UnreadCount != 3 || m.Data.Contact.ID != 42 {
					t.Errorf("ids = %d %d %d %d %d", c.ID, c.AccountID, c.InboxID, c.UnreadCount, m.Data.Contact.ID)
				}
			},
		},
		{
			name: "ids that are no integer become zero",
			body: message(`{"conversation":{"id":42.5,"account_id":"abc","inbox_id":true,"unread_count":{}},"contact":{"id":[1]}}`),
			check: func(t *testing.T, m *Message) {
				c := m.Data.Conversation
				if c.ID != 0 || c.AccountID != 0 || c.InboxID != 0 || c.UnreadCount != 0 || m.Data.Contact.ID != 0 {
					t.Errorf("ids = %d %d %d %d %d, want zeros", c.ID, c.AccountID, c.InboxID, c.UnreadCount, m.Data.Contact.ID)
				}
			},
		},
		{
			name: "numbers overflowing int64 become zero",
			body: message(`{"conversation":{"id":99999999999999999999,"account_id":"-99999999999999999999","inbox_id":1e300,
				"unread_count":9223372036854775808},"contact":{"id":9223372036854775807}}`),
			check: func(t *testing.T, m *Message) {
				c := m.Data.Conversation
				if c.ID != 0 || c.AccountID != 0 || c.InboxID != 0 || c.UnreadCount != 0 {
					t.Errorf("ids = %d %d %d %d, want zeros", c.ID, c.AccountID, c.InboxID, c.UnreadCount)
				}
				if m.Data.Contact.ID != 9223372036854775807 {
					t.Errorf("max int64 id = %d", m.Data.Contact.ID)
				}
			},
		},
		{
			name: "booleans as strings and numbers",
			body: message(`{"conversation":{"meta":{"hmac_verified":"true"},"messages":[{"private":1},{"private":"false"},{"private":"yes"},{"private":0}]}}`),
			check: func(t *testing.T, m *Message) {
				c := m.Data.Conversation
				var got []bool
				for _, msg := range c.Messages {
					got = append(got, msg.Private)
				}
				if !c.HMACVerified || !reflect.DeepEqual(got, []bool{true, false, false, false}) {
					t.Errorf("hmac %v, private %v", c.HMACVerified, got)
				}
			},
		},
		{
			name: "timestamps in seconds, strings, milliseconds and RFC 3339",
			body: message(`{"conversation":{"messages":[{"created_at":1767852000},{"created_at":"1767852000"},
				{"created_at":1767852000000},{"created_at":"2026-01-08T09:00:00+03:00"},{"created_at":1767852000.5},
				{"created_at":0},{"created_at":-5},{"created_at":"soon"},{"created_at":1e300}]}}`),
			check: func(t *testing.T, m *Message) {
				at := time.Date(2026, 1, 8, 6, 0, 0, 0, time.UTC)
				want := []time.Time{at, at, at, at, at.Add(500 * time.Millisecond), {}, {}, {}, {}}
				for i, msg := range m.Data.Conversation.Messages {
					if !msg.CreatedAt.Equal(want[i]) || msg.CreatedAt.Location() != time.UTC {
						t.Errorf("message %d CreatedAt = %v, want %v UTC", i, msg.CreatedAt, want[i])
					}
				}
			},
		},
		{
			name: "fields of the wrong type become zero",
			body: message(`{"conversation":{"labels":{"vip":true},"meta":"open","messages":{"0":{}},"custom_attributes":["x"]},
				"contact":"Layla","currentAgent":[7],"customAttributes":{"tier":{}},"theme":{"mode":"dark"}}`),
			check: func(t *testing.T, m *Message) {
				if !reflect.DeepEqual(m.Data, Context{}) {
					t.Errorf("Data = %+v, want zero", m.Data)
				}
			},
		},
		{
			name: "labels keep scalars only",
			body: message(`{"conversation":{"labels":["vip",7,null,{"title":"x"},true,["y"]]}}`),
			check: func(t *testing.T, m *Message) {
				if want := []string{"vip", "7", "true"}; !reflect.DeepEqual(m.Data.Conversation.Labels, want) {
					t.Errorf("Labels = %q, want %q", m.Data.Conversation.Labels, want)
				}
			},
		},
		{
			name: "scalars as text: phone sent as a number",
			body: message(`{"contact":{"phone_number":966500000001,"identifier":1001,"name":true}}`),
			check: func(t *testing.T, m *Message) {
				c := m.Data.Contact
				if c.PhoneNumber != "966500000001" || c.Identifier != "1001" || c.Name != "true" {
					t.Errorf("contact = %+v", c)
				}
			},
		},
		{
			name: "attributes rendered, sorted, nulls left out",
			body: message(`{"contact":{"custom_attributes":{"vip":true,"n":12,"tags":[ "a", "b" ],"nested":{ "x" : 1 },"gone":null,"s":"text"},
				"additional_attributes":{"social_profiles":{"twitter":"layla","github":"","facebook":null,"linkedin":"https://l.example/in/x"}}}}`),
			check: func(t *testing.T, m *Message) {
				c := m.Data.Contact
				wantAttrs := []Attribute{{"n", "12"}, {"nested", `{"x":1}`}, {"s", "text"}, {"tags", `["a","b"]`}, {"vip", "true"}}
				if !reflect.DeepEqual(c.CustomAttributes, wantAttrs) {
					t.Errorf("CustomAttributes = %q, want %q", c.CustomAttributes, wantAttrs)
				}
				wantLinks := []Link{{"linkedin", "https://l.example/in/x"}, {"twitter", "layla"}}
				if !reflect.DeepEqual(c.SocialProfiles, wantLinks) {
					t.Errorf("SocialProfiles = %q, want %q", c.SocialProfiles, wantLinks)
				}
			},
		},
		{
			name: "agents: available_name fallback, empty is absent",
			body: message(`{"conversation":{"meta":{"assignee":{}}},"currentAgent":{"id":"7","available_name":"Omar"}}`),
			check: func(t *testing.T, m *Message) {
				if m.Data.Conversation.Assignee != nil {
					t.Errorf("Assignee = %+v, want nil", m.Data.Conversation.Assignee)
				}
				if want := (&Agent{ID: 7, Name: "Omar"}); !reflect.DeepEqual(m.Data.CurrentAgent, want) {
					t.Errorf("CurrentAgent = %+v, want %+v", m.Data.CurrentAgent, want)
				}
			},
		},
		{
			name: "message types by name, sender type fallback",
			body: message(`{"conversation":{"messages":[{"message_type":"incoming","sender_type":"Contact"},
				{"message_type":"outgoing","sender_type":"User","sender":{"type":"user","available_name":"Omar"}},
				{"message_type":"2"},{"message_type":"template"}]}}`),
			check: func(t *testing.T, m *Message) {
				var types []int
				for _, msg := range m.Data.Conversation.Messages {
					types = append(types, msg.MessageType)
				}
				if want := []int{MessageIncoming, MessageOutgoing, MessageActivity, MessageTemplate}; !reflect.DeepEqual(types, want) {
					t.Errorf("types = %v, want %v", types, want)
				}
				msgs := m.Data.Conversation.Messages
				if msgs[0].SenderType != "contact" || msgs[1].SenderType != "user" || msgs[1].SenderName != "Omar" {
					t.Errorf("senders = %+v", msgs[:2])
				}
			},
		},
		{
			name: "attribute definitions: numeric models, entries without key dropped",
			body: message(`{"customAttributes":[{"attribute_key":"tier","attribute_model":1},{"attribute_key":"order","attribute_model":"0"},
				{"attribute_display_name":"no key"},"junk",null]}`),
			check: func(t *testing.T, m *Message) {
				want := []AttributeDefinition{{Key: "tier", Model: ModelContact}, {Key: "order", Model: ModelConversation}}
				if !reflect.DeepEqual(m.Data.CustomAttributes, want) {
					t.Errorf("CustomAttributes = %+v, want %+v", m.Data.CustomAttributes, want)
				}
			},
		},
		{
			name: "theme normalised",
			body: message(`{"theme":" DARK "}`),
			check: func(t *testing.T, m *Message) {
				if m.Data.Theme != "dark" {
					t.Errorf("Theme = %q", m.Data.Theme)
				}
			},
		},
		{
			name: "unknown theme",
			body: message(`{"theme":"solarized"}`),
			check: func(t *testing.T, m *Message) {
				if m.Data.Theme != "" {
					t.Errorf("Theme = %q, want empty", m.Data.Theme)
				}
			},
		},
		{
			name: "Arabic, escapes and emoji preserved",
			body: message(`{"contact":{"name":"ليلى \u0627\u0644\u062d\u0631\u0628\u064a","identifier":"\ud83d\ude4f \"quoted\"\n\ttab\\ \/"}}`),
			check: func(t *testing.T, m *Message) {
				c := m.Data.Contact
				if c.Name != "ليلى الحربي" || c.Identifier != "🙏 \"quoted\"\n\ttab\\ /" {
					t.Errorf("Name %q, Identifier %q", c.Name, c.Identifier)
				}
			},
		},
		{
			name: "lone surrogates and invalid UTF-8 become U+FFFD",
			body: message("{\"contact\":{\"name\":\"a\\ud83d b\",\"email\":\"\\ude4f\",\"identifier\":\"x\xff\xfey\"}}"),
			check: func(t *testing.T, m *Message) {
				c := m.Data.Contact
				if c.Name != "a\uFFFD b" || c.Email != "\uFFFD" || c.Identifier != "x\uFFFD\uFFFDy" {
					t.Errorf("Name %q, Email %q, Identifier %q", c.Name, c.Email, c.Identifier)
				}
			},
		},
		{
			name: "hostile text is kept as plain text",
			body: message(`{"contact":{"name":"<script>alert(1)</script>","thumbnail":"javascript:alert(1)"},
				"conversation":{"messages":[{"content":"<img src=x onerror=alert(1)> & \u003cb\u003e"}]}}`),
			check: func(t *testing.T, m *Message) {
				if m.Data.Contact.Name != "<script>alert(1)</script>" || m.Data.Contact.Thumbnail != "javascript:alert(1)" {
					t.Errorf("contact = %+v", m.Data.Contact)
				}
				if got := m.Data.Conversation.Messages[0].Content; got != "<img src=x onerror=alert(1)> & <b>" {
					t.Errorf("Content = %q", got)
				}
			},
		},
		{
			name: "unknown keys of any shape are skipped",
			body: []byte(`{"extra":[{"deep":[1,2,{"x":null}]}],"event":"appContext","data":{"contact":{"id":1,"future":{"a":[true,false]}}},"z":-0.5e-3}`),
			check: func(t *testing.T, m *Message) {
				if m.Data.Contact.ID != 1 {
					t.Errorf("Contact.ID = %d", m.Data.Contact.ID)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { inBothForms(t, tt.body, tt.check) })
	}
}

func TestDecodeStringFormWithWhitespace(t *testing.T) {
	body := append(append([]byte(" \n"), asString(t, message(`{"contact":{"id":3}}`))...), "\r\n"...)
	msg := mustDecode(t, body)
	if !msg.WasString || msg.Data.Contact.ID != 3 || string(msg.Raw) != string(message(`{"contact":{"id":3}}`)) {
		t.Errorf("WasString %v, Contact.ID %d, Raw %q", msg.WasString, msg.Data.Contact.ID, msg.Raw)
	}
}

func TestDecodeMessagesKeepsNewest(t *testing.T) {
	body := asString(t, withMessages(t, 600))
	if len(body) < 400_000 {
		t.Fatalf("generated payload is only %d bytes", len(body))
	}
	msg := mustDecode(t, body)
	c := msg.Data.Conversation
	if c.MessageCount != 600 || len(c.Messages) != DefaultLimits.MaxMessages {
		t.Fatalf("MessageCount %d, kept %d; want 600, %d", c.MessageCount, len(c.Messages), DefaultLimits.MaxMessages)
	}
	for i, m := range c.Messages {
		if want := int64(10000 + 100 + i); m.ID != want {
			t.Fatalf("Messages[%d].ID = %d, want %d (the newest, in order)", i, m.ID, want)
		}
	}

	// A ring that wraps at an arbitrary point still comes out in order.
	small, err := Decode(message(`{"conversation":{"messages":[{"id":1},"skip",{"id":2},{"id":3},{"id":4},{"id":5},{"id":6},{"id":7}]}}`),
		Limits{MaxMessages: 3})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, m := range small.Data.Conversation.Messages {
		ids = append(ids, m.ID)
	}
	if !reflect.DeepEqual(ids, []int64{5, 6, 7}) || small.Data.Conversation.MessageCount != 8 {
		t.Errorf("kept %v of %d, want [5 6 7] of 8", ids, small.Data.Conversation.MessageCount)
	}
}

func TestDecodeTruncatesLongStrings(t *testing.T) {
	long := strings.Repeat("ب", 10000) // two bytes per rune
	body := message(`{"contact":{"name":"0123456789abc","custom_attributes":{"note":"` + long + `"}},
		"conversation":{"messages":[{"content":"` + long + `"}]}}`)

	msg := mustDecode(t, body)
	content := msg.Data.Conversation.Messages[0].Content
	if n := utf8.RuneCountInString(content); n != DefaultLimits.MaxString+1 || !strings.HasSuffix(content, "…") {
		t.Errorf("content has %d runes (suffix %q), want %d ending in …", n, content[len(content)-3:], DefaultLimits.MaxString+1)
	}
	if msg.Data.Contact.Name != "0123456789abc" {
		t.Errorf("short name changed: %q", msg.Data.Contact.Name)
	}
	if !bytes.Equal(msg.Raw, body) {
		t.Errorf("Raw must stay as received")
	}

	small, err := Decode(body, Limits{MaxString: 10})
	if err != nil {
		t.Fatal(err)
	}
	if got := small.Data.Contact.Name; got != "0123456789…" {
		t.Errorf("Name = %q, want 0123456789…", got)
	}
	if got := small.Data.Contact.CustomAttributes[0].Value; got != strings.Repeat("ب", 10)+"…" {
		t.Errorf("attribute = %q", got)
	}
}

func TestDecodeErrors(t *testing.T) {
	deep := strings.Repeat("[", 1000) + strings.Repeat("]", 1000)
	tests := []struct {
		name       string
		body       []byte
		lim        Limits
		reason     Reason
		detail     string // exact, when set
		errMessage string // substring of Error()
	}{
		{name: "empty", body: nil, reason: ReasonNotJSON, errMessage: "the message is not JSON: unexpected end of JSON input"},
		{name: "not JSON", body: []byte(`hello`), reason: ReasonNotJSON,
			errMessage: "the message is not JSON: invalid character 'h' looking for beginning of value"},
		{name: "cut short", body: []byte(`{"event":"appContext","data":{"contact":`), reason: ReasonNotJSON, errMessage: "unexpected end of JSON input"},
		{name: "trailing garbage", body: []byte(`{"event":"appContext"} x`), reason: ReasonNotJSON, errMessage: "after top-level value"},
		{name: "trailing comma", body: []byte(`{"event":"appContext","data":{"conversation":{"labels":["a",]}}}`), reason: ReasonNotJSON,
			errMessage: "invalid character ']' looking for beginning of value"},
		{name: "single quotes", body: []byte(`{'event':'appContext'}`), reason: ReasonNotJSON, errMessage: "looking for beginning of object key string"},
		{name: "bad escape", body: []byte(`{"event":"app\xContext"}`), reason: ReasonNotJSON, errMessage: "in string escape code"},
		{name: "raw newline in string", body: []byte("{\"event\":\"app\nContext\"}"), reason: ReasonNotJSON, errMessage: "in string literal"},
		{name: "bad number", body: []byte(`{"event":"appContext","data":{"contact":{"id":01}}}`), reason: ReasonNotJSON},
		{name: "bad literal", body: []byte(`{"event":"appContext","data":nul}`), reason: ReasonNotJSON, errMessage: "in literal null"},
		{name: "string form holding broken JSON", body: []byte(`"{\"event\":\"appContext\","`), reason: ReasonNotJSON},
		{name: "unterminated string form", body: []byte(`"{\"event\"`), reason: ReasonNotJSON},
		{name: "array", body: []byte(`[{"event":"appContext"}]`), reason: ReasonNotObject, detail: "an array",
			errMessage: `the message is JSON but not an object (got an array)`},
		{name: "number", body: []byte(`42`), reason: ReasonNotObject, detail: "an integer"},
		{name: "null", body: []byte(`null`), reason: ReasonNotObject, detail: "null"},
		{name: "string holding a number", body: []byte(`"42.5"`), reason: ReasonNotObject, detail: "a number"},
		{name: "string holding a string", body: []byte(`"\"appContext\""`), reason: ReasonNotObject, detail: "a string"},
		{name: "wrong event", body: []byte(`{"event":"ready","data":{}}`), reason: ReasonUnknownEvent, detail: "ready",
			errMessage: `the message is a "ready" event, not "appContext"`},
		{name: "event is case sensitive", body: []byte(`{"event":"AppContext"}`), reason: ReasonUnknownEvent, detail: "AppContext"},
		{name: "no event", body: []byte(`{"data":{"contact":{"id":1}}}`), reason: ReasonUnknownEvent, detail: "",
			errMessage: `the message has no "event" field; expected "appContext"`},
		{name: "long event truncated", body: []byte(`{"event":"` + strings.Repeat("x", 500) + `"}`), reason: ReasonUnknownEvent,
			detail: strings.Repeat("x", maxEventDetail) + "…"},
		{name: "fetch-info string", body: []byte(`"bevatel-dashboard-app:fetch-info"`), reason: ReasonUnknownEvent,
			detail: "bevatel-dashboard-app:fetch-info", errMessage: `the message is a "bevatel-dashboard-app:fetch-info" event, not "appContext"`},
		{name: "too deep", body: message(deep), reason: ReasonTooDeep, errMessage: "nesting exceeds 32 levels"},
		{name: "too deep in an unknown key", body: []byte(`{"event":"appContext","x":` + deep + `}`), reason: ReasonTooDeep},
		{name: "too deep, string form", body: asString(t, message(deep)), reason: ReasonTooDeep},
		{name: "too deep, unclosed", body: []byte(strings.Repeat(`{"a":`, 100000)), reason: ReasonTooDeep},
		{name: "one level beyond a custom limit", body: message(`{"contact":{"custom_attributes":{"a":[1]}}}`), lim: Limits{MaxDepth: 4},
			reason: ReasonTooDeep, detail: "nesting exceeds 4 levels (at byte 66)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lim := tt.lim
			if lim == (Limits{}) {
				lim = DefaultLimits
			}
			msg, err := Decode(tt.body, lim)
			if err == nil {
				t.Fatalf("Decode succeeded: %+v", msg)
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("error %T %v is not a *DecodeError", err, err)
			}
			if de.Reason != tt.reason {
				t.Errorf("Reason = %s, want %s (%v)", de.Reason, tt.reason, err)
			}
			if tt.detail != "" || tt.reason == ReasonUnknownEvent {
				if de.Detail != tt.detail {
					t.Errorf("Detail = %q, want %q", de.Detail, tt.detail)
				}
			}
			if !strings.Contains(err.Error(), tt.errMessage) {
				t.Errorf("Error() = %q, want it to contain %q", err.Error(), tt.errMessage)
			}
		})
	}
}

func TestDecodeAtDepthLimit(t *testing.T) {
	// The message object is level 1, data 2, contact 3, custom_attributes 4.
	body := message(`{"contact":{"custom_attributes":{"a":1}}}`)
	if _, err := Decode(body, Limits{MaxDepth: 4}); err != nil {
		t.Errorf("depth 4 with MaxDepth 4: %v", err)
	}
	if _, err := Decode(body, Limits{MaxDepth: 3}); err == nil {
		t.Errorf("depth 4 with MaxDepth 3 succeeded")
	}
}

func TestDecodeDoesNotKeepTheCallersBuffer(t *testing.T) {
	body := message(`{"contact":{"id":1,"name":"Layla"}}`)
	msg := mustDecode(t, body)
	for i := range body {
		body[i] = 'x' // as fasthttp does when it reuses a request buffer
	}
	if msg.Data.Contact.Name != "Layla" || !json.Valid(msg.Raw) {
		t.Errorf("decoded message changed with the buffer: %q, Raw %q", msg.Data.Contact.Name, msg.Raw)
	}
}

// TestDecodeKeepingNoMessages pins MaxMessages 0, the panel's limit: the
// messages are counted and validated exactly as when they are kept, and
// everything else decodes alike.
func TestDecodeKeepingNoMessages(t *testing.T) {
	deep := strings.Repeat("[", 40) + strings.Repeat("]", 40)
	tests := []struct {
		name      string
		body      []byte
		wantCount int
		reason    Reason // the error both limits give; "" for success
	}{
		{name: "layla, string form", body: readFixture(t, "layla_string.json"), wantCount: 20},
		{name: "600 messages", body: asString(t, withMessages(t, 600)), wantCount: 600},
		{name: "no messages key", body: message(`{"conversation":{"id":1}}`), wantCount: 0},
		{name: "empty array", body: message(`{"conversation":{"messages":[]}}`), wantCount: 0},
		{name: "not an array", body: message(`{"conversation":{"messages":{"id":1}}}`), wantCount: 0},
		{name: "elements that are not objects still count",
			body: message(`{"conversation":{"messages":[{"id":1},"x",null,[1,{"a":2}],3.5,true,{"id":2}]}}`), wantCount: 7},
		{name: "messages before and after the ids",
			body: message(`{"conversation":{"messages":[{"id":1}],"id":7,"meta":{"sender":{"id":9}}},"contact":{"email":"a@b.c"}}`), wantCount: 1},
		{name: "bad escape in a message", body: message(`{"conversation":{"messages":[{"content":"a\x"}]}}`), reason: ReasonNotJSON},
		{name: "raw newline in a message", body: message("{\"conversation\":{\"messages\":[{\"content\":\"a\nb\"}]}}"), reason: ReasonNotJSON},
		{name: "bad number in a message", body: message(`{"conversation":{"messages":[{"id":01}]}}`), reason: ReasonNotJSON},
		{name: "trailing comma in messages", body: message(`{"conversation":{"messages":[{"id":1},]}}`), reason: ReasonNotJSON},
		{name: "bad literal in a message", body: message(`{"conversation":{"messages":[{"private":tru}]}}`), reason: ReasonNotJSON},
		{name: "unclosed message", body: message(`{"conversation":{"messages":[{"id":1}`), reason: ReasonNotJSON},
		{name: "too deep in a message", body: message(`{"conversation":{"messages":[{"x":` + deep + `}]}}`), reason: ReasonTooDeep},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			none, err := Decode(tt.body, Limits{MaxMessages: 0})
			all, allErr := Decode(tt.body, DefaultLimits)
			if tt.reason != "" {
				var de *DecodeError
				if !errors.As(err, &de) || de.Reason != tt.reason {
					t.Fatalf("keeping none: error %v, want reason %s", err, tt.reason)
				}
				if allErr == nil || allErr.Error() != err.Error() {
					t.Fatalf("errors differ: keeping none %q, keeping all %v", err, allErr)
				}
				return
			}
			if err != nil || allErr != nil {
				t.Fatalf("Decode: keeping none %v, keeping all %v", err, allErr)
			}
			got := none.Data.Conversation
			if got.Messages != nil || got.MessageCount != tt.wantCount {
				t.Errorf("kept %d of %d messages, want none of %d", len(got.Messages), got.MessageCount, tt.wantCount)
			}
			all.Data.Conversation.Messages = nil
			if !reflect.DeepEqual(none, all) {
				t.Errorf("the rest decodes differently:\nnone %+v\n all %+v", none, all)
			}
		})
	}
}

// TestDecodeDuplicateKeys pins JSON.parse's rule, which the dashboard's own
// code follows: of a key sent twice in one object, the last value wins,
// whole, even when it is null or of another type.
func TestDecodeDuplicateKeys(t *testing.T) {
	tests := []decodeCase{
		{
			name: "top level: the last data wins",
			body: []byte(`{"event":"appContext","data":{"contact":{"id":1,"name":"Layla"},"theme":"dark"},"data":{"contact":{"email":"james@example.com"}}}`),
			check: func(t *testing.T, m *Message) {
				want := Context{Contact: Contact{Email: "james@example.com"}}
				if !reflect.DeepEqual(m.Data, want) {
					t.Errorf("Data = %+v, want %+v", m.Data, want)
				}
			},
		},
		{
			name: "top level: the last event wins",
			body: []byte(`{"event":"ready","event":"appContext","data":{"contact":{"id":3}}}`),
			check: func(t *testing.T, m *Message) {
				if m.Data.Contact.ID != 3 {
					t.Errorf("Contact.ID = %d, want 3", m.Data.Contact.ID)
				}
			},
		},
		{
			name: "a repeated contact is the second person, not a merge",
			body: message(`{"contact":{"id":1,"name":"Layla Al-Harbi","custom_attributes":{"tier":"gold"}},
				"contact":{"name":"James Carter","email":"james@example.com"}}`),
			check: func(t *testing.T, m *Message) {
				want := Contact{Name: "James Carter", Email: "james@example.com"}
				if !reflect.DeepEqual(m.Data.Contact, want) {
					t.Errorf("Contact = %+v, want %+v", m.Data.Contact, want)
				}
				if id := m.Data.Identity(); id.ContactID != 0 || id.Email != "james@example.com" {
					t.Errorf("Identity = %+v, want James's email and no id", id)
				}
			},
		},
		{
			name: "a contact repeated as null is absent",
			body: message(`{"contact":{"id":1,"name":"Layla"},"contact":null,"conversation":{"meta":{"sender":{"id":2,"name":"James"}}}}`),
			check: func(t *testing.T, m *Message) {
				if !reflect.DeepEqual(m.Data.Contact, Contact{}) {
					t.Errorf("Contact = %+v, want zero", m.Data.Contact)
				}
				if c, fromSender := m.Data.Customer(); !fromSender || c.ID != 2 {
					t.Errorf("Customer() = %+v, %v; want the sender", c, fromSender)
				}
			},
		},
		{
			name: "nested: conversation, meta, sender, additional attributes and message sender",
			body: message(`{"conversation":{"id":1,"status":"open","conversation":{},"labels":["a"]},
				"conversation":{"id":2,"meta":{"sender":{"id":5,"name":"Layla"},"channel":"Channel::Whatsapp","hmac_verified":true},
				"meta":{"sender":{"email":"james@example.com"}},
				"messages":[{"id":9,"sender":{"name":"Omar","type":"user"},"sender":{"available_name":"Bot"}}],
				"custom_attributes":{"order_number":"SA-1"},"custom_attributes":{"priority":"high"}},
				"contact":{"additional_attributes":{"company_name":"Harbi","city":"Riyadh"},"additional_attributes":{"country":"SA"},
				"custom_attributes":{"tier":"gold","tier":"silver","vip":true,"vip":null}}}`),
			check: func(t *testing.T, m *Message) {
				c := m.Data.Conversation
				if c.ID != 2 || c.Status != "" || c.Labels != nil {
					t.Errorf("conversation id %d, status %q, labels %q; want 2, \"\", none", c.ID, c.Status, c.Labels)
				}
				if want := (Contact{Email: "james@example.com"}); !reflect.DeepEqual(c.Sender, want) || c.Channel != "" || c.HMACVerified {
					t.Errorf("meta: sender %+v, channel %q, hmac %v; want only the second meta", c.Sender, c.Channel, c.HMACVerified)
				}
				if len(c.Messages) != 1 || c.Messages[0].SenderName != "Bot" || c.Messages[0].SenderType != "" {
					t.Errorf("messages = %+v, want one from the second sender", c.Messages)
				}
				if want := []Attribute{{"priority", "high"}}; !reflect.DeepEqual(c.CustomAttributes, want) {
					t.Errorf("conversation CustomAttributes = %q, want %q", c.CustomAttributes, want)
				}
				ct := m.Data.Contact
				if want := []Attribute{{"country", "SA"}}; ct.CompanyName != "" || !reflect.DeepEqual(ct.AdditionalAttributes, want) {
					t.Errorf("company %q, AdditionalAttributes %q; want none, %q", ct.CompanyName, ct.AdditionalAttributes, want)
				}
				if want := []Attribute{{"tier", "silver"}}; !reflect.DeepEqual(ct.CustomAttributes, want) {
					t.Errorf("contact CustomAttributes = %q, want %q", ct.CustomAttributes, want)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { inBothForms(t, tt.body, tt.check) })
	}
}

// TestDecodeTexts pins Limits.MaxTexts: the newest non-empty contents are
// kept, oldest first and cut like any string, whether or not the messages
// themselves are kept.
func TestDecodeTexts(t *testing.T) {
	body := message(`{"conversation":{"messages":[{"content":"order SA-1"},"skip",{"content":""},{"id":3},
		{"content":"order SA-2","sender":{"name":"Layla"}},{"content":"0123456789abc"},{"content":7}]}}`)
	for _, lim := range []Limits{{MaxTexts: 3}, {MaxTexts: 3, MaxMessages: 2}} {
		lim.MaxString = 10
		msg, err := Decode(body, lim)
		if err != nil {
			t.Fatal(err)
		}
		c := msg.Data.Conversation
		if want := []string{"order SA-2", "0123456789…", "7"}; !reflect.DeepEqual(c.Texts, want) {
			t.Errorf("MaxMessages %d: Texts = %q, want %q", lim.MaxMessages, c.Texts, want)
		}
		if c.MessageCount != 7 || len(c.Messages) != lim.MaxMessages {
			t.Errorf("MaxMessages %d: kept %d of %d messages", lim.MaxMessages, len(c.Messages), c.MessageCount)
		}
	}
	small, err := Decode(body, Limits{MaxTexts: 10})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"order SA-1", "order SA-2", "0123456789abc", "7"}; !reflect.DeepEqual(small.Data.Conversation.Texts, want) {
		t.Errorf("Texts = %q, want %q", small.Data.Conversation.Texts, want)
	}
	// The newest messages say nothing: the texts come from older ones; a
	// repeated content counts once, with its last value.
	quiet := message(`{"conversation":{"messages":[{"content":"a"},{"content":"b","content":"b2"},{"content":"c"},
		{"content":null},{"content":""},{"id":6}]}}`)
	for _, lim := range []Limits{{MaxTexts: 2}, {MaxTexts: 2, MaxMessages: 1}} {
		if got := mustDecodeWith(t, quiet, lim).Data.Conversation.Texts; !reflect.DeepEqual(got, []string{"b2", "c"}) {
			t.Errorf("MaxMessages %d: Texts = %q, want [b2 c]", lim.MaxMessages, got)
		}
	}
	if none := mustDecode(t, body); none.Data.Conversation.Texts != nil {
		t.Errorf("DefaultLimits keep texts: %q", none.Data.Conversation.Texts)
	}
}

// TestDecodeCustomerReference pins what the panel's match reads: the
// contact's custom attributes as text, the conversation's, and the texts.
func TestDecodeCustomerReference(t *testing.T) {
	msg, err := Decode(readFixture(t, "layla_string.json"), Limits{MaxTexts: 20})
	if err != nil {
		t.Fatal(err)
	}
	c := msg.Data.Conversation
	if len(c.Texts) == 0 || !strings.Contains(c.Texts[0], "SA-10482") || c.Messages != nil {
		t.Errorf("Texts[0] = %q, Messages %d; want the first message's order number and no messages", c.Texts, len(c.Messages))
	}
	if !reflect.DeepEqual(c.CustomAttributes[0], Attribute{"order_number", "SA-10482"}) {
		t.Errorf("conversation CustomAttributes = %q", c.CustomAttributes)
	}
	ref := message(`{"contact":{"custom_attributes":{"shop_customer_ref":"C-00042","visits":3}}}`)
	if got := mustDecode(t, ref).Data.Contact.CustomAttributes; !reflect.DeepEqual(got, []Attribute{{"shop_customer_ref", "C-00042"}, {"visits", "3"}}) {
		t.Errorf("contact CustomAttributes = %q", got)
	}
}

// A string without escapes is read in place; the scratch buffer that
// unescapes the next string must not be that place. It once was, and the
// unescaped text overwrote the input, so Raw (and the explorer, the schema
// report) showed a mangled message.
func TestDecodeLeavesItsInputAlone(t *testing.T) {
	body := []byte(`{"event":"appContext","data":{"conversation":{"id":1,"messages":[` +
		`{"id":2,"content":"plain text first, long enough to hold the next one"},` +
		`{"id":3,"content":"Omar \"The \u003cBest\u003e\" \u0026 Sons"}]},` +
		`"contact":{"name":"Layla","email":"x\u0040example.com"}}}`)
	for _, form := range []struct {
		name string
		body []byte
	}{{"object", body}, {"string", mustQuote(t, body)}} {
		input := bytes.Clone(form.body)
		msg, err := Decode(input, DefaultLimits)
		if err != nil {
			t.Fatalf("%s: %v", form.name, err)
		}
		if !bytes.Equal(input, form.body) {
			t.Errorf("%s: Decode changed its input:\n got %s\nwant %s", form.name, input, form.body)
		}
		if !json.Valid(msg.Raw) || !bytes.Contains(msg.Raw, []byte(`plain text first, long enough to hold the next one`)) {
			t.Errorf("%s: Raw is not the message: %s", form.name, msg.Raw)
		}
		if contact, _ := msg.Data.Customer(); contact.Email != "x@example.com" || contact.Name != "Layla" {
			t.Errorf("%s: contact = %+v", form.name, contact)
		}
	}
}

func mustQuote(t *testing.T, b []byte) []byte {
	t.Helper()
	q, err := json.Marshal(string(b))
	if err != nil {
		t.Fatal(err)
	}
	return q
}
