package shop

import (
	"errors"
	"fmt"
	"time"
)

// ActionKind is what an agent did from the panel.
type ActionKind string

const (
	ActionLink              ActionKind = "link"   // this contact is this customer
	ActionUnlink            ActionKind = "unlink" // undo a link
	ActionNote              ActionKind = "note"   // a private note in the conversation
	ActionReply             ActionKind = "reply"  // a message the customer receives
	ActionSetOrderAttribute ActionKind = "set_order_attribute"
)

// ActionKinds lists every kind.
var ActionKinds = []ActionKind{ActionLink, ActionUnlink, ActionNote, ActionReply, ActionSetOrderAttribute}

// Outcomes of an action besides the error codes a failure records.
const (
	OutcomePending = "pending" // begun, not finished
	OutcomeOK      = "ok"
	// OutcomeAbandoned: still pending long after it began, so the process
	// that began it stopped; whether Bevatel did it is unknown.
	OutcomeAbandoned = "abandoned"
)

// ActionRequest is an action about to be taken.
type ActionRequest struct {
	// Key is the idempotency key the panel sends with a confirmation: the
	// same key again returns the first request's result.
	Key string
	// Fingerprint identifies the request's content (kind, ids, target,
	// text), so that a key reused for another request is refused.
	Fingerprint    string
	Kind           ActionKind
	AgentName      string // as the host's payload claims it: not verified
	AgentID        int64
	AccountID      int64
	ConversationID int64
	ContactID      int64
	Target         string // the customer ref (link, unlink) or the order number
	At             time.Time
}

// ActionResult is how an action ended.
type ActionResult struct {
	Outcome string // OutcomeOK or an error code
	// MaybeApplied is true when the action succeeded, or failed in a way
	// that leaves it unknown whether it was carried out (a timeout).
	MaybeApplied bool
	Detail       string // the error as shown to the agent; "" when ok
	MessageID    int64  // Bevatel's message id for notes and replies, 0 otherwise
}

// Action is one row of the audit trail.
type Action struct {
	ID int64
	ActionRequest
	ActionResult
	FinishedAt time.Time // zero while pending
}

// Pending reports whether the action has not finished.
func (a Action) Pending() bool { return a.Outcome == OutcomePending }

// AuditPage is a page of the audit trail, newest first.
type AuditPage struct {
	Actions []Action
	Next    string // cursor of the next (older) page; "" at the end
}

var (
	// ErrActionInProgress: an action with the same idempotency key has
	// begun and not finished.
	ErrActionInProgress = errors.New("the same action is still in progress")
	// ErrKeyReused: the idempotency key was used for another request.
	ErrKeyReused = errors.New("the idempotency key was used for another request")
	// ErrLinkedElsewhere is wrapped by *LinkedElsewhereError.
	ErrLinkedElsewhere = errors.New("the customer is linked to another contact")
)

// LinkedElsewhereError: the customer is linked to another contact, and
// moving the link was not asked for.
type LinkedElsewhereError struct {
	CustomerID int64
	ContactID  int64 // the contact the customer is linked to now
}

func (e *LinkedElsewhereError) Error() string {
	return fmt.Sprintf("customer %d is linked to contact %d", e.CustomerID, e.ContactID)
}

func (e *LinkedElsewhereError) Unwrap() error { return ErrLinkedElsewhere }

// Link is what linking or unlinking a customer did.
type Link struct {
	CustomerID  int64
	CustomerRef string
	// PreviousContactID is the contact the customer was linked to before,
	// 0 if none.
	PreviousContactID int64
	Changed           bool // false when the customer already was so
}
