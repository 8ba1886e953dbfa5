// Package bevatel is dashapp's client of the Bevatel (Chatwoot) REST API:
// the routes, JSON and status codes of Chatwoot's own API description
// (swagger/ in chatwoot/chatwoot) and of the controllers behind them.
// It knows nothing of SQL or HTML.
package bevatel

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// TokenHeader carries the API access token (a user's or an agent bot's,
// from Profile → Access token). Chatwoot reads it in AccessTokenAuthHelper.
const TokenHeader = "api_access_token"

// DefaultTimeout bounds every call of a Client made with a zero timeout.
const DefaultTimeout = 5 * time.Second

// maxBody caps what the client reads of an answer.
const maxBody = 4 << 20

// Client calls one Bevatel instance with one token. It is safe for
// concurrent use.
type Client struct {
	baseURL string
	token   string // never logged, never in an error
	http    *http.Client
}

// NewClient asks the Bevatel instance at baseURL (such as
// https://chat.bevatel.com) with token. A zero timeout is DefaultTimeout.
func NewClient(baseURL, token string, timeout time.Duration) *Client {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	return &Client{
		baseURL: strings.TrimRight(baseURL, "/"),
		token:   token,
		http: &http.Client{
			Timeout: timeout,
			// Go forwards custom headers such as api_access_token on a
			// redirect, even to another host: follow none.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

// Timeout is how long one call may take.
func (c *Client) Timeout() time.Duration { return c.http.Timeout }

// do sends body (when not nil) as JSON with method to path (below
// /api/v1/accounts/{account}) and decodes a 200 answer into out (when not
// nil). Every failure is an *Error.
func (c *Client) do(ctx context.Context, op, method, path string, body, out any) error {
	var reader io.Reader
	if body != nil {
		buf, err := json.Marshal(body)
		if err != nil {
			return &Error{Kind: KindBadResponse, Op: op, Err: fmt.Errorf("encode the request: %w", err)}
		}
		reader = bytes.NewReader(buf)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.baseURL+path, reader)
	if err != nil {
		// The URL is the operator's DASHAPP_BEVATEL_URL and our ids:
		// only a malformed base URL gets here.
		return &Error{Kind: KindNetwork, Op: op, Err: fmt.Errorf("bad DASHAPP_BEVATEL_URL: %w", unwrapURL(err))}
	}
	req.Header.Set(TokenHeader, c.token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return transportError(op, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return transportError(op, err)
	}
	if e := statusError(op, resp, raw); e != nil {
		return e
	}
	if out == nil {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // custom attributes go back as they came: no float64 rounding of big numbers
	if err := dec.Decode(out); err != nil {
		return &Error{Kind: KindBadResponse, Op: op, Status: resp.StatusCode, Err: fmt.Errorf("read the answer: %w", err)}
	}
	return nil
}

// statusError is the *Error for a status other than 200, nil for 200.
func statusError(op string, resp *http.Response, raw []byte) *Error {
	status := resp.StatusCode
	switch {
	case status == http.StatusOK:
		return nil
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return &Error{Kind: KindUnauthorized, Op: op, Status: status}
	case status == http.StatusNotFound:
		return &Error{Kind: KindNotFound, Op: op, Status: status}
	case status == http.StatusUnprocessableEntity:
		var m chatwootMessage
		_ = json.Unmarshal(raw, &m) // a body that is not JSON leaves no reason
		return &Error{Kind: KindUnprocessable, Op: op, Status: status, Message: m.text()}
	case status == http.StatusTooManyRequests || status >= 500:
		return &Error{Kind: KindUnavailable, Op: op, Status: status}
	case status >= 300 && status < 400:
		return &Error{Kind: KindRedirect, Op: op, Status: status, Location: resp.Header.Get("Location")}
	}
	return &Error{Kind: KindBadResponse, Op: op, Status: status}
}

func unwrapURL(err error) error {
	if uerr, ok := err.(*url.Error); ok {
		return uerr.Err
	}
	return err
}

// accountPath is /api/v1/accounts/{account}, the root of every route the
// client calls.
func accountPath(accountID int64) string {
	return fmt.Sprintf("/api/v1/accounts/%d", accountID)
}
