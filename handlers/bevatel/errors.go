package bevatel

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"dashapp/handlers/runes"
)

// ErrorKind says what went wrong with a call to the Bevatel API, in words
// an agent can act on. It is also the outcome code the audit trail
// records for a failed action.
type ErrorKind string

const (
	// KindUnauthorized: Bevatel refused the token (401 or 403): it is
	// wrong, revoked, a bot's token on a route bots may not call, or its
	// user is not in the account.
	KindUnauthorized ErrorKind = "unauthorized"
	// KindNotFound: no such account, conversation or contact (404).
	KindNotFound ErrorKind = "not_found"
	// KindUnprocessable: Bevatel refused the request's content (422);
	// Error.Message holds its reason.
	KindUnprocessable ErrorKind = "unprocessable"
	// KindTimeout: no answer within the client's timeout. The request may
	// still have been carried out.
	KindTimeout ErrorKind = "timeout"
	// KindUnavailable: Bevatel answered 5xx or 429. The request may have
	// been carried out.
	KindUnavailable ErrorKind = "unavailable"
	// KindNetwork: Bevatel could not be reached (DNS, refused connection,
	// TLS, a connection cut mid-answer).
	KindNetwork ErrorKind = "network"
	// KindRedirect: Bevatel answered 3xx. The client follows no redirect,
	// so that the token never travels to another host.
	KindRedirect ErrorKind = "redirect"
	// KindBadResponse: any other status, or a body that is not the JSON
	// Chatwoot's API describes.
	KindBadResponse ErrorKind = "bad_response"
)

// Uncertain reports whether a call that failed this way may still have
// been carried out by Bevatel, so that retrying it could act twice.
func (k ErrorKind) Uncertain() bool {
	return k == KindTimeout || k == KindUnavailable || k == KindNetwork
}

// Error is every error a Client method returns for a failed call. Its text
// names the operation and the ids, never the token, the request body or a
// customer's data, so it is safe to log and to show an agent.
type Error struct {
	Kind   ErrorKind
	Op     string // what was asked, e.g. "create a message in conversation 7"
	Status int    // the HTTP status, 0 when there was no answer
	// Message is Bevatel's own reason for a 422 (its JSON "error" or
	// "message"), trimmed to MaxMessageRunes; "" otherwise.
	Message string
	// Location is where a 3xx pointed.
	Location string
	Err      error // the transport's error, when there was no answer
}

// MaxMessageRunes caps how much of Bevatel's error text an Error carries.
const MaxMessageRunes = 200

func (e *Error) Error() string {
	switch e.Kind {
	case KindUnauthorized:
		return fmt.Sprintf("%s: Bevatel refused the API token (%d): check DASHAPP_BEVATEL_TOKEN, that its user belongs to the account, and that it is not a bot's token (bots may not read or change contacts)", e.Op, e.Status)
	case KindNotFound:
		return fmt.Sprintf("%s: Bevatel does not know it (404)", e.Op)
	case KindUnprocessable:
		if e.Message == "" {
			return fmt.Sprintf("%s: Bevatel refused the request (422)", e.Op)
		}
		return fmt.Sprintf("%s: Bevatel refused the request (422): %s", e.Op, e.Message)
	case KindTimeout:
		return fmt.Sprintf("%s: Bevatel did not answer in time (%v); it may still have done it", e.Op, e.Err)
	case KindUnavailable:
		return fmt.Sprintf("%s: Bevatel is unavailable (%d); it may still have done it", e.Op, e.Status)
	case KindNetwork:
		return fmt.Sprintf("%s: Bevatel could not be reached: %v", e.Op, e.Err)
	case KindRedirect:
		return fmt.Sprintf("%s: Bevatel answered %d, to %q: set DASHAPP_BEVATEL_URL to the address it redirects to", e.Op, e.Status, e.Location)
	}
	if e.Err != nil {
		return fmt.Sprintf("%s: unexpected answer from Bevatel (%d): %v", e.Op, e.Status, e.Err)
	}
	return fmt.Sprintf("%s: unexpected answer from Bevatel (%d)", e.Op, e.Status)
}

func (e *Error) Unwrap() error { return e.Err }

// Is lets callers test the kind with errors.Is(err, bevatel.ErrNotFound).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Op == "" && t.Kind == e.Kind
}

// Sentinels for errors.Is, one per kind.
var (
	ErrUnauthorized  = &Error{Kind: KindUnauthorized}
	ErrNotFound      = &Error{Kind: KindNotFound}
	ErrUnprocessable = &Error{Kind: KindUnprocessable}
	ErrTimeout       = &Error{Kind: KindTimeout}
	ErrUnavailable   = &Error{Kind: KindUnavailable}
	ErrNetwork       = &Error{Kind: KindNetwork}
	ErrRedirect      = &Error{Kind: KindRedirect}
	ErrBadResponse   = &Error{Kind: KindBadResponse}
)

// KindOf is err's kind, and "" when err is not a Client error.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return ""
}

// transportError classifies an error of http.Client.Do. The URL Go puts in
// its message is dropped: the operation already names what was asked.
func transportError(op string, err error) *Error {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	var nerr net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &nerr) && nerr.Timeout()) {
		return &Error{Kind: KindTimeout, Op: op, Err: err}
	}
	return &Error{Kind: KindNetwork, Op: op, Err: err}
}

// chatwootMessage is the reason in a Chatwoot error body:
// {"error": "..."} from render_could_not_create_error and friends,
// {"message": "...", "attributes": [...]} from render_record_invalid, and
// {"errors": ["..."]} from Devise.
type chatwootMessage struct {
	Error   string   `json:"error"`
	Message string   `json:"message"`
	Errors  []string `json:"errors"`
}

func (m chatwootMessage) text() string {
	s := m.Error
	if s == "" {
		s = m.Message
	}
	if s == "" {
		s = strings.Join(m.Errors, "; ")
	}
	return runes.Fit(strings.Join(strings.Fields(s), " "), MaxMessageRunes)
}
