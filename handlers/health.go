package handlers

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
)

// healthz is liveness: the process answers.
func healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

// readyz is readiness: the database answers. The error says what is wrong
// (missing, unreadable, read-only) so an operator can act on it; Fiber's
// healthcheck middleware answers a bare status, without the reason.
func readyz(ready ReadinessChecker) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if ready == nil {
			return c.JSON(fiber.Map{"status": "ok"})
		}
		ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
		defer cancel()
		if err := ready.Ready(ctx); err != nil {
			return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "error": err.Error()})
		}
		// Ready but worth knowing, such as a replacement database refused.
		if w, ok := ready.(interface{ Warning() string }); ok && w.Warning() != "" {
			return c.JSON(fiber.Map{"status": "ok", "warning": w.Warning()})
		}
		return c.JSON(fiber.Map{"status": "ok"})
	}
}
