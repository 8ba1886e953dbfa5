// Package htmx names the htmx headers dashapp reads, in the manner of
// pagoda's htmx package, so that no handler spells a bare "HX-Request".
// Add a constant here when a handler starts to read or set another one
// (https://htmx.org/reference/#request_headers).
package htmx

import "github.com/gofiber/fiber/v2"

// HeaderRequest is "true" on every request htmx makes; the bridge sends it
// on its POST /context as well.
const HeaderRequest = "HX-Request"

// IsRequest reports whether htmx (or the bridge) made the request: such
// requests get fragments, not whole pages.
func IsRequest(c *fiber.Ctx) bool {
	return c.Get(HeaderRequest) != ""
}
