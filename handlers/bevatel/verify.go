// Package bevatel talks to the Bevatel (Chatwoot) API. Verified context:
// Verifier confirms that a conversation belongs to the contact the
// unsigned appContext names, and caches the answers.
package bevatel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ErrNotVerified means the host denied the context: the conversation is
// another contact's, or the host knows no such conversation.
var ErrNotVerified = errors.New("the conversation does not belong to the contact")

// Verifier checks a context against the Bevatel (Chatwoot) API:
// GET /api/v1/accounts/{account}/conversations/{id}, whose meta.sender is
// the conversation's contact. Answers are cached for a minute.
type Verifier struct {
	baseURL string
	token   string // an agent's or bot's api_access_token; never logged
	client  *http.Client
	cache   *verdictCache
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
		baseURL: strings.TrimRight(baseURL, "/"),
		token:   token,
		client: &http.Client{
			Timeout: timeout,
			// Go forwards custom headers such as api_access_token on a
			// redirect, even to another host: follow none.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
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
	u := fmt.Sprintf("%s/api/v1/accounts/%d/conversations/%d", b.baseURL, accountID, conversationID)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("verify conversation %d: %w", conversationID, err)
	}
	req.Header.Set("api_access_token", b.token)
	req.Header.Set("Accept", "application/json")
	resp, err := b.client.Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // the URL is in the message below already
		}
		return fmt.Errorf("ask Bevatel for conversation %d of account %d: %w", conversationID, accountID, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return fmt.Errorf("Bevatel knows no conversation %d in account %d: %w", conversationID, accountID, ErrNotVerified)
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return fmt.Errorf("Bevatel refused DASHAPP_BEVATEL_TOKEN for account %d (%s): check the token and that its user belongs to the account", accountID, resp.Status)
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		return fmt.Errorf("Bevatel answered %s, to %q, for conversation %d: set DASHAPP_BEVATEL_URL to the address it redirects to", resp.Status, resp.Header.Get("Location"), conversationID)
	case resp.StatusCode != http.StatusOK:
		return fmt.Errorf("Bevatel answered %s for conversation %d", resp.Status, conversationID)
	}
	var conv struct {
		Meta struct {
			Sender struct {
				ID int64 `json:"id"`
			} `json:"sender"`
		} `json:"meta"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 4<<20)).Decode(&conv); err != nil {
		return fmt.Errorf("read Bevatel's conversation %d: %w", conversationID, err)
	}
	if conv.Meta.Sender.ID != contactID {
		return fmt.Errorf("conversation %d is contact %d's, not %d: %w", conversationID, conv.Meta.Sender.ID, contactID, ErrNotVerified)
	}
	return nil
}
