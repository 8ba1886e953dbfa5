package main

import (
	"github.com/gofiber/fiber/v2"

	"dashapp/db"
)

// holdDatabase pins one database file to each request, so that a request
// running while the file is replaced reads the old file throughout, and the
// switch waits for it.
func holdDatabase(live *db.Live) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx, release := live.Hold(c.UserContext())
		defer release()
		c.SetUserContext(ctx)
		return c.Next()
	}
}
