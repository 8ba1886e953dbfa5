package handlers

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"

	"dashapp/handlers/web"
)

// requestID tags every request (Fiber's requestid: X-Request-Id), so one log
// line can be found from the id the error page shows.
func requestID() fiber.Handler {
	return requestid.New(requestid.Config{ContextKey: web.LocalRequestID})
}

// accessLog writes one line per request. It logs the path, never the query
// string (it may carry the access key) or the body (customer data).
func accessLog(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		if err != nil {
			if herr := c.App().ErrorHandler(c, err); herr != nil {
				_ = c.SendStatus(fiber.StatusInternalServerError)
			}
		}
		log.LogAttrs(c.UserContext(), slog.LevelInfo, "request",
			slog.String("request_id", web.RequestID(c)),
			slog.String("method", c.Method()),
			slog.String("path", c.Path()),
			slog.Int("status", c.Response().StatusCode()),
			slog.Duration("took", time.Since(start)),
		)
		return nil
	}
}

// recoverPanics is Fiber's recover: a panic becomes an error, so a 500 page
// through the central error handler, and a logged stack, never a dropped
// connection.
func recoverPanics(log *slog.Logger) fiber.Handler {
	return recover.New(recover.Config{
		EnableStackTrace: true,
		StackTraceHandler: func(c *fiber.Ctx, r any) {
			log.ErrorContext(c.UserContext(), "panic", slog.String("request_id", web.RequestID(c)),
				slog.String("panic", fmt.Sprint(r)), slog.String("stack", string(debug.Stack())))
		},
	})
}

// securityHeaders sets a strict CSP with a fresh nonce per request: scripts
// run only when they carry it, and only the dashboard may frame the app.
// Hand-written because Fiber's helmet takes only a fixed policy string, and
// a nonce changes with every request.
func securityHeaders(allowedOrigins []string) fiber.Handler {
	ancestors := "'none'"
	imgSources := "'self' data:"
	if len(allowedOrigins) > 0 {
		ancestors = strings.Join(allowedOrigins, " ")
		// Contact thumbnails are served by the dashboard itself; no other
		// host learns that an agent opened a conversation.
		imgSources += " " + ancestors
	}
	return func(c *fiber.Ctx) error {
		var b [16]byte
		_, _ = rand.Read(b[:])
		nonce := base64.StdEncoding.EncodeToString(b[:])
		web.SetNonce(c, nonce)
		c.Set("Content-Security-Policy", "default-src 'none'; script-src 'nonce-"+nonce+"'; style-src 'self'; img-src "+imgSources+
			"; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors "+ancestors)
		c.Set("Referrer-Policy", "no-referrer")
		c.Set("X-Content-Type-Options", "nosniff")
		return c.Next()
	}
}

// plainBody refuses compressed request bodies with 415. Fiber's c.Body()
// inflates them with no limit, and again on every call, while BodyLimit
// and limitBody only see the compressed size: a few KB of gzip would become
// gigabytes. The bridge never compresses what it posts. No Fiber middleware
// refuses an encoding, hence this one.
func plainBody() fiber.Handler {
	return func(c *fiber.Ctx) error {
		if e := c.Get(fiber.HeaderContentEncoding); e != "" && !strings.EqualFold(e, "identity") {
			return fiber.ErrUnsupportedMediaType
		}
		return c.Next()
	}
}

// limitBody answers 413 with a message that says the limit. Fiber's own
// BodyLimit is fasthttp's, which resets the connection instead (a browser
// reports a network error), so it stays above this one as a guard only.
func limitBody(limit int) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if len(c.Body()) > limit {
			return web.Problem(fiber.StatusRequestEntityTooLarge, "problem.body_too_large", (len(c.Body())+1023)>>10, limit>>10) // rounded up: never "4096 KB; at most 4096 KB"
		}
		return c.Next()
	}
}
