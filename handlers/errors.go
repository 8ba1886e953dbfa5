package handlers

import (
	"errors"
	"log/slog"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"dashapp/handlers/htmx"
	"dashapp/handlers/web"
	"dashapp/views"
)

// errorHandler is Fiber's central ErrorHandler: every error from a handler
// or middleware ends here and becomes a templ page, or a fragment when htmx
// or the bridge asked.
func errorHandler(log *slog.Logger, assets views.Assets) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		p := problemFor(c, log, err)
		c.Status(p.Status)
		var component templ.Component
		if htmx.IsRequest(c) {
			component = views.ProblemFragment(p)
		} else {
			component = views.ErrorPage(assets, p)
		}
		if rerr := web.Render(c, component); rerr != nil {
			log.ErrorContext(c.UserContext(), "render error page", slog.Any("err", rerr))
			return c.Status(p.Status).SendString(p.Title)
		}
		return nil
	}
}

// problemFor turns any error into what the agent reads, in the request's
// language, and logs the ones that are the server's fault.
func problemFor(c *fiber.Ctx, log *slog.Logger, err error) views.Problem {
	var pe *web.ProblemError
	var fe *fiber.Error
	switch {
	case errors.As(err, &pe):
	case errors.As(err, &fe):
		pe = web.Problem(fe.Code, statusKey(fe.Code))
	default:
		pe = web.Problem(fiber.StatusInternalServerError, "problem.internal")
	}
	p := pe.View(web.Lang(c))
	if p.Status >= 500 {
		log.ErrorContext(c.UserContext(), "request failed", slog.String("request_id", web.RequestID(c)), slog.String("path", c.Path()), slog.Any("err", err))
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
