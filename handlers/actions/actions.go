// Package actions is what an agent does from the panel through dashapp:
// link a contact to a shop customer (and unlink it), add an order to the
// conversation as a private note, reply to the customer, and note the
// order on the conversation. Each action runs at most once per
// idempotency key and leaves a row in the audit trail. The panel's
// handlers call a Service; it knows nothing of HTTP or HTML.
package actions

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"dashapp/db/shop"
	"dashapp/handlers/bevatel"
)

// CustomerRefAttribute is the Bevatel contact's custom attribute that
// names its shop customer, so that every dashapp database and replica
// matches the contact by it.
const CustomerRefAttribute = "shop_customer_ref"

// OrderNumberAttribute is the conversation's custom attribute naming the
// order the agent is dealing with, for Chatwoot's automations and reports.
const OrderNumberAttribute = "order_number"

// RecentWindow is how far back "this order was added N minutes ago: add
// again?" looks.
const RecentWindow = 10 * time.Minute

// MaxKeyLength bounds an idempotency key (the actions table checks it too).
const MaxKeyLength = 128

// Outcome codes of failures that are not the API's (those are
// bevatel.ErrorKind values).
const (
	OutcomeLinkedElsewhere = "linked_elsewhere"
	OutcomeCustomerUnknown = "customer_not_found"
	OutcomeInternal        = "internal_error"
)

// Store is what the service needs of the database.
type Store interface {
	BeginAction(ctx context.Context, req shop.ActionRequest) (shop.Action, bool, error)
	FinishAction(ctx context.Context, id int64, result shop.ActionResult, at time.Time) (shop.Action, error)
	Action(ctx context.Context, key string) (shop.Action, error)
	RecentAction(ctx context.Context, accountID, conversationID int64, kind shop.ActionKind, target string, since time.Time) (shop.Action, bool, error)
	CustomerRef(ctx context.Context, customerID int64) (string, error)
	LinkCustomer(ctx context.Context, customerID, contactID int64, move bool) (shop.Link, error)
	UnlinkCustomer(ctx context.Context, customerID, contactID int64) (shop.Link, error)
}

// API is what the service needs of Bevatel; *bevatel.Client implements it.
// Its errors are *bevatel.Error.
type API interface {
	Contact(ctx context.Context, accountID, contactID int64) (bevatel.Contact, error)
	MergeContactAttributes(ctx context.Context, accountID, contactID int64, attrs map[string]any) (bevatel.Contact, error)
	RemoveContactAttributes(ctx context.Context, accountID, contactID int64, keys ...string) (bevatel.Contact, error)
	CreateMessage(ctx context.Context, accountID, conversationID int64, content string, private bool) (bevatel.Message, error)
	MergeConversationAttributes(ctx context.Context, accountID, conversationID int64, attrs map[string]any) (map[string]any, error)
}

// Options configure a Service.
type Options struct {
	// API is nil when DASHAPP_BEVATEL_URL and DASHAPP_BEVATEL_TOKEN are
	// not set: links are then only local, and notes, replies and the
	// order attribute are ErrNotConfigured.
	API API
	// AllowReplies enables Reply (DASHAPP_ALLOW_REPLIES=on).
	AllowReplies bool
	// Signer signs the shop_customer_ref written to a contact, so that
	// only a value dashapp wrote counts (*session.Sessions; nil, as in
	// development, writes the plain ref).
	Signer Signer
	Logger *slog.Logger
	Now    func() time.Time
	// Wait is how long a duplicate request waits for the first one with
	// its key to finish before answering shop.ErrActionInProgress. Zero
	// is DefaultWait.
	Wait time.Duration
}

// Signer binds a customer ref to a contact: LinkValue is what is written
// into shop_customer_ref, LinkedRef reads it back ("" when not signed for
// this contact).
type Signer interface {
	LinkValue(contactID int64, ref string) string
	LinkedRef(contactID int64, value string) string
}

type plainSigner struct{}

func (plainSigner) LinkValue(_ int64, ref string) string { return ref }
func (plainSigner) LinkedRef(_ int64, value string) string {
	ref, _, _ := strings.Cut(value, "~")
	return ref
}

// DefaultWait is longer than a call to Bevatel may take
// (bevatel.DefaultTimeout), so that a double click normally gets the
// first click's result.
const DefaultWait = bevatel.DefaultTimeout + time.Second

// pollEvery is how often a waiting duplicate looks at the first's row.
const pollEvery = 50 * time.Millisecond

// Service runs the actions. It is safe for concurrent use.
type Service struct {
	store        Store
	api          API
	allowReplies bool
	logger       *slog.Logger
	now          func() time.Time
	wait         time.Duration
	signer       Signer
}

// New makes a Service.
func New(store Store, opts Options) *Service {
	s := &Service{store: store, api: opts.API, allowReplies: opts.AllowReplies, logger: opts.Logger, now: opts.Now, wait: opts.Wait}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.wait <= 0 {
		s.wait = DefaultWait
	}
	s.signer = opts.Signer
	if s.signer == nil {
		s.signer = plainSigner{}
	}
	return s
}

// APIConfigured reports whether Bevatel's API can be called: without it
// the panel hides notes, replies and the order attribute.
func (s *Service) APIConfigured() bool { return s.api != nil }

// RepliesAllowed reports whether Reply may be offered.
func (s *Service) RepliesAllowed() bool { return s.api != nil && s.allowReplies }

// Scope is who acts where, from the (verified) context, and the
// confirmation's idempotency key.
type Scope struct {
	Key            string
	AgentName      string // as the host's payload claims it: not verified
	AgentID        int64
	AccountID      int64
	ConversationID int64
	ContactID      int64
}

// Result is an action as the audit trail holds it. Replayed is true when
// the key was seen before: Action is then the first request's, and
// nothing was done again.
type Result struct {
	Action   shop.Action
	Replayed bool
}

// Errors the service returns before anything is recorded.
var (
	ErrInvalid         = errors.New("invalid action request")
	ErrNotConfigured   = errors.New("the Bevatel API is not configured (DASHAPP_BEVATEL_URL and DASHAPP_BEVATEL_TOKEN)")
	ErrRepliesDisabled = errors.New("replies to the customer are disabled (DASHAPP_ALLOW_REPLIES)")
)

// ActionError is a recorded action that failed: its row says how, and
// its text (Action.Detail) is safe to show the agent. It unwraps to the
// cause (a *bevatel.Error, shop.ErrLinkedElsewhere, …); a replayed
// failure unwraps to the sentinel of its kind.
type ActionError struct {
	Action shop.Action
	err    error
}

func (e *ActionError) Error() string { return e.Action.Detail }
func (e *ActionError) Unwrap() error { return e.err }

// Link records that the scope's contact is customer customerID, locally
// and, when the API is configured, as the contact's shop_customer_ref in
// Bevatel (merged with its other attributes; identifier is never
// written). A customer linked to another contact fails with an error
// wrapping shop.ErrLinkedElsewhere unless move is true; moving also
// removes shop_customer_ref from the previous contact when it names this
// customer.
func (s *Service) Link(ctx context.Context, sc Scope, customerID int64, move bool) (Result, error) {
	return s.linkAction(ctx, sc, shop.ActionLink, customerID, map[string]any{"move": move}, func(ctx context.Context, ref string) (int64, error) {
		link, err := s.store.LinkCustomer(ctx, customerID, sc.ContactID, move)
		if err != nil {
			return 0, err
		}
		if s.api == nil {
			return 0, nil
		}
		if prev := link.PreviousContactID; prev != 0 && prev != sc.ContactID {
			if err := s.removeRef(ctx, sc.AccountID, prev, ref); err != nil && !errors.Is(err, bevatel.ErrNotFound) {
				return 0, remoteError{err}
			}
		}
		if _, err := s.api.MergeContactAttributes(ctx, sc.AccountID, sc.ContactID, map[string]any{CustomerRefAttribute: s.signer.LinkValue(sc.ContactID, ref)}); err != nil {
			return 0, remoteError{err}
		}
		return 0, nil
	})
}

// Unlink undoes Link: locally (when the customer is linked to the scope's
// contact) and, when the API is configured, by removing the contact's
// shop_customer_ref when it names this customer.
func (s *Service) Unlink(ctx context.Context, sc Scope, customerID int64) (Result, error) {
	return s.linkAction(ctx, sc, shop.ActionUnlink, customerID, nil, func(ctx context.Context, ref string) (int64, error) {
		if _, err := s.store.UnlinkCustomer(ctx, customerID, sc.ContactID); err != nil {
			return 0, err
		}
		if s.api == nil {
			return 0, nil
		}
		if err := s.removeRef(ctx, sc.AccountID, sc.ContactID, ref); err != nil {
			return 0, remoteError{err}
		}
		return 0, nil
	})
}

// removeRef removes the contact's shop_customer_ref when it is ref: an
// attribute naming another customer is another link, left alone.
func (s *Service) removeRef(ctx context.Context, accountID, contactID int64, ref string) error {
	c, err := s.api.Contact(ctx, accountID, contactID)
	if err != nil {
		return err
	}
	if v, ok := c.CustomAttributes[CustomerRefAttribute].(string); !ok || s.signer.LinkedRef(contactID, v) != ref {
		return nil
	}
	_, err = s.api.RemoveContactAttributes(ctx, accountID, contactID, CustomerRefAttribute)
	return err
}

func (s *Service) linkAction(ctx context.Context, sc Scope, kind shop.ActionKind, customerID int64, extra map[string]any, act func(context.Context, string) (int64, error)) (Result, error) {
	if err := sc.validate(); err != nil {
		return Result{}, err
	}
	if customerID <= 0 {
		return Result{}, fmt.Errorf("%w: customer id %d", ErrInvalid, customerID)
	}
	ref, err := s.store.CustomerRef(ctx, customerID)
	if err != nil {
		return Result{}, err
	}
	fields := map[string]any{"customer_id": customerID}
	for k, v := range extra {
		fields[k] = v
	}
	return s.run(ctx, sc, kind, ref, fields, func(ctx context.Context) (int64, error) { return act(ctx, ref) })
}

// AddNote posts text, the order's note as the agent confirmed it, to the
// conversation as a private note. orderNumber is the audit's target and
// what RecentNote looks for.
func (s *Service) AddNote(ctx context.Context, sc Scope, orderNumber, text string) (Result, error) {
	return s.message(ctx, sc, shop.ActionNote, orderNumber, text, true)
}

// Reply sends text to the customer (a message they receive), only when
// replies are allowed.
func (s *Service) Reply(ctx context.Context, sc Scope, orderNumber, text string) (Result, error) {
	if s.api != nil && !s.allowReplies {
		return Result{}, ErrRepliesDisabled
	}
	return s.message(ctx, sc, shop.ActionReply, orderNumber, text, false)
}

func (s *Service) message(ctx context.Context, sc Scope, kind shop.ActionKind, orderNumber, text string, private bool) (Result, error) {
	if err := sc.validate(); err != nil {
		return Result{}, err
	}
	if strings.TrimSpace(orderNumber) == "" || strings.TrimSpace(text) == "" {
		return Result{}, fmt.Errorf("%w: the order number and the text are required", ErrInvalid)
	}
	if s.api == nil {
		return Result{}, ErrNotConfigured
	}
	fields := map[string]any{"text": text}
	return s.run(ctx, sc, kind, orderNumber, fields, func(ctx context.Context) (int64, error) {
		m, err := s.api.CreateMessage(ctx, sc.AccountID, sc.ConversationID, text, private)
		if err != nil {
			return 0, remoteError{err}
		}
		return m.ID, nil
	})
}

// SetOrderAttribute sets the conversation's order_number custom attribute,
// keeping its other attributes.
func (s *Service) SetOrderAttribute(ctx context.Context, sc Scope, orderNumber string) (Result, error) {
	if err := sc.validate(); err != nil {
		return Result{}, err
	}
	if strings.TrimSpace(orderNumber) == "" {
		return Result{}, fmt.Errorf("%w: the order number is required", ErrInvalid)
	}
	if s.api == nil {
		return Result{}, ErrNotConfigured
	}
	return s.run(ctx, sc, shop.ActionSetOrderAttribute, orderNumber, nil, func(ctx context.Context) (int64, error) {
		if _, err := s.api.MergeConversationAttributes(ctx, sc.AccountID, sc.ConversationID, map[string]any{OrderNumberAttribute: orderNumber}); err != nil {
			return 0, remoteError{err}
		}
		return 0, nil
	})
}

// RecentNote is the newest note about orderNumber in the scope's
// conversation within RecentWindow that may have been posted, so that the
// panel can ask before adding it again; ok is false when there is none.
func (s *Service) RecentNote(ctx context.Context, sc Scope, orderNumber string) (shop.Action, bool, error) {
	return s.store.RecentAction(ctx, sc.AccountID, sc.ConversationID, shop.ActionNote, orderNumber, s.now().Add(-RecentWindow))
}

// remoteError marks a failure of the Bevatel API inside an action.
type remoteError struct{ err error }

func (e remoteError) Error() string { return e.err.Error() }
func (e remoteError) Unwrap() error { return e.err }

// run begins the action under the scope's key, acts once, and finishes
// the audit row. A key seen before returns the first request's result.
// The action runs without the request's cancellation, so that an agent
// closing the panel (or htmx dropping the first of two clicks) cannot cut
// a call to Bevatel in half and leave it unknown whether it was done.
func (s *Service) run(ctx context.Context, sc Scope, kind shop.ActionKind, target string, fields map[string]any, act func(context.Context) (int64, error)) (Result, error) {
	req := shop.ActionRequest{
		Key: sc.Key, Fingerprint: fingerprint(kind, sc, target, fields), Kind: kind,
		AgentName: sc.AgentName, AgentID: sc.AgentID, AccountID: sc.AccountID,
		ConversationID: sc.ConversationID, ContactID: sc.ContactID, Target: target,
	}
	a, begun, err := s.begin(ctx, req)
	if err != nil {
		return Result{}, err
	}
	if !begun {
		s.log(ctx, a, true)
		return replay(a)
	}
	ctx = context.WithoutCancel(ctx)
	messageID, actErr := act(ctx)
	result := s.result(ctx, a, messageID, actErr)
	done, err := s.store.FinishAction(ctx, a.ID, result, s.now())
	if err != nil {
		s.logger.ErrorContext(ctx, "finish action", slog.Int64("action_id", a.ID), slog.Any("err", err))
		return Result{}, err
	}
	s.log(ctx, done, false)
	if actErr != nil {
		return Result{Action: done}, &ActionError{Action: done, err: actErr}
	}
	return Result{Action: done}, nil
}

// begin begins the action. A duplicate of a request in progress waits up
// to s.wait for it to finish, reading its row (on the read pool, not the
// single writer), then takes its result.
func (s *Service) begin(ctx context.Context, req shop.ActionRequest) (shop.Action, bool, error) {
	req.At = s.now()
	a, begun, err := s.store.BeginAction(ctx, req)
	if !errors.Is(err, shop.ErrActionInProgress) {
		return a, begun, err
	}
	deadline := time.Now().Add(s.wait)
	for time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return shop.Action{}, false, err
		case <-time.After(pollEvery):
		}
		first, ferr := s.store.Action(ctx, req.Key)
		if ferr != nil {
			return shop.Action{}, false, ferr
		}
		if !first.Pending() {
			break
		}
	}
	req.At = s.now()
	return s.store.BeginAction(ctx, req)
}

// result is how the action ended, for its audit row. The detail is what
// the agent is shown: the API's errors are written for that; anything
// else is logged and shown as an internal error.
func (s *Service) result(ctx context.Context, a shop.Action, messageID int64, err error) shop.ActionResult {
	if err == nil {
		return shop.ActionResult{Outcome: shop.OutcomeOK, MaybeApplied: true, MessageID: messageID}
	}
	var remote remoteError
	var elsewhere *shop.LinkedElsewhereError
	switch {
	case errors.As(err, &remote):
		kind := bevatel.KindOf(err)
		if kind == "" {
			kind = bevatel.KindBadResponse
		}
		detail := err.Error()
		if a.Kind == shop.ActionLink || a.Kind == shop.ActionUnlink {
			detail = fmt.Sprintf("Done in dashapp, not in Bevatel: %s", detail)
		}
		return shop.ActionResult{Outcome: string(kind), MaybeApplied: kind.Uncertain(), Detail: detail}
	case errors.As(err, &elsewhere):
		return shop.ActionResult{Outcome: OutcomeLinkedElsewhere, Detail: fmt.Sprintf("This customer is linked to contact %d: confirm to move the link", elsewhere.ContactID)}
	case errors.Is(err, shop.ErrNotFound):
		return shop.ActionResult{Outcome: OutcomeCustomerUnknown, Detail: "The shop has no such customer"}
	}
	s.logger.ErrorContext(ctx, "action failed", slog.Int64("action_id", a.ID), slog.String("action", string(a.Kind)), slog.Any("err", err))
	return shop.ActionResult{Outcome: OutcomeInternal, Detail: "dashapp could not do it: see the server log"}
}

// replay returns a finished action's result again.
func replay(a shop.Action) (Result, error) {
	r := Result{Action: a, Replayed: true}
	if a.Outcome == shop.OutcomeOK {
		return r, nil
	}
	return r, &ActionError{Action: a, err: outcomeError(a.Outcome)}
}

// outcomeError is the sentinel of a recorded outcome, so that a replayed
// failure answers errors.Is as the first one did.
func outcomeError(outcome string) error {
	switch outcome {
	case OutcomeLinkedElsewhere:
		return shop.ErrLinkedElsewhere
	case OutcomeCustomerUnknown:
		return shop.ErrNotFound
	case OutcomeInternal, shop.OutcomeAbandoned:
		return errors.New(outcome)
	}
	return &bevatel.Error{Kind: bevatel.ErrorKind(outcome)}
}

// log records the action without customer text: ids, kind and outcome,
// never the note, the target or the agent's claimed name.
func (s *Service) log(ctx context.Context, a shop.Action, replayed bool) {
	level := slog.LevelInfo
	if a.Outcome != shop.OutcomeOK {
		level = slog.LevelWarn
	}
	s.logger.Log(ctx, level, "action", slog.Int64("action_id", a.ID), slog.String("action", string(a.Kind)),
		slog.Int64("account_id", a.AccountID), slog.Int64("conversation_id", a.ConversationID),
		slog.Int64("contact_id", a.ContactID), slog.Int64("agent_id", a.AgentID),
		slog.String("outcome", a.Outcome), slog.Int64("message_id", a.MessageID), slog.Bool("replayed", replayed))
}

func (sc Scope) validate() error {
	switch {
	case sc.Key == "" || len(sc.Key) > MaxKeyLength:
		return fmt.Errorf("%w: the idempotency key must have 1 to %d characters", ErrInvalid, MaxKeyLength)
	case sc.AccountID <= 0 || sc.ConversationID <= 0 || sc.ContactID <= 0:
		return fmt.Errorf("%w: the account, conversation and contact ids are required", ErrInvalid)
	case sc.AgentID < 0:
		return fmt.Errorf("%w: agent id %d", ErrInvalid, sc.AgentID)
	}
	return nil
}

// fingerprint identifies a request's content, so that an idempotency key
// sent again with other content is refused rather than answered with the
// first's result. The agent's name is not part of it: the same
// confirmation is the same request whoever the payload claims.
func fingerprint(kind shop.ActionKind, sc Scope, target string, fields map[string]any) string {
	// encoding/json sorts map keys, so equal requests encode equally.
	b, _ := json.Marshal(map[string]any{
		"kind": kind, "account": sc.AccountID, "conversation": sc.ConversationID, "contact": sc.ContactID,
		"target": target, "fields": fields,
	})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
