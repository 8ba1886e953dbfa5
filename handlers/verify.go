package handlers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"dashapp/handlers/appcontext"
	"dashapp/handlers/bevatel"
	"dashapp/handlers/web"
	"dashapp/views"
)

// ContextVerifier asks the host whether a conversation really belongs to a
// contact, because the appContext message is unsigned: anyone who can open
// the app page can post any contact. It is optional (Deps.Verifier):
// without one, the panel trusts the context. bevatel.Verifier implements it.
type ContextVerifier interface {
	// Verify returns nil when conversationID of accountID is contactID's,
	// an error wrapping bevatel.ErrNotVerified when the host says it is not
	// (or knows no such conversation), and any other error when the host
	// could not be asked.
	Verify(ctx context.Context, accountID, conversationID, contactID int64) error
}

// checkContext confirms a context before any customer data is read; it
// returns the warning to show above the panel, if any.
type checkContext func(c *fiber.Ctx, data appcontext.Context) (templ.Component, error)

// verifyContext makes the check of verifier. A denied context is a 403
// without customer data. An unreachable host is a 503 too, unless the
// deployment chose to fail open: then the data shows under a visible
// "unverified" warning, which the returned component carries. A nil
// verifier lets every context through.
func verifyContext(verifier ContextVerifier, failOpen bool, log *slog.Logger) checkContext {
	if verifier == nil {
		return func(*fiber.Ctx, appcontext.Context) (templ.Component, error) { return templ.NopComponent, nil }
	}
	return func(c *fiber.Ctx, data appcontext.Context) (templ.Component, error) {
		contact, _ := data.Customer()
		conv := data.Conversation
		err := errNoIDs
		if conv.AccountID > 0 && conv.ID > 0 && contact.ID > 0 {
			err = verifier.Verify(c.UserContext(), conv.AccountID, conv.ID, contact.ID)
		}
		switch {
		case err == nil:
			return templ.NopComponent, nil
		case errors.Is(err, bevatel.ErrNotVerified):
			log.WarnContext(c.UserContext(), "context not verified", slog.String("request_id", web.RequestID(c)),
				slog.Int64("account_id", conv.AccountID), slog.Int64("conversation_id", conv.ID), slog.Int64("contact_id", contact.ID))
			// Ids as strings: Tf would group their digits like amounts.
			return nil, web.Problem(fiber.StatusForbidden, "problem.not_verified", strconv.FormatInt(conv.ID, 10), strconv.FormatInt(contact.ID, 10))
		}
		log.ErrorContext(c.UserContext(), "verify context", slog.String("request_id", web.RequestID(c)), slog.Any("err", err))
		if !failOpen {
			return nil, web.Problem(fiber.StatusServiceUnavailable, "problem.verify_unavailable").Retryable()
		}
		return views.ProblemFragment(web.Problem(0, "problem.unverified").View(web.Lang(c))), nil
	}
}

var errNoIDs = fmt.Errorf("the context lacks the account, conversation or contact id: %w", bevatel.ErrNotVerified)
