package handlers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"dashapp/db/shop"
	"dashapp/handlers/actions"
	"dashapp/handlers/appcontext"
	"dashapp/handlers/bevatel"
	"dashapp/handlers/session"
	"dashapp/handlers/web"
	"dashapp/views"
)

// ActionService is what the panel's writes need; *actions.Service
// implements it.
type ActionService interface {
	APIConfigured() bool
	RepliesAllowed() bool
	Link(ctx context.Context, sc actions.Scope, customerID int64, move bool) (actions.Result, error)
	Unlink(ctx context.Context, sc actions.Scope, customerID int64) (actions.Result, error)
	AddNote(ctx context.Context, sc actions.Scope, orderNumber, text string) (actions.Result, error)
	Reply(ctx context.Context, sc actions.Scope, orderNumber, text string) (actions.Result, error)
	SetOrderAttribute(ctx context.Context, sc actions.Scope, orderNumber string) (actions.Result, error)
	RecentNote(ctx context.Context, sc actions.Scope, orderNumber string) (shop.Action, bool, error)
}

// OrderDetailer reads one order of a customer for a note's text; the
// SQLite store implements it.
type OrderDetailer interface {
	OrderDetail(ctx context.Context, customerID, orderID int64) (shop.OrderDetail, error)
}

// maxNoteRunes bounds what the agent may post (Chatwoot takes 150,000).
const maxNoteRunes = 20000

// panelActions is what the panel and the action routes share: nil when
// the actions are off (DASHAPP_ACTIONS=off, or no service).
type panelActions struct {
	svc      ActionService
	orders   OrderDetailer // nil: no notes (the store cannot read an order)
	auth     *session.Sessions
	verifier ContextVerifier
	dev      bool
	log      *slog.Logger
	now      func() time.Time
}

// view is the panel's ActionsView for this context and match; nil hides
// every button. Without the API, development shows how to enable them.
func (a *panelActions) view(c *fiber.Ctx, data appcontext.Context, panel views.Panel, candidates []shop.Customer, customerID int64, linked bool) *views.ActionsView {
	if a == nil {
		return nil
	}
	lang := panel.Lang
	if !a.svc.APIConfigured() {
		if a.dev {
			return &views.ActionsView{Lang: lang, Hint: views.T(lang, "actions.hint")}
		}
		return nil
	}
	contact, _ := data.Customer()
	conv := data.Conversation
	if conv.AccountID <= 0 || conv.ID <= 0 || contact.ID <= 0 {
		return nil
	}
	v := &views.ActionsView{
		Lang: lang, AccountID: conv.AccountID, ConversationID: conv.ID, ContactID: contact.ID,
		TimeZone: views.TimeZone(c.UserContext()).String(), CustomerID: customerID, LinkKey: newKey(),
		Linked: linked,
	}
	if data.CurrentAgent != nil {
		v.AgentName, v.AgentID = data.CurrentAgent.Name, data.CurrentAgent.ID
	}
	if customerID > 0 {
		v.Grant = a.actionGrant(c, conv.AccountID, conv.ID, contact.ID, customerID)
	}
	for _, cand := range candidates {
		v.Candidates = append(v.Candidates, a.candidateLink(c, conv.AccountID, conv.ID, contact.ID, cand.ID))
	}
	return v
}

// actionGrant is the session's grant to act on customerID for the contact
// of the conversation; "" in development, where there are no grants.
func (a *panelActions) actionGrant(c *fiber.Ctx, accountID, conversationID, contactID, customerID int64) string {
	if a.auth == nil {
		return ""
	}
	return a.auth.ActionGrant(session.Of(c), accountID, conversationID, contactID, customerID)
}

// candidateLink is a "this is the customer" form for customerID: its
// grant and a fresh idempotency key.
func (a *panelActions) candidateLink(c *fiber.Ctx, accountID, conversationID, contactID, customerID int64) views.CandidateAction {
	return views.CandidateAction{CustomerID: customerID, Grant: a.actionGrant(c, accountID, conversationID, contactID, customerID), Key: newKey()}
}

// newKey is a confirmation's idempotency key: the same form sent twice
// (a double click, a retry) carries the same key and acts once.
func newKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// actionRequest is a write's form, checked: the grant binds the ids to
// this session, and with verified context the host confirms them again.
type actionRequest struct {
	scope      actions.Scope
	customerID int64
	lang       string
}

func (a *panelActions) request(c *fiber.Ctx) (actionRequest, error) {
	num := func(name string) int64 {
		n, err := strconv.ParseInt(c.FormValue(name), 10, 64)
		if err != nil {
			return 0
		}
		return n
	}
	r := actionRequest{lang: views.NormalizeLang(c.FormValue("lang", web.Lang(c))), customerID: num("customer")}
	r.scope = actions.Scope{
		Key: c.FormValue("key"), AgentName: strings.Clone(c.FormValue("agent_name")), AgentID: num("agent_id"),
		AccountID: num("account"), ConversationID: num("conversation"), ContactID: num("contact"),
	}
	r.scope.Key = strings.Clone(r.scope.Key)
	if loc, ok := loadZone(c.FormValue("tz")); ok {
		c.SetUserContext(views.WithTimeZone(c.UserContext(), loc))
	}
	sc := r.scope
	if sc.AccountID <= 0 || sc.ConversationID <= 0 || sc.ContactID <= 0 || r.customerID <= 0 {
		return r, web.Problem(fiber.StatusBadRequest, "problem.bad_action")
	}
	if a.auth != nil && !a.auth.ActionGranted(session.Of(c), sc.AccountID, sc.ConversationID, sc.ContactID, r.customerID, c.FormValue("grant")) {
		return r, session.ErrNotGranted
	}
	if a.verifier != nil {
		err := a.verifier.Verify(c.UserContext(), sc.AccountID, sc.ConversationID, sc.ContactID)
		switch {
		case errors.Is(err, bevatel.ErrNotVerified):
			return r, web.Problem(fiber.StatusForbidden, "problem.not_verified", strconv.FormatInt(sc.ConversationID, 10), strconv.FormatInt(sc.ContactID, 10))
		case err != nil:
			a.log.ErrorContext(c.UserContext(), "verify action context", slog.String("request_id", web.RequestID(c)), slog.Any("err", err))
			return r, web.Problem(fiber.StatusServiceUnavailable, "problem.verify_unavailable").Retryable()
		}
	}
	return r, nil
}

func (a *panelActions) link(unlink bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		r, err := a.request(c)
		if err != nil {
			return err
		}
		var res actions.Result
		if unlink {
			res, err = a.svc.Unlink(c.UserContext(), r.scope, r.customerID)
		} else {
			res, err = a.svc.Link(c.UserContext(), r.scope, r.customerID, c.FormValue("move") == "1")
		}
		if err != nil {
			out, status := a.failed(c, r, err)
			var elsewhere *shop.LinkedElsewhereError
			if errors.As(err, &elsewhere) {
				out.Move = &views.MoveConfirm{CustomerID: r.customerID, Grant: c.FormValue("grant"), Key: newKey(), OtherContactID: elsewhere.ContactID}
			}
			c.Status(status)
			return web.Render(c, views.ActionOutcomeView(out))
		}
		msg := "actions.linked"
		if unlink {
			msg = "actions.unlinked"
		}
		_ = res
		return web.Render(c, views.ActionOutcomeView(views.ActionOutcome{Lang: r.lang, OK: true, Message: views.T(r.lang, msg)}))
	}
}

// orderRequest is a write about one order: the checked form and its order.
func (a *panelActions) orderRequest(c *fiber.Ctx) (actionRequest, shop.OrderDetail, error) {
	r, err := a.request(c)
	if err != nil {
		return r, shop.OrderDetail{}, err
	}
	d, err := a.order(c, r)
	return r, d, err
}

// order reads the form's order, which must be the granted customer's.
func (a *panelActions) order(c *fiber.Ctx, r actionRequest) (shop.OrderDetail, error) {
	orderID, err := strconv.ParseInt(c.FormValue("order_id"), 10, 64)
	if err != nil || orderID <= 0 || a.orders == nil {
		return shop.OrderDetail{}, web.Problem(fiber.StatusBadRequest, "problem.bad_action")
	}
	d, err := a.orders.OrderDetail(c.UserContext(), r.customerID, orderID)
	if errors.Is(err, shop.ErrNotFound) || (err == nil && d.Order.ID != orderID) {
		return d, web.Problem(fiber.StatusNotFound, "problem.bad_action")
	}
	if err != nil {
		return d, fmt.Errorf("order %d of customer %d for a note: %w", orderID, r.customerID, err)
	}
	return d, nil
}

// preview shows the note's exact text, editable, and asks first when the
// order was added to this conversation within the last 10 minutes.
func (a *panelActions) preview(c *fiber.Ctx) error {
	r, d, err := a.orderRequest(c)
	if err != nil {
		return err
	}
	n := views.NoteConfirm{
		Lang: r.lang, OrderID: d.Order.ID, OrderNumber: d.Order.Number,
		Text:    noteText(r.lang, d, r.scope.AgentName, views.TimeZone(c.UserContext())),
		NoteKey: newKey(), AttributeKey: newKey(),
	}
	if a.svc.RepliesAllowed() {
		n.ReplyKey = newKey()
	}
	if recent, ok, err := a.svc.RecentNote(c.UserContext(), r.scope, d.Order.Number); err != nil {
		return fmt.Errorf("recent note: %w", err)
	} else if ok {
		n.RecentAt, n.RecentAgo = recent.At, minutesSince(a.now(), recent.At)
	}
	return web.Render(c, views.NoteConfirmView(n))
}

// post posts the confirmed text as a note (or, reply, to the customer).
func (a *panelActions) post(reply bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		r, d, err := a.orderRequest(c)
		if err != nil {
			return err
		}
		text := strings.TrimSpace(c.FormValue("text"))
		if text == "" || len([]rune(text)) > maxNoteRunes {
			return web.Problem(fiber.StatusBadRequest, "problem.bad_action")
		}
		number := d.Order.Number
		if !reply && c.FormValue("again") != "1" {
			// Another confirmation of the same order within 10 minutes asks
			// first; the same confirmation again (its key) is a replay.
			if recent, ok, err := a.svc.RecentNote(c.UserContext(), r.scope, number); err != nil {
				return fmt.Errorf("recent note: %w", err)
			} else if ok && recent.Key != r.scope.Key {
				n := views.NoteConfirm{Lang: r.lang, OrderID: d.Order.ID, OrderNumber: number, Text: text,
					NoteKey: newKey(), AttributeKey: newKey(), RecentAt: recent.At, RecentAgo: minutesSince(a.now(), recent.At)}
				c.Status(fiber.StatusConflict)
				return web.Render(c, views.NoteConfirmView(n))
			}
		}
		var res actions.Result
		if reply {
			res, err = a.svc.Reply(c.UserContext(), r.scope, number, text)
		} else {
			res, err = a.svc.AddNote(c.UserContext(), r.scope, number, text)
		}
		if err != nil {
			out, status := a.failed(c, r, err)
			c.Status(status)
			return web.Render(c, views.ActionOutcomeView(out))
		}
		msg := "actions.noteDone"
		if reply {
			msg = "actions.replyDone"
		}
		id := strconv.FormatInt(res.Action.MessageID, 10)
		return web.Render(c, views.ActionOutcomeView(views.ActionOutcome{Lang: r.lang, OK: true, MessageID: res.Action.MessageID, Message: views.Tf(r.lang, msg, id)}))
	}
}

func (a *panelActions) attribute(c *fiber.Ctx) error {
	r, d, err := a.orderRequest(c)
	if err != nil {
		return err
	}
	if _, err := a.svc.SetOrderAttribute(c.UserContext(), r.scope, d.Order.Number); err != nil {
		out, status := a.failed(c, r, err)
		c.Status(status)
		return web.Render(c, views.ActionOutcomeView(out))
	}
	return web.Render(c, views.ActionOutcomeView(views.ActionOutcome{Lang: r.lang, OK: true, Message: views.Tf(r.lang, "actions.attributeDone", d.Order.Number)}))
}

// failed is the outcome shown for a failed action, and its status: the
// reason in the agent's language, by outcome code; the log gets ids only
// (the service logged the recorded action).
func (a *panelActions) failed(c *fiber.Ctx, r actionRequest, err error) (views.ActionOutcome, int) {
	out := views.ActionOutcome{Lang: r.lang}
	code, status := "other", fiber.StatusInternalServerError
	var actionErr *actions.ActionError
	switch {
	case errors.Is(err, actions.ErrInvalid), errors.Is(err, shop.ErrKeyReused):
		code, status = "other", fiber.StatusBadRequest
	case errors.Is(err, shop.ErrActionInProgress):
		code, status = "timeout", fiber.StatusConflict
	case errors.As(err, &actionErr):
		code = actionErr.Action.Outcome
		switch {
		case errors.Is(err, shop.ErrLinkedElsewhere):
			status = fiber.StatusConflict
		case errors.Is(err, shop.ErrNotFound):
			status = fiber.StatusNotFound
		case bevatel.KindOf(err) == bevatel.KindTimeout:
			status = fiber.StatusGatewayTimeout
		case bevatel.KindOf(err) != "":
			status = fiber.StatusBadGateway
		}
	default:
		a.log.ErrorContext(c.UserContext(), "action", slog.String("request_id", web.RequestID(c)), slog.Any("err", err))
	}
	reason, ok := lookupAction(r.lang, "actions.err."+code)
	if !ok {
		reason = views.T(r.lang, "actions.err.other")
	}
	out.Message = views.Tf(r.lang, "actions.failed", reason)
	if actionErr != nil && bevatel.KindOf(err) != "" && (actionErr.Action.Kind == shop.ActionLink || actionErr.Action.Kind == shop.ActionUnlink) {
		// The local link changed; only Bevatel's copy did not.
		out.Message = views.Tf(r.lang, "actions.localOnly", reason)
	}
	return out, status
}

func lookupAction(lang, key string) (string, bool) {
	s := views.T(lang, key)
	return s, s != key
}

// noteText is the note about an order, in the agent's language, with the
// amounts formatted as in the panel.
func noteText(lang string, d shop.OrderDetail, agent string, loc *time.Location) string {
	var b strings.Builder
	line := func(key string, args ...any) { b.WriteString(views.Tf(lang, key, args...)); b.WriteByte('\n') }
	o := d.Order
	line("note.head", o.Number)
	line("note.status", views.StatusText(lang, o.Status))
	if !o.PlacedAt.IsZero() {
		line("note.placed", views.DateTimeText(lang, o.PlacedAt, loc))
	}
	if len(d.Items) > 0 {
		line("note.items")
		for _, it := range d.Items {
			fmt.Fprintf(&b, "- %d × %s", it.Quantity, it.Name)
			if it.SKU != "" {
				fmt.Fprintf(&b, " (%s)", it.SKU)
			}
			if it.LineTotal.Currency != "" {
				fmt.Fprintf(&b, " — %s", views.MoneyText(lang, it.LineTotal))
			}
			b.WriteByte('\n')
		}
	}
	line("note.total", views.MoneyText(lang, o.Total))
	for _, s := range d.Shipments {
		desc := strings.TrimSpace(s.Carrier + " " + views.StatusText(lang, s.Status))
		line("note.shipment", desc)
		if u := views.WebURL(s.TrackingURL); u != "" {
			line("note.tracking", u)
		} else if s.TrackingNumber != "" {
			line("note.tracking", s.TrackingNumber)
		}
	}
	if agent = strings.TrimSpace(agent); agent != "" {
		line("note.by", agent)
	}
	return strings.TrimRight(b.String(), "\n")
}

func minutesSince(now, t time.Time) int { return max(0, int(now.Sub(t).Minutes())) }

// noteButton puts "Add as private note" in an order's detail, where the
// agent sees what the note will be about; nil when notes cannot be posted.
// The button sends the panel's action context and customer grant
// (views.ActionContext), which the detail sits inside.
func (a *panelActions) noteButton() OrderActions {
	if a == nil || a.orders == nil || !a.svc.APIConfigured() {
		return nil
	}
	return func(_ *fiber.Ctx, _ int64, d views.OrderDetail) templ.Component {
		return views.NoteButton(d.Lang, d.ID, d.Number)
	}
}

// linkFor is a search result's "this is the customer" for the contact the
// search was granted for; nil when there is nothing to link through.
func (a *panelActions) linkFor(c *fiber.Ctx, accountID, conversationID, contactID, customerID int64) *views.CandidateAction {
	if a == nil || !a.svc.APIConfigured() || accountID <= 0 || conversationID <= 0 || contactID <= 0 {
		return nil
	}
	link := a.candidateLink(c, accountID, conversationID, contactID, customerID)
	return &link
}
