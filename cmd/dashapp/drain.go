package main

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/gofiber/fiber/v2"

	"dashapp/handlers"
)

// DefaultDrain is how long the server keeps answering after SIGTERM: long
// enough for a load balancer polling /readyz every second or two to stop
// sending it new connections.
const DefaultDrain = "5s"

// errShuttingDown is what /readyz says during the drain.
var errShuttingDown = errors.New("shutting down")

// drain is the time between SIGTERM and the listener closing: /readyz
// answers 503 at once, every answer carries Connection: close so keep-alive
// clients reconnect elsewhere, and requests are still served.
type drain struct {
	on    atomic.Bool
	ready handlers.ReadinessChecker // the database's readiness, asked when not draining
}

func (d *drain) start() { d.on.Store(true) }

// Ready is the wrapped readiness, or "shutting down" once draining.
func (d *drain) Ready(ctx context.Context) error {
	if d.on.Load() {
		return errShuttingDown
	}
	return d.ready.Ready(ctx)
}

// Warning passes on the wrapped readiness's warning.
func (d *drain) Warning() string {
	if w, ok := d.ready.(interface{ Warning() string }); ok {
		return w.Warning()
	}
	return ""
}

// closeConnections asks clients to close their connection after each
// answer given during the drain. It looks once the handler has answered,
// so that a request begun just before SIGTERM, which may already answer
// /readyz with "shutting down", closes too.
func (d *drain) closeConnections(c *fiber.Ctx) error {
	err := c.Next()
	if d.on.Load() {
		c.Response().SetConnectionClose()
	}
	return err
}
