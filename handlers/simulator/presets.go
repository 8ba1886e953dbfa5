package simulator

import (
	"fmt"
	"time"

	"dashapp/db/shop"
)

// The host-shaped payload the simulator posts, field for field as in the
// host's "Dashboard Apps" documentation (and handlers/appcontext/testdata/
// layla.json): struct order is the order the host sends keys in.
type hostMessage struct {
	Event string   `json:"event"`
	Data  hostData `json:"data"`
}

type hostData struct {
	Conversation     hostConversation `json:"conversation"`
	Contact          hostContact      `json:"contact"`
	CurrentAgent     hostAgent        `json:"currentAgent"`
	CustomAttributes []hostAttrDef    `json:"customAttributes"`
	Theme            string           `json:"theme"`
}

type hostConversation struct {
	Meta                 hostMeta          `json:"meta"`
	ID                   int64             `json:"id"`
	Messages             []hostChatMessage `json:"messages"`
	AccountID            int               `json:"account_id"`
	AdditionalAttributes hostConvAttrs     `json:"additional_attributes"`
	AgentLastSeenAt      int64             `json:"agent_last_seen_at"`
	AssigneeLastSeenAt   int64             `json:"assignee_last_seen_at"`
	CanReply             bool              `json:"can_reply"`
	ContactLastSeenAt    int64             `json:"contact_last_seen_at"`
	CustomAttributes     map[string]any    `json:"custom_attributes"`
	InboxID              int               `json:"inbox_id"`
	Labels               []string          `json:"labels"`
	Muted                bool              `json:"muted"`
	SnoozedUntil         *int64            `json:"snoozed_until"`
	Status               string            `json:"status"`
	Timestamp            int64             `json:"timestamp"`
	UnreadCount          int               `json:"unread_count"`
	AllMessagesLoaded    bool              `json:"allMessagesLoaded"`
	DataFetched          bool              `json:"dataFetched"`
	CreatedAt            int64             `json:"created_at"`
}

// hostConvAttrs is what the widget records about where a conversation
// started; a WhatsApp conversation has an empty browser.
type hostConvAttrs struct {
	Browser struct {
		DeviceName      string `json:"device_name"`
		BrowserName     string `json:"browser_name"`
		PlatformName    string `json:"platform_name"`
		BrowserVersion  string `json:"browser_version"`
		PlatformVersion string `json:"platform_version"`
	} `json:"browser"`
	Referer     string `json:"referer"`
	InitiatedAt struct {
		Timestamp string `json:"timestamp"`
	} `json:"initiated_at"`
}

type hostMeta struct {
	Sender       hostContact  `json:"sender"`
	Channel      string       `json:"channel"`
	Assignee     hostAssignee `json:"assignee"`
	HMACVerified bool         `json:"hmac_verified"`
}

// hostAssignee is the agent as the conversation's meta describes it: more
// than currentAgent.
type hostAssignee struct {
	ID                 int64  `json:"id"`
	AccountID          int    `json:"account_id"`
	AvailabilityStatus string `json:"availability_status"`
	AutoOffline        bool   `json:"auto_offline"`
	Confirmed          bool   `json:"confirmed"`
	Email              string `json:"email"`
	AvailableName      string `json:"available_name"`
	Name               string `json:"name"`
	Role               string `json:"role"`
	Thumbnail          string `json:"thumbnail"`
}

type hostContact struct {
	AdditionalAttributes map[string]any `json:"additional_attributes"`
	AvailabilityStatus   string         `json:"availability_status"`
	Email                string         `json:"email"`
	ID                   int64          `json:"id"`
	Name                 string         `json:"name"`
	PhoneNumber          string         `json:"phone_number"`
	Identifier           string         `json:"identifier"`
	Thumbnail            string         `json:"thumbnail"`
	CustomAttributes     map[string]any `json:"custom_attributes"`
	LastActivityAt       int64          `json:"last_activity_at"`
}

type hostChatMessage struct {
	ID             int64          `json:"id"`
	Content        string         `json:"content"`
	InboxID        int            `json:"inbox_id"`
	ConversationID int64          `json:"conversation_id"`
	MessageType    int            `json:"message_type"` // 0 incoming (customer), 1 outgoing (agent)
	ContentType    string         `json:"content_type"`
	ContentAttrs   map[string]any `json:"content_attributes"`
	CreatedAt      int64          `json:"created_at"`
	Private        bool           `json:"private"`
	SourceID       string         `json:"source_id"`
	Sender         hostSender     `json:"sender"`
}

// hostSender is a message's author: the contact ("contact") or an agent
// ("user"), in the same shape.
type hostSender struct {
	AdditionalAttributes map[string]any `json:"additional_attributes"`
	CustomAttributes     map[string]any `json:"custom_attributes"`
	Email                string         `json:"email"`
	ID                   int64          `json:"id"`
	Identifier           string         `json:"identifier"`
	Name                 string         `json:"name"`
	PhoneNumber          string         `json:"phone_number"`
	Thumbnail            string         `json:"thumbnail"`
	Type                 string         `json:"type"`
}

type hostAgent struct {
	Email string `json:"email"`
	ID    int64  `json:"id"`
	Name  string `json:"name"`
}

type hostAttrDef struct {
	ID                   int      `json:"id"`
	AttributeDisplayName string   `json:"attribute_display_name"`
	AttributeDisplayType string   `json:"attribute_display_type"`
	AttributeDescription string   `json:"attribute_description"`
	AttributeKey         string   `json:"attribute_key"`
	RegexPattern         *string  `json:"regex_pattern"`
	RegexCue             *string  `json:"regex_cue"`
	AttributeValues      []string `json:"attribute_values"`
	AttributeModel       string   `json:"attribute_model"`
	DefaultValue         *string  `json:"default_value"`
	CreatedAt            string   `json:"created_at"`
	UpdatedAt            string   `json:"updated_at"`
}

// simulatorAgent is the agent every preset is opened by.
var simulatorAgent = hostAgent{Email: "omar.haddad@example.com", ID: 7, Name: "Omar Haddad"}

var simulatorAssignee = hostAssignee{
	ID: simulatorAgent.ID, AccountID: 1, AvailabilityStatus: "online", AutoOffline: true, Confirmed: true,
	Email: simulatorAgent.Email, AvailableName: "Omar", Name: simulatorAgent.Name, Role: "agent",
}

// emptyAdditionalAttributes is a contact's or an agent's
// additional_attributes with nothing filled in.
func emptyAdditionalAttributes() map[string]any {
	return map[string]any{"description": "", "company_name": "", "social_profiles": map[string]string{"github": "", "twitter": "", "facebook": "", "linkedin": ""}}
}

// senderOf is a contact as the author of a message.
func senderOf(c hostContact) hostSender {
	return hostSender{AdditionalAttributes: c.AdditionalAttributes, CustomAttributes: c.CustomAttributes, Email: c.Email, ID: c.ID,
		Identifier: c.Identifier, Name: c.Name, PhoneNumber: c.PhoneNumber, Thumbnail: c.Thumbnail, Type: "contact"}
}

var simulatorAgentSender = hostSender{AdditionalAttributes: emptyAdditionalAttributes(), CustomAttributes: map[string]any{},
	Email: simulatorAgent.Email, ID: simulatorAgent.ID, Name: simulatorAgent.Name, Type: "user"}

// conversationCount is how many conversations a customer's preset has: 2 or 3.
func conversationCount(c shop.Customer) int { return 2 + int(c.ID%2) }

// contactOf is the Bevatel contact of a shop customer: its recorded
// contact id, or an id no customer records, so matching falls back to the
// identifier, the email or the phone, as it does for a new contact.
func contactOf(c shop.Customer) hostContact {
	id := c.ContactID
	if id == 0 {
		id = 100000 + c.ID
	}
	return hostContact{
		AdditionalAttributes: emptyAdditionalAttributes(),
		AvailabilityStatus:   "offline",
		Email:                c.Email,
		ID:                   id,
		Name:                 c.Name,
		PhoneNumber:          shop.E164(c.Phone),
		Identifier:           c.Identifier,
		Thumbnail:            "",
		CustomAttributes:     map[string]any{},
		LastActivityAt:       simulatorEpoch.Unix(),
	}
}

// simulatorEpoch anchors generated timestamps, so presets are the same on
// every run.
var simulatorEpoch = time.Date(2026, 1, 8, 9, 0, 0, 0, time.UTC)

// presetMessage builds conversation conv (0-based) of a customer: 3 to 8
// messages about one of their orders, the same every time.
func presetMessage(c shop.Customer, orders []shop.Order, conv int) hostMessage {
	contact := contactOf(c)
	convID := c.ID*10 + int64(conv) + 1
	start := simulatorEpoch.Add(time.Duration(c.ID*24+int64(conv)*6) * time.Hour).Unix()
	script := conversationScript(c, orders, conv)
	n := 3 + int((c.ID*7+int64(conv)*3)%6)
	msgs := make([]hostChatMessage, 0, n)
	for i := range n {
		line := script[i%len(script)]
		m := hostChatMessage{
			ID: convID*100 + int64(i), Content: line, InboxID: 1, ConversationID: convID,
			ContentType: "text", ContentAttrs: map[string]any{}, CreatedAt: start + int64(i)*170,
			SourceID: fmt.Sprintf("wamid.sim%d", convID*100+int64(i)), Sender: senderOf(contact),
		}
		if i%2 == 1 {
			m.MessageType, m.Sender = 1, simulatorAgentSender
		}
		msgs = append(msgs, m)
	}
	last := msgs[len(msgs)-1].CreatedAt
	var attrs hostConvAttrs
	attrs.InitiatedAt.Timestamp = time.Unix(start, 0).UTC().Format("Mon Jan 02 2006 15:04:05 GMT+0000 (Coordinated Universal Time)")
	return hostMessage{Event: "appContext", Data: hostData{
		Conversation: hostConversation{
			Meta:                 hostMeta{Sender: contact, Channel: "Channel::Whatsapp", Assignee: simulatorAssignee, HMACVerified: true},
			ID:                   convID,
			Messages:             msgs,
			AccountID:            1,
			AdditionalAttributes: attrs,
			AgentLastSeenAt:      last,
			AssigneeLastSeenAt:   last,
			CanReply:             true,
			ContactLastSeenAt:    last - 170,
			CustomAttributes:     map[string]any{"order_number": orderNumber(orders, conv)},
			InboxID:              1,
			Labels:               []string{},
			Status:               "open",
			Timestamp:            last,
			AllMessagesLoaded:    true,
			DataFetched:          true,
			CreatedAt:            start,
		},
		Contact:      contact,
		CurrentAgent: simulatorAgent,
		CustomAttributes: []hostAttrDef{{
			ID: 3, AttributeDisplayName: "Order number", AttributeDisplayType: "text", AttributeDescription: "Order the conversation is about",
			AttributeKey: "order_number", AttributeValues: []string{}, AttributeModel: "conversation_attribute",
			CreatedAt: "2025-04-11T08:00:00.000Z", UpdatedAt: "2025-04-11T08:00:00.000Z",
		}},
		Theme: "light",
	}}
}

func orderNumber(orders []shop.Order, conv int) string {
	if len(orders) == 0 {
		return ""
	}
	return orders[conv%len(orders)].Number
}

// conversationScript alternates customer and agent lines about an order.
func conversationScript(c shop.Customer, orders []shop.Order, conv int) []string {
	if len(orders) == 0 {
		return []string{
			"Hi, I'd like to place my first order but I have a question about delivery.",
			fmt.Sprintf("Welcome, %s! We deliver in 2–4 working days. What would you like to know?", c.Name),
			"Can I pay cash on delivery?",
			"Yes, cash on delivery is available in every city we deliver to.",
		}
	}
	o := orders[conv%len(orders)]
	total := o.Total.Decimal() + " " + o.Total.Currency
	switch conv % 3 {
	case 0:
		return []string{
			fmt.Sprintf("Hello, where is my order %s? It says %s.", o.Number, o.Status),
			fmt.Sprintf("Hi %s, let me check order %s for you.", c.Name, o.Number),
			"Thank you. I need it before the weekend.",
			fmt.Sprintf("Order %s (%s) is %s. I've asked the courier to prioritise it.", o.Number, total, o.Status),
			"Great, thanks for the quick answer!",
			"You're welcome. Anything else I can help with?",
		}
	case 1:
		return []string{
			fmt.Sprintf("I was charged %s for order %s. Can you confirm the payment went through?", total, o.Number),
			"Of course, one moment while I look at the payments on your account.",
			"I see two lines on my card statement.",
			"I can see the charge and no duplicate on our side; the second line is usually a pending authorisation that disappears.",
		}
	default:
		return []string{
			fmt.Sprintf("I'd like to return one item from order %s.", o.Number),
			"Sure. Could you tell me which item and why?",
			"It arrived damaged.",
			"Sorry about that! I've started a return; you'll get a refund once the courier collects it.",
			"How long does the refund take?",
			"Refunds reach your card within 5 to 10 working days.",
		}
	}
}
