package views

import "time"

// ActionsView is what the panel's action buttons need; nil on Panel hides
// them. The ids are the (verified) context's; the grant binds them to the
// session, and each form sends them back.
type ActionsView struct {
	Lang           string
	Hint           string // development: how to enable the actions; then nothing else shows
	AccountID      int64
	ConversationID int64
	ContactID      int64
	AgentName      string // as the payload claims: not verified
	AgentID        int64
	TimeZone       string
	CustomerID     int64  // the matched customer; 0 when none
	Grant          string // for CustomerID
	Linked         bool   // CustomerID is already linked to ContactID
	LinkKey        string // idempotency key of the link (or unlink) button
	Candidates     []CandidateAction
}

// CandidateAction is the link button of one of several matched customers.
type CandidateAction struct {
	CustomerID int64
	Grant      string
	Key        string
}

// NoteConfirm is the editable confirmation of a note (or reply) about an
// order.
type NoteConfirm struct {
	Lang         string
	OrderID      int64
	OrderNumber  string
	Text         string
	NoteKey      string
	ReplyKey     string // "" when replies are off
	AttributeKey string
	RecentAt     time.Time // a note about this order was added then (within 10 minutes); zero when none
	RecentAgo    int       // minutes
}

// ActionOutcome is the answer to a write, shown in the panel's result area.
type ActionOutcome struct {
	Lang      string
	OK        bool
	Message   string // already translated; may carry the API's reason
	MessageID int64
	// Move, when set, asks before moving a link from another contact.
	Move *MoveConfirm
}

// MoveConfirm asks "this customer is linked to contact N: move it here?".
type MoveConfirm struct {
	CustomerID     int64
	Grant          string
	Key            string
	OtherContactID int64
}
