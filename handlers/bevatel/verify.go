// Package bevatel talks to the Bevatel (Chatwoot) API. Verified context:
// Verifier confirms that a conversation belongs to the contact the
// unsigned appContext names, and caches the answers.
package bevatel

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrNotVerified means the host denied the context: the conversation is
// another contact's, or the host knows no such conversation.
var ErrNotVerified = errors.New("the conversation does not belong to the contact")

// Verifier checks a context against the Bevatel (Chatwoot) API:
// GET /api/v1/accounts/{account}/conversations/{id}, whose meta.sender is
// the conversation's contact. Answers are cached for a minute.
type Verifier struct {
	api   *Client // its token is an agent's or bot's api_access_token; never logged
	cache *verdictCache
}

// Defaults of NewVerifier.
const (
	DefaultVerifyTimeout  = 3 * time.Second
	DefaultVerifyCacheTTL = time.Minute
	verifyCacheMax        = 10_000
)

// NewVerifier asks the Bevatel instance at baseURL (such as
// https://chat.bevatel.com) with token. A zero timeout is
// DefaultVerifyTimeout.
func NewVerifier(baseURL, token string, timeout time.Duration, now func() time.Time) *Verifier {
	if timeout <= 0 {
		timeout = DefaultVerifyTimeout
	}
	if now == nil {
		now = time.Now
	}
	return &Verifier{
		api:   NewClient(baseURL, token, timeout),
		cache: newVerdictCache(DefaultVerifyCacheTTL, verifyCacheMax, now),
	}
}

// Verify returns nil when conversationID of accountID is contactID's, an
// error wrapping ErrNotVerified when Bevatel says it is not, and any other
// error when Bevatel could not be asked (those are not cached).
func (b *Verifier) Verify(ctx context.Context, accountID, conversationID, contactID int64) error {
	key := [3]int64{accountID, conversationID, contactID}
	if err, ok := b.cache.get(key); ok {
		return err
	}
	err := b.ask(ctx, accountID, conversationID, contactID)
	if err == nil || errors.Is(err, ErrNotVerified) {
		b.cache.put(key, err)
	}
	return err
}

func (b *Verifier) ask(ctx context.Context, accountID, conversationID, contactID int64) error {
	conv, err := b.api.Conversation(ctx, accountID, conversationID)
	var refused *Error
	switch {
	case errors.Is(err, ErrNotFound):
		return fmt.Errorf("Bevatel knows no conversation %d in account %d: %w", conversationID, accountID, ErrNotVerified)
	case errors.Is(err, ErrUnauthorized) && errors.As(err, &refused):
		return fmt.Errorf("Bevatel refused DASHAPP_BEVATEL_TOKEN for account %d (%d): check the token and that its user belongs to the account", accountID, refused.Status)
	case err != nil:
		return fmt.Errorf("verify: %w", err)
	}
	if conv.Meta.Sender.ID != contactID {
		return fmt.Errorf("conversation %d is contact %d's, not %d: %w", conversationID, conv.Meta.Sender.ID, contactID, ErrNotVerified)
	}
	return nil
}
