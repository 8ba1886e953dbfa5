package handlers

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"dashapp/views"
)

var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render writes a templ component as the response. It renders into a buffer
// first, so a failing component becomes a clean error page through the
// central ErrorHandler instead of half a page.
func render(c *fiber.Ctx, component templ.Component) error {
	buf := buffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer buffers.Put(buf)
	ctx := templ.WithNonce(c.UserContext(), nonceOf(c))
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

// problemError is an error with a message meant for the agent or developer.
// It carries catalog keys, not text: the central error handler translates it
// into the request's language.
type problemError struct {
	status int
	key    string // the catalog's key+".title" and key+".detail"
	args   []any  // the detail's Tf arguments
	retry  bool
}

// Error is the English text, for logs.
func (e *problemError) Error() string {
	return fmt.Sprintf("%d %s: %s", e.status, views.T(views.English, e.key+".title"), views.Tf(views.English, e.key+".detail", e.args...))
}

func problem(status int, key string, args ...any) *problemError {
	return &problemError{status: status, key: key, args: args}
}

// retryable is a copy of e that offers a "try again".
func (e *problemError) retryable() *problemError {
	r := *e
	r.retry = true
	return &r
}

// view translates e into lang.
func (e *problemError) view(lang string) views.Problem {
	return views.Problem{Lang: lang, Status: e.status, Title: views.T(lang, e.key+".title"),
		Detail: views.Tf(lang, e.key+".detail", e.args...), Retry: e.retry}
}

// errorHandler is Fiber's central ErrorHandler: every error from a handler
// or middleware ends here and becomes a templ page, or a fragment when htmx
// or the bridge asked.
func errorHandler(deps Deps) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		p := problemFor(c, deps, err)
		c.Status(p.Status)
		var component templ.Component
		if c.Get("HX-Request") != "" {
			component = views.ProblemFragment(p)
		} else {
			component = views.ErrorPage(assetsOf(deps), p)
		}
		if rerr := render(c, component); rerr != nil {
			deps.Logger.ErrorContext(c.UserContext(), "render error page", slog.Any("err", rerr))
			return c.Status(p.Status).SendString(p.Title)
		}
		return nil
	}
}

// problemFor turns any error into what the agent reads, in the request's
// language, and logs the ones that are the server's fault.
func problemFor(c *fiber.Ctx, deps Deps, err error) views.Problem {
	var pe *problemError
	var fe *fiber.Error
	switch {
	case errors.As(err, &pe):
	case errors.As(err, &fe):
		pe = problem(fe.Code, statusKey(fe.Code))
	default:
		pe = problem(fiber.StatusInternalServerError, "problem.internal")
	}
	p := pe.view(langOf(c))
	if p.Status >= 500 {
		deps.Logger.ErrorContext(c.UserContext(), "request failed", slog.String("request_id", requestIDOf(c)), slog.String("path", c.Path()), slog.Any("err", err))
		p.Retry = true
	}
	return p
}

// statusKey is the catalog key of the problem a bare HTTP status stands for.
func statusKey(code int) string {
	switch code {
	case fiber.StatusNotFound:
		return "problem.not_found"
	case fiber.StatusRequestEntityTooLarge:
		return "problem.too_large"
	case fiber.StatusTooManyRequests:
		return "problem.too_many_requests"
	case fiber.StatusUnauthorized:
		return "problem.key_required"
	case fiber.StatusMethodNotAllowed:
		return "problem.method_not_allowed"
	}
	if code >= 500 {
		return "problem.internal"
	}
	return "problem.bad_request"
}
