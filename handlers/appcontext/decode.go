package appcontext

import (
	"bytes"
	"cmp"
	"encoding/json"
	"slices"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"dashapp/handlers/runes"
)

// Decode reads one message as the bridge forwarded it: the JSON string the
// dashboard posted (whose content is the message object) or, from mobile
// clients, the object itself. Decoding is tolerant: any field may be null,
// missing or of the wrong type (it is then zero), and ids may be numbers,
// floats or strings. A key sent twice in one object counts once, with its
// last value, as in JSON.parse. It fails, with a *DecodeError, only when
// the message is not JSON, not an object, too deeply nested, or not an
// appContext event.
func Decode(body []byte, lim Limits) (*Message, error) {
	lim = lim.withDefaults()
	raw, wasString, err := unwrap(body)
	if err != nil {
		return nil, err
	}
	d := decoder{r: newCursor(raw, lim.MaxDepth, lim.MaxString), lim: lim}
	defer d.r.release()
	if d.r.peekKind() != kindObject {
		got := d.r.typeName()
		d.r.skip()
		d.r.end()
		if d.r.err != nil {
			return nil, readError(raw, d.r.err)
		}
		return nil, &DecodeError{Reason: ReasonNotObject, Detail: withArticle(got)}
	}
	msg := &Message{WasString: wasString}
	d.message(msg)
	d.r.end()
	if d.r.err != nil {
		return nil, readError(raw, d.r.err)
	}
	if msg.Event != EventAppContext {
		return nil, &DecodeError{Reason: ReasonUnknownEvent, Detail: runes.Truncate([]byte(msg.Event), maxEventDetail)}
	}
	if wasString {
		msg.Raw = raw // already a copy made by unwrap
	} else {
		msg.Raw = bytes.Clone(raw) // the caller's buffer may be reused (fasthttp does)
	}
	return msg, nil
}

// unwrap returns the message object's text: body itself, or a copy of the
// content of the JSON string body holds.
func unwrap(body []byte) (raw []byte, wasString bool, err error) {
	literal := bytes.Trim(body, " \t\r\n")
	if len(literal) == 0 || literal[0] != '"' {
		return body, false, nil
	}
	content, err := jsontext.AppendUnquote(make([]byte, 0, len(literal)), literal)
	// Invalid UTF-8 and lone surrogates are reported too, with the text
	// complete and repaired; encoding/json accepts them, and so does Decode.
	if err != nil && !json.Valid(literal) {
		return nil, true, &DecodeError{Reason: ReasonNotJSON, Detail: describe(body, err)}
	}
	// A string that holds no JSON is a bare event name, such as the
	// "…-dashboard-app:fetch-info" key that apps post to the dashboard.
	if inner := bytes.TrimSpace(content); len(inner) > 0 && inner[0] != '{' && inner[0] != '[' && !json.Valid(inner) {
		return nil, true, &DecodeError{Reason: ReasonUnknownEvent, Detail: runes.Truncate(inner, maxEventDetail)}
	}
	return content, true, nil
}

func withArticle(typeName string) string {
	switch typeName {
	case "null":
		return "null"
	case "array", "integer", "object":
		return "an " + typeName
	}
	return "a " + typeName
}

// decoder maps the payload onto the typed structs. Each method consumes
// exactly one value; unknown keys are skipped. Every case of a switch
// assigns its fields whole, so that a repeated key replaces what an
// earlier one set instead of merging into it.
type decoder struct {
	r   *cursor
	lim Limits
}

func (d *decoder) message(m *Message) {
	d.r.object(func(key []byte) {
		switch string(key) {
		case "event":
			m.Event = d.r.str()
		case "data":
			m.Data = d.context()
		default:
			d.r.skip()
		}
	})
}

func (d *decoder) context() (c Context) {
	d.r.object(func(key []byte) {
		switch string(key) {
		case "conversation":
			c.Conversation = d.conversation()
		case "contact":
			c.Contact = d.contact()
		case "currentAgent":
			c.CurrentAgent = d.agent()
		case "customAttributes":
			c.CustomAttributes = d.definitions()
		case "theme":
			c.Theme = theme(d.r.str())
		default:
			d.r.skip()
		}
	})
	return c
}

func theme(s string) string {
	switch s = strings.ToLower(strings.TrimSpace(s)); s {
	case "light", "dark":
		return s
	}
	return ""
}

func (d *decoder) conversation() (c Conversation) {
	d.r.object(func(key []byte) {
		switch string(key) {
		case "id":
			c.ID = d.r.int()
		case "account_id":
			c.AccountID = d.r.int()
		case "inbox_id":
			c.InboxID = d.r.int()
		case "status":
			c.Status = d.r.str()
		case "labels":
			c.Labels = d.stringList()
		case "meta":
			m := d.meta()
			c.Sender, c.Channel, c.Assignee, c.HMACVerified = m.sender, m.channel, m.assignee, m.hmacVerified
		case "messages":
			c.Messages, c.Texts, c.MessageCount = d.messages()
		case "custom_attributes":
			c.CustomAttributes = d.attributes(nil)
		case "unread_count":
			c.UnreadCount = int(d.r.int())
		case "created_at":
			c.CreatedAt = d.r.unixTime()
		case "timestamp":
			c.Timestamp = d.r.unixTime()
		default:
			d.r.skip()
		}
	})
	return c
}

// conversationMeta is the conversation's "meta", which one key sets whole.
type conversationMeta struct {
	sender       Contact
	channel      string
	assignee     *Agent
	hmacVerified bool
}

func (d *decoder) meta() (m conversationMeta) {
	d.r.object(func(key []byte) {
		switch string(key) {
		case "sender":
			m.sender = d.contact()
		case "channel":
			m.channel = d.r.str()
		case "assignee":
			m.assignee = d.agent()
		case "hmac_verified":
			m.hmacVerified = d.r.boolean()
		default:
			d.r.skip()
		}
	})
	return m
}

func (d *decoder) contact() (c Contact) {
	d.r.object(func(key []byte) {
		switch string(key) {
		case "id":
			c.ID = d.r.int()
		case "name":
			c.Name = d.r.str()
		case "email":
			c.Email = d.r.str()
		case "phone_number":
			c.PhoneNumber = d.r.str()
		case "identifier":
			c.Identifier = d.r.str()
		case "thumbnail":
			c.Thumbnail = d.r.str()
		case "availability_status":
			c.AvailabilityStatus = d.r.str()
		case "additional_attributes":
			d.additionalAttributes(&c)
		case "custom_attributes":
			c.CustomAttributes = d.attributes(nil)
		case "last_activity_at":
			c.LastActivityAt = d.r.unixTime()
		default:
			d.r.skip()
		}
	})
	return c
}

// additionalAttributes splits additional_attributes into the documented
// company, description and social profiles, and the rest; a repeated
// additional_attributes replaces all four.
func (d *decoder) additionalAttributes(c *Contact) {
	c.CompanyName, c.Description, c.SocialProfiles = "", "", nil
	c.AdditionalAttributes = d.attributes(func(key []byte) bool {
		switch string(key) {
		case "company_name":
			c.CompanyName = d.r.str()
		case "description":
			c.Description = d.r.str()
		case "social_profiles":
			c.SocialProfiles = d.socialProfiles()
		default:
			return false
		}
		return true
	})
}

func (d *decoder) socialProfiles() []Link {
	var links []Link
	for _, a := range d.attributes(nil) {
		if strings.TrimSpace(a.Value) != "" {
			links = append(links, Link{Network: a.Key, URL: a.Value})
		}
	}
	return links
}

// attributes reads a free-form object as display text, sorted by key;
// null values are left out, and of a repeated key the last value counts.
// special, when set, may consume a member itself and report so.
func (d *decoder) attributes(special func(key []byte) bool) []Attribute {
	type member struct {
		Attribute
		null bool
	}
	var members []member
	d.r.object(func(key []byte) {
		if special != nil && special(key) {
			return
		}
		value, ok := d.r.display()
		members = append(members, member{Attribute{Key: runes.Truncate(key, d.lim.MaxString), Value: value}, !ok})
	})
	slices.SortStableFunc(members, func(a, b member) int { return strings.Compare(a.Key, b.Key) })
	var attrs []Attribute
	for i, m := range members {
		if last := i+1 == len(members) || members[i+1].Key != m.Key; last && !m.null {
			attrs = append(attrs, m.Attribute)
		}
	}
	return attrs
}

// stringList reads an array of scalars; other elements are left out.
func (d *decoder) stringList() []string {
	var list []string
	d.r.array(func() {
		switch d.r.peekKind() {
		case kindString, kindNumber, kindBool:
			list = append(list, d.r.str())
		default:
			d.r.skip()
		}
	})
	return list
}

// agent reads a user object; nil unless it holds an id, name or email.
func (d *decoder) agent() *Agent {
	var a Agent
	var availableName string
	d.r.object(func(key []byte) {
		switch string(key) {
		case "id":
			a.ID = d.r.int()
		case "name":
			a.Name = d.r.str()
		case "available_name":
			availableName = d.r.str()
		case "email":
			a.Email = d.r.str()
		default:
			d.r.skip()
		}
	})
	if a.Name == "" {
		a.Name = availableName
	}
	if a == (Agent{}) {
		return nil
	}
	return &a
}

// messages reads the conversation's messages in one pass, however many
// the host sent: it keeps the newest MaxMessages of them and the contents
// of the newest MaxTexts. Elements that are not objects, and all of them
// when both limits are 0, are counted but not kept.
func (d *decoder) messages() (kept []ChatMessage, texts []string, count int) {
	if d.lim.MaxMessages == 0 && d.lim.MaxTexts > 0 {
		texts, count = d.newestTexts()
		return nil, texts, count
	}
	messages, contents := newest[ChatMessage]{limit: d.lim.MaxMessages}, newest[string]{limit: d.lim.MaxTexts}
	d.r.array(func() {
		count++
		if d.r.peekKind() != kindObject || messages.limit == 0 {
			d.r.skip()
			return
		}
		m := d.chatMessage()
		messages.add(m)
		if m.Content != "" {
			contents.add(m.Content)
		}
	})
	return messages.list(), contents.list(), count
}

// newestTexts is messages for a caller that keeps texts alone (the
// panel's mention scan), in one pass that decodes only the contents kept.
// The first MaxTexts messages are walked as they come, keeping the
// literal of each content as received; after them, messages are only
// skipped and noted, and the newest of those are walked at the end. A
// short conversation is read once, and a long one does not walk hundreds
// of messages for the newest MaxTexts: walking a message costs about twice
// skipping it.
func (d *decoder) newestTexts() (texts []string, count int) {
	// All alias the input, only until this returns.
	var walked [][]byte  // content literals of the first MaxTexts messages
	var skipped [][]byte // the later messages, whole
	d.r.array(func() {
		count++
		if count > d.lim.MaxTexts && d.r.peekKind() == kindObject {
			skipped = append(skipped, d.r.raw())
			return
		}
		if literal := d.contentLiteral(); textual(literal) {
			walked = append(walked, literal)
		}
	})
	if d.r.err != nil {
		return nil, count
	}
	// Newest first: the skipped messages, then the walked ones.
	var literals [][]byte
	for i := len(skipped) - 1; i >= 0 && len(literals) < d.lim.MaxTexts; i-- {
		sub := decoder{r: newCursor(skipped[i], d.lim.MaxDepth, d.lim.MaxString), lim: d.lim}
		if literal := sub.contentLiteral(); textual(literal) {
			literals = append(literals, literal)
		}
		sub.r.release()
	}
	for i := len(walked) - 1; i >= 0 && len(literals) < d.lim.MaxTexts; i-- {
		literals = append(literals, walked[i])
	}
	for i := len(literals) - 1; i >= 0; i-- {
		if text := d.r.scalarText(literals[i]); text != "" {
			texts = append(texts, text)
		}
	}
	return texts, count
}

// contentLiteral reads a message and returns its content's literal as
// received (nil when it has none, or is not an object); with the key
// repeated, the last one counts.
func (d *decoder) contentLiteral() []byte {
	var literal []byte
	d.r.object(func(key []byte) {
		if string(key) == "content" {
			literal = d.r.raw()
			return
		}
		d.r.skip()
	})
	return literal
}

// textual reports whether a content literal reads as text (cursor.str):
// a string other than "", a number or a boolean.
func textual(literal []byte) bool {
	if len(literal) == 0 {
		return false
	}
	switch literal[0] {
	case '"':
		return len(literal) > 2
	case '{', '[', 'n':
		return false
	}
	return true
}

// newest keeps the last limit items added, in a ring.
type newest[T any] struct {
	limit int
	items []T
	added int
}

func (n *newest[T]) add(item T) {
	if n.limit == 0 {
		return
	}
	if len(n.items) < n.limit {
		n.items = append(n.items, item)
	} else {
		n.items[n.added%n.limit] = item
	}
	n.added++
}

// list returns the items in the order they were added.
func (n *newest[T]) list() []T {
	if n.added > n.limit { // the ring wrapped: its oldest entry is at added%limit
		start := n.added % n.limit
		return slices.Concat(n.items[start:], n.items[:start])
	}
	return n.items
}

// Message type names some hosts send instead of numbers.
var messageTypes = map[string]int{
	"incoming": MessageIncoming,
	"outgoing": MessageOutgoing,
	"activity": MessageActivity,
	"template": MessageTemplate,
}

func (d *decoder) chatMessage() ChatMessage {
	var m ChatMessage
	var senderType, senderObjectType string
	d.r.object(func(key []byte) {
		switch string(key) {
		case "id":
			m.ID = d.r.int()
		case "content":
			m.Content = d.r.str()
		case "message_type":
			if d.r.peekKind() == kindString {
				text := d.r.str()
				if n, ok := messageTypes[strings.ToLower(text)]; ok {
					m.MessageType = n
				} else {
					m.MessageType = int(parseInt(strings.TrimSpace(text)))
				}
				return
			}
			m.MessageType = int(d.r.int())
		case "private":
			m.Private = d.r.boolean()
		case "created_at":
			m.CreatedAt = d.r.unixTime()
		case "sender_type":
			senderType = strings.ToLower(d.r.str())
		case "sender":
			m.SenderName, senderObjectType = d.sender()
		default:
			d.r.skip()
		}
	})
	m.SenderType = cmp.Or(senderObjectType, senderType)
	return m
}

// sender reads a message's sender: its name and its type.
func (d *decoder) sender() (name, typ string) {
	var availableName string
	d.r.object(func(key []byte) {
		switch string(key) {
		case "name":
			name = d.r.str()
		case "available_name":
			availableName = d.r.str()
		case "type":
			typ = d.r.str()
		default:
			d.r.skip()
		}
	})
	return cmp.Or(name, availableName), typ
}

// definitions reads the account's custom attribute definitions.
func (d *decoder) definitions() []AttributeDefinition {
	var defs []AttributeDefinition
	d.r.array(func() {
		var def AttributeDefinition
		d.r.object(func(key []byte) {
			switch string(key) {
			case "attribute_key":
				def.Key = d.r.str()
			case "attribute_display_name":
				def.DisplayName = d.r.str()
			case "attribute_display_type":
				def.Type = d.r.str()
			case "attribute_model":
				def.Model = attributeModel(d.r.str())
			default:
				d.r.skip()
			}
		})
		if def.Key != "" {
			defs = append(defs, def)
		}
	})
	return defs
}

// attributeModel names the model; the host's database enum numbers it.
func attributeModel(s string) string {
	switch s {
	case "0":
		return ModelConversation
	case "1":
		return ModelContact
	}
	return s
}
