package handlers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"dashapp/handlers/appcontext"
	"dashapp/views"
)

// ContextVerifier asks the host whether a conversation really belongs to a
// contact, because the appContext message is unsigned: anyone who can open
// the app page can post any contact. BevatelVerifier implements it.
type ContextVerifier interface {
	// Verify returns nil when conversationID of accountID is contactID's,
	// an error wrapping ErrNotVerified when the host says it is not (or
	// knows no such conversation), and any other error when the host could
	// not be asked.
	Verify(ctx context.Context, accountID, conversationID, contactID int64) error
}

// ErrNotVerified means the host denied the context.
var ErrNotVerified = errors.New("the conversation does not belong to the contact")

// verifyContext runs before any customer data is read. A denied context is
// a 403 without customer data. An unreachable host is a 503 too, unless
// the deployment chose to fail open: then the data shows under a visible
// "unverified" warning, which the returned component carries.
func verifyContext(c *fiber.Ctx, deps Deps, data appcontext.Context) (templ.Component, error) {
	if deps.Verifier == nil {
		return templ.NopComponent, nil
	}
	contact, _ := data.Customer()
	conv := data.Conversation
	err := errNoIDs
	if conv.AccountID > 0 && conv.ID > 0 && contact.ID > 0 {
		err = deps.Verifier.Verify(c.UserContext(), conv.AccountID, conv.ID, contact.ID)
	}
	switch {
	case err == nil:
		return templ.NopComponent, nil
	case errors.Is(err, ErrNotVerified):
		deps.Logger.WarnContext(c.UserContext(), "context not verified", slog.String("request_id", requestIDOf(c)),
			slog.Int64("account_id", conv.AccountID), slog.Int64("conversation_id", conv.ID), slog.Int64("contact_id", contact.ID))
		// Ids as strings: Tf would group their digits like amounts.
		return nil, problem(fiber.StatusForbidden, "problem.not_verified", strconv.FormatInt(conv.ID, 10), strconv.FormatInt(contact.ID, 10))
	}
	deps.Logger.ErrorContext(c.UserContext(), "verify context", slog.String("request_id", requestIDOf(c)), slog.Any("err", err))
	if !deps.Config.VerifyFailOpen {
		return nil, problem(fiber.StatusServiceUnavailable, "problem.verify_unavailable").retryable()
	}
	return views.ProblemFragment(problem(0, "problem.unverified").view(langOf(c))), nil
}

var errNoIDs = fmt.Errorf("the context lacks the account, conversation or contact id: %w", ErrNotVerified)

// verdictCache remembers the host's answers (confirmed or denied, never
// "unreachable") for a short while, in bounded memory.
type verdictCache struct {
	ttl time.Duration
	max int
	now func() time.Time
	mu  sync.Mutex
	m   map[[3]int64]verdict
}

type verdict struct {
	err error
	at  time.Time
}

func newVerdictCache(ttl time.Duration, max int, now func() time.Time) *verdictCache {
	return &verdictCache{ttl: ttl, max: max, now: now, m: map[[3]int64]verdict{}}
}

func (c *verdictCache) get(key [3]int64) (error, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[key]
	if !ok || c.now().Sub(v.at) >= c.ttl {
		return nil, false
	}
	return v.err, true
}

func (c *verdictCache) put(key [3]int64, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if len(c.m) >= c.max {
		for k, v := range c.m {
			if now.Sub(v.at) >= c.ttl {
				delete(c.m, k)
			}
		}
		for k := range c.m {
			if len(c.m) < c.max {
				break
			}
			delete(c.m, k)
		}
	}
	c.m[key] = verdict{err: err, at: now}
}
