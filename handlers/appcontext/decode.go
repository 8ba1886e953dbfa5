package appcontext

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
)

// Decode reads one message as the bridge forwarded it: the JSON string the
// dashboard posted (whose content is the message object) or, from mobile
// clients, the object itself. Decoding is tolerant: any field may be null,
// missing or of the wrong type (it is then zero), and ids may be numbers,
// floats or strings. It fails, with a *DecodeError, only when the message
// is not JSON, not an object, too deeply nested, or not an appContext event.
func Decode(body []byte, lim Limits) (*Message, error) {
	lim = lim.withDefaults()
	raw, wasString, err := unwrap(body, lim)
	if err != nil {
		return nil, err
	}
	d := decoder{r: newReader(raw, lim.MaxDepth, lim.MaxString), lim: lim}
	if d.r.peekKind() != kindObject {
		got := d.r.typeName()
		d.r.skip()
		d.r.end()
		if d.r.err != nil {
			return nil, readError(d.r.err)
		}
		return nil, &DecodeError{Reason: ReasonNotObject, Detail: withArticle(got)}
	}
	msg := &Message{WasString: wasString}
	d.message(msg)
	d.r.end()
	if d.r.err != nil {
		return nil, readError(d.r.err)
	}
	if msg.Event != EventAppContext {
		return nil, &DecodeError{Reason: ReasonUnknownEvent, Detail: truncateRunes([]byte(msg.Event), maxEventDetail)}
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
func unwrap(body []byte, lim Limits) (raw []byte, wasString bool, err error) {
	r := newReader(body, lim.MaxDepth, -1)
	if r.peekKind() != kindString {
		return body, false, nil
	}
	literalStart := r.pos
	content := r.readString(true, len(body))
	literalLen := r.pos - literalStart
	r.end()
	if r.err != nil {
		return nil, true, readError(r.err)
	}
	if len(content) == literalLen-2 { // no escape: content aliases body
		content = bytes.Clone(content)
	}
	// A string that holds no JSON is a bare event name, such as the
	// "…-dashboard-app:fetch-info" key that apps post to the dashboard.
	if inner := bytes.TrimSpace(content); len(inner) > 0 && inner[0] != '{' && inner[0] != '[' && !json.Valid(inner) {
		return nil, true, &DecodeError{Reason: ReasonUnknownEvent, Detail: truncateRunes(inner, maxEventDetail)}
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
// exactly one value; unknown keys are skipped.
type decoder struct {
	r   *reader
	lim Limits
}

func (d *decoder) message(m *Message) {
	d.r.object(func(key []byte) {
		switch string(key) {
		case "event":
			m.Event = d.r.str()
		case "data":
			d.context(&m.Data)
		default:
			d.r.skip()
		}
	})
}

func (d *decoder) context(c *Context) {
	d.r.object(func(key []byte) {
		switch string(key) {
		case "conversation":
			d.conversation(&c.Conversation)
		case "contact":
			d.contact(&c.Contact)
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
}

func theme(s string) string {
	switch s = strings.ToLower(strings.TrimSpace(s)); s {
	case "light", "dark":
		return s
	}
	return ""
}

func (d *decoder) conversation(c *Conversation) {
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
			d.meta(c)
		case "messages":
			c.Messages, c.MessageCount = d.messages()
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
}

func (d *decoder) meta(c *Conversation) {
	d.r.object(func(key []byte) {
		switch string(key) {
		case "sender":
			d.contact(&c.Sender)
		case "channel":
			c.Channel = d.r.str()
		case "assignee":
			c.Assignee = d.agent()
		case "hmac_verified":
			c.HMACVerified = d.r.boolean()
		default:
			d.r.skip()
		}
	})
}

func (d *decoder) contact(c *Contact) {
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
			d.additionalAttributes(c)
		case "custom_attributes":
			c.CustomAttributes = d.attributes(nil)
		case "last_activity_at":
			c.LastActivityAt = d.r.unixTime()
		default:
			d.r.skip()
		}
	})
}

// additionalAttributes splits additional_attributes into the documented
// company, description and social profiles, and the rest.
func (d *decoder) additionalAttributes(c *Contact) {
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

// attributes reads a free-form object as display text, sorted by key.
// special, when set, may consume a member itself and report so.
func (d *decoder) attributes(special func(key []byte) bool) []Attribute {
	var attrs []Attribute
	d.r.object(func(key []byte) {
		if special != nil && special(key) {
			return
		}
		if value, ok := d.r.display(); ok {
			attrs = append(attrs, Attribute{Key: truncateRunes(key, d.lim.MaxString), Value: value})
		}
	})
	slices.SortStableFunc(attrs, func(a, b Attribute) int { return strings.Compare(a.Key, b.Key) })
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

// messages keeps the newest MaxMessages messages in a ring, so that one
// pass suffices however many the host sent. Elements that are not objects,
// and all of them when MaxMessages is 0, are counted but not kept.
func (d *decoder) messages() (kept []ChatMessage, count int) {
	limit := d.lim.MaxMessages
	stored := 0
	d.r.array(func() {
		count++
		if limit == 0 || d.r.peekKind() != kindObject {
			d.r.skip()
			return
		}
		m := d.chatMessage()
		if len(kept) < limit {
			kept = append(kept, m)
		} else {
			kept[stored%limit] = m
		}
		stored++
	})
	if stored > limit { // the ring wrapped: its oldest entry is at stored%limit
		start := stored % limit
		kept = slices.Concat(kept[start:], kept[:start])
	}
	return kept, count
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
	var senderType string
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
					m.MessageType = int(parseInt([]byte(strings.TrimSpace(text))))
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
			d.sender(&m)
		default:
			d.r.skip()
		}
	})
	if m.SenderType == "" {
		m.SenderType = senderType
	}
	return m
}

func (d *decoder) sender(m *ChatMessage) {
	var availableName string
	d.r.object(func(key []byte) {
		switch string(key) {
		case "name":
			m.SenderName = d.r.str()
		case "available_name":
			availableName = d.r.str()
		case "type":
			m.SenderType = d.r.str()
		default:
			d.r.skip()
		}
	})
	if m.SenderName == "" {
		m.SenderName = availableName
	}
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
