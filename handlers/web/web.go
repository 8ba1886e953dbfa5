// Package web is what every handler package shares: the buffered render,
// agent-facing problems (translated by the central error handler), the
// request's language, CSP nonce and request id. It imports no handler
// package, so the panel, the explorer and the simulator can all use it.
package web

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/language"

	"dashapp/views"
)

// Locals keys set by the server's middleware.
const (
	localNonce = "csp-nonce"
	localLang  = "lang" // Lang's answer, which a panel asks for several times
	// LocalRequestID is where Fiber's requestid middleware keeps the id.
	LocalRequestID = "request-id"
)

// SetNonce keeps the request's CSP nonce for the scripts the page renders.
func SetNonce(c *fiber.Ctx, nonce string) { c.Locals(localNonce, nonce) }

// Nonce is the request's CSP nonce, "" before the security headers ran.
func Nonce(c *fiber.Ctx) string {
	s, _ := c.Locals(localNonce).(string)
	return s
}

// RequestID is the id the requestid middleware gave the request: the error
// page shows it, and the log line carries it.
func RequestID(c *fiber.Ctx) string {
	s, _ := c.Locals(LocalRequestID).(string)
	return s
}

var languages = language.NewMatcher([]language.Tag{language.English, language.Arabic})

// Lang picks the interface language: ?lang= first, then Accept-Language.
func Lang(c *fiber.Ctx) string {
	if lang, ok := c.Locals(localLang).(string); ok {
		return lang
	}
	tag, _ := language.MatchStrings(languages, c.Query("lang"), c.Get(fiber.HeaderAcceptLanguage))
	lang := views.NormalizeLang(tag.String())
	c.Locals(localLang, lang)
	return lang
}

var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Render writes a templ component as the response. It renders into a buffer
// first, so a failing component becomes a clean error page through the
// central ErrorHandler instead of half a page.
func Render(c *fiber.Ctx, component templ.Component) error {
	buf := buffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer buffers.Put(buf)
	ctx := templ.WithNonce(c.UserContext(), Nonce(c))
	if err := component.Render(ctx, buf); err != nil {
		return fmt.Errorf("render %s: %w", c.Path(), err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	// SetBody copies; c.Send would keep buf, which goes back to the pool
	// before fasthttp writes the response, and another request's panel
	// would overwrite it.
	c.Response().SetBody(buf.Bytes())
	return nil
}

// ProblemError is an error with a message meant for the agent or developer.
// It carries catalog keys, not text: the central error handler translates it
// into the request's language.
type ProblemError struct {
	Status int
	key    string // the catalog's key+".title" and key+".detail"
	args   []any  // the detail's Tf arguments
	retry  bool
}

// Error is the English text, for logs.
func (e *ProblemError) Error() string {
	return fmt.Sprintf("%d %s: %s", e.Status, views.T(views.English, e.key+".title"), views.Tf(views.English, e.key+".detail", e.args...))
}

// Problem is an error the agent reads: status, and the catalog key of its
// title and detail, with the detail's arguments.
func Problem(status int, key string, args ...any) *ProblemError {
	return &ProblemError{Status: status, key: key, args: args}
}

// Retryable is a copy of e that offers a "try again".
func (e *ProblemError) Retryable() *ProblemError {
	r := *e
	r.retry = true
	return &r
}

// View translates e into lang.
func (e *ProblemError) View(lang string) views.Problem {
	return views.Problem{Lang: lang, Status: e.Status, Title: views.T(lang, e.key+".title"),
		Detail: views.Tf(lang, e.key+".detail", e.args...), Retry: e.retry}
}
