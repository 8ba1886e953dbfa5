package handlers

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

const (
	localNonce     = "csp-nonce"
	localRequestID = "request-id"
)

func nonceOf(c *fiber.Ctx) string {
	s, _ := c.Locals(localNonce).(string)
	return s
}

func requestIDOf(c *fiber.Ctx) string {
	s, _ := c.Locals(localRequestID).(string)
	return s
}

// requestID tags every request, so one log line can be found from the id the
// error page shows.
func requestID() fiber.Handler {
	return func(c *fiber.Ctx) error {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id := hex.EncodeToString(b[:])
		c.Locals(localRequestID, id)
		c.Set("X-Request-Id", id)
		return c.Next()
	}
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
			slog.String("request_id", requestIDOf(c)),
			slog.String("method", c.Method()),
			slog.String("path", c.Path()),
			slog.Int("status", c.Response().StatusCode()),
			slog.Duration("took", time.Since(start)),
		)
		return nil
	}
}

// recoverPanics turns a panic into a 500 page and a logged stack, never a
// dropped connection.
func recoverPanics(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) (err error) {
		defer func() {
			if r := recover(); r != nil {
				log.Error("panic", slog.Any("panic", r), slog.String("stack", string(debug.Stack())))
				err = fiber.ErrInternalServerError
			}
		}()
		return c.Next()
	}
}

// securityHeaders sets a strict CSP with a fresh nonce per request: scripts
// run only when they carry it, and only the dashboard may frame the app.
func securityHeaders(cfg Config) fiber.Handler {
	ancestors := "'none'"
	imgSources := "'self' data:"
	if len(cfg.AllowedOrigins) > 0 {
		ancestors = strings.Join(cfg.AllowedOrigins, " ")
		// Contact thumbnails are served by the dashboard itself; no other
		// host learns that an agent opened a conversation.
		imgSources += " " + ancestors
	}
	return func(c *fiber.Ctx) error {
		var b [16]byte
		_, _ = rand.Read(b[:])
		nonce := base64.StdEncoding.EncodeToString(b[:])
		c.Locals(localNonce, nonce)
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
// gigabytes. The bridge never compresses what it posts.
func plainBody() fiber.Handler {
	return func(c *fiber.Ctx) error {
		if e := c.Get(fiber.HeaderContentEncoding); e != "" && !strings.EqualFold(e, "identity") {
			return fiber.ErrUnsupportedMediaType
		}
		return c.Next()
	}
}

// limitBody answers 413 with a message that says the limit.
func limitBody(limit int) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if len(c.Body()) > limit {
			return problem(fiber.StatusRequestEntityTooLarge, "problem.body_too_large", (len(c.Body())+1023)>>10, limit>>10) // rounded up: never "4096 KB; at most 4096 KB"
		}
		return c.Next()
	}
}
