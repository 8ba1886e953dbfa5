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
type problemError struct {
	status int
	title  string
	detail string
	retry  bool
}

func (e *problemError) Error() string { return fmt.Sprintf("%d %s: %s", e.status, e.title, e.detail) }

func problem(status int, title, detail string) error {
	return &problemError{status: status, title: title, detail: detail}
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

// problemFor turns any error into what the agent reads, and logs the ones
// that are the server's fault.
func problemFor(c *fiber.Ctx, deps Deps, err error) views.Problem {
	p := views.Problem{Lang: langOf(c), Status: fiber.StatusInternalServerError, Title: "Something went wrong", Detail: "dashapp could not answer. The error was logged; try again."}
	var pe *problemError
	var fe *fiber.Error
	switch {
	case errors.As(err, &pe):
		p.Status, p.Title, p.Detail, p.Retry = pe.status, pe.title, pe.detail, pe.retry
	case errors.As(err, &fe):
		p.Status, p.Title, p.Detail = fe.Code, statusTitle(fe.Code), fe.Message
	}
	if p.Status >= 500 {
		deps.Logger.ErrorContext(c.UserContext(), "request failed", slog.String("request_id", requestIDOf(c)), slog.String("path", c.Path()), slog.Any("err", err))
		p.Retry = true
	}
	return p
}

func statusTitle(code int) string {
	switch code {
	case fiber.StatusNotFound:
		return "Not found"
	case fiber.StatusRequestEntityTooLarge:
		return "The request is too large"
	case fiber.StatusTooManyRequests:
		return "Too many requests"
	case fiber.StatusUnauthorized:
		return "Access key required"
	case fiber.StatusMethodNotAllowed:
		return "Method not allowed"
	}
	if code >= 500 {
		return "Something went wrong"
	}
	return "The request could not be handled"
}
