// Package appcontext is the Bevatel dashboard-app protocol: it decodes the
// "appContext" message the dashboard posts to the framed app, resolves the
// contact it describes to a shop.Identity, and reports how a message differs
// from the documented payload. It knows nothing of HTTP, SQL or HTML.
package appcontext

import (
	"strings"
	"time"

	"dashapp/db/shop"
)

// EventAppContext is the only event the dashboard posts to an app.
const EventAppContext = "appContext"

// DefaultPrefix is the dashboard's brand in its fetch-info key.
const DefaultPrefix = "bevatel"

// FetchInfoMessage is what the app posts to the dashboard to ask for the
// context again: "bevatel-dashboard-app:fetch-info" for DefaultPrefix.
func FetchInfoMessage(prefix string) string {
	return prefix + "-dashboard-app:fetch-info"
}

// ValidPrefix reports whether s can be a dashboard prefix: 1 to 32
// lowercase letters, digits and dashes. It guards configuration, since the
// prefix ends up in a message key and in the bridge's script config.
func ValidPrefix(s string) bool {
	if len(s) < 1 || len(s) > 32 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// Limits bound what Decode accepts and keeps, so that one hostile or huge
// message cannot exhaust the server. A zero MaxDepth or MaxString takes its
// default; MaxMessages is taken as given, so that a caller that shows no
// chat messages (the panel) need not decode them.
type Limits struct {
	MaxDepth int // nesting of objects and arrays; deeper messages are rejected
	// MaxMessages are the chat messages kept (the newest); 0 keeps none, and
	// skips them as cheaply as unknown keys, still validating their JSON.
	// Conversation.MessageCount counts all of them either way.
	MaxMessages int
	// MaxTexts are the newest message contents kept in Conversation.Texts,
	// whatever MaxMessages is, so that a caller can scan recent text (for
	// order numbers) without keeping whole messages; 0 keeps none.
	MaxTexts  int
	MaxString int // runes kept per string field; longer strings end with "…"
}

// DefaultLimits fit the real host: its messages nest about 8 levels deep.
var DefaultLimits = Limits{MaxDepth: 32, MaxMessages: 500, MaxString: 8192}

func (l Limits) withDefaults() Limits {
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultLimits.MaxDepth
	}
	l.MaxMessages = max(l.MaxMessages, 0)
	l.MaxTexts = max(l.MaxTexts, 0)
	if l.MaxString <= 0 {
		l.MaxString = DefaultLimits.MaxString
	}
	return l
}

// Message is one decoded host message.
type Message struct {
	Event string // always EventAppContext when Decode succeeds
	Data  Context
	// Raw is the JSON object text of the whole message, after unwrapping
	// the string form, exactly as received (for the payload explorer).
	Raw []byte
	// WasString reports that the host posted a JSON string, as the web
	// dashboard does; mobile clients post the object itself. Decode sets
	// it for a quoted body; the bridge sends the string's content instead,
	// and says so in a header (explorer.HeaderPostedString).
	WasString bool
}

// Context is the "data" of an appContext message.
type Context struct {
	Conversation Conversation
	Contact      Contact
	CurrentAgent *Agent // nil when absent (older hosts), null or empty
	// CustomAttributes are the account's attribute definitions, which newer
	// hosts send alongside the documented payload.
	CustomAttributes []AttributeDefinition
	Theme            string // "light", "dark" or "" when absent or unknown
}

// Contact is a Bevatel contact: the payload's "contact", or the
// conversation's "meta.sender".
type Contact struct {
	ID                 int64
	Name               string
	Email              string
	PhoneNumber        string
	Identifier         string
	Thumbnail          string
	AvailabilityStatus string
	CompanyName        string // additional_attributes.company_name
	Description        string // additional_attributes.description
	// SocialProfiles are the non-empty additional_attributes.social_profiles,
	// sorted by network. A URL may be a handle; it is kept as sent.
	SocialProfiles []Link
	// CustomAttributes are sorted by key; values that are not strings are
	// rendered as compact JSON, null values are left out.
	CustomAttributes []Attribute
	// AdditionalAttributes are the other additional_attributes, such as
	// city and country, rendered like CustomAttributes.
	AdditionalAttributes []Attribute
	LastActivityAt       time.Time
}

// Link is one social profile.
type Link struct {
	Network string
	URL     string
}

// Attribute is one key and its value as display text.
type Attribute struct {
	Key   string
	Value string
}

// AttributeDefinition describes one custom attribute of the account.
type AttributeDefinition struct {
	Key         string // attribute_key
	DisplayName string // attribute_display_name
	Type        string // attribute_display_type: "text", "list", "number", "date", ...
	Model       string // ModelContact or ModelConversation
}

// Attribute models, as the host names them.
const (
	ModelConversation = "conversation_attribute"
	ModelContact      = "contact_attribute"
)

// Conversation is the payload's "conversation".
type Conversation struct {
	ID           int64
	AccountID    int64
	InboxID      int64
	Status       string // "open", "resolved", "pending", "snoozed"
	Labels       []string
	Channel      string  // meta.channel, e.g. "Channel::Whatsapp"
	Sender       Contact // meta.sender
	Assignee     *Agent  // meta.assignee; nil when unassigned
	HMACVerified bool    // meta.hmac_verified
	// Messages are at most Limits.MaxMessages, the newest ones, in the
	// order the host sent them (oldest first).
	Messages []ChatMessage
	// Texts are the newest Limits.MaxTexts non-empty message contents,
	// oldest first, each cut to Limits.MaxString runes.
	Texts            []string
	MessageCount     int // how many messages the host sent
	CustomAttributes []Attribute
	UnreadCount      int
	CreatedAt        time.Time
	Timestamp        time.Time // last activity
}

// Message types, as the host numbers them.
const (
	MessageIncoming = 0 // from the contact
	MessageOutgoing = 1 // from an agent or bot
	MessageActivity = 2 // "assigned to …", "resolved by …"
	MessageTemplate = 3
)

// ChatMessage is one message of the conversation.
type ChatMessage struct {
	ID          int64
	Content     string
	MessageType int // MessageIncoming, MessageOutgoing, ...
	Private     bool
	CreatedAt   time.Time
	SenderName  string
	SenderType  string // "contact", "user", "agent_bot"; as the host sent it
}

// Agent is a dashboard user.
type Agent struct {
	ID    int64
	Name  string
	Email string
}

// Customer returns the contact the message is about: Contact when it
// identifies anyone, otherwise the conversation's sender, since some hosts
// send "contact" as {} or leave it out. fromSender reports the fallback.
// When neither identifies anyone, the empty Contact is returned.
func (c Context) Customer() (contact Contact, fromSender bool) {
	if c.Contact.identifies() || !c.Conversation.Sender.identifies() {
		return c.Contact, false
	}
	return c.Conversation.Sender, true
}

func (c Contact) identifies() bool {
	return c.ID > 0 || strings.TrimSpace(c.Name) != "" || strings.TrimSpace(c.Email) != "" ||
		strings.TrimSpace(c.PhoneNumber) != "" || strings.TrimSpace(c.Identifier) != ""
}

// CustomerRefAttribute is the contact's custom attribute that links it to a
// shop customer for good: it holds the customer's ref, and shop.Resolve
// tries it before any other key. Like email and phone, a website visitor
// can write it too (Chatwoot's widget API accepts a contact's
// custom_attributes), so the panel trusts it only when it carries dashapp's
// signature for this contact (session.LinkedRef).
const CustomerRefAttribute = "shop_customer_ref"

// Identity is what the shop can match the customer by, normalised.
func (c Context) Identity() shop.Identity {
	contact, _ := c.Customer()
	id := shop.Identity{
		ContactID:  max(contact.ID, 0),
		Identifier: contact.Identifier,
		Email:      contact.Email,
		Phone:      contact.PhoneNumber,
	}
	for _, a := range contact.CustomAttributes {
		if a.Key == CustomerRefAttribute {
			id.CustomerRef = a.Value
		}
	}
	return id.Normalize()
}
