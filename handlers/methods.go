package handlers

import (
	"slices"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
)

// noRoute ends the chain: a path served under other methods is a 405 that
// names them in Allow (RFC 9110), any other path a 404. Fiber's own 405
// sets no Allow and never runs past a catch-all.
func noRoute(app *fiber.App) fiber.Handler {
	var once sync.Once
	var routes []fiber.Route
	return func(c *fiber.Ctx) error {
		once.Do(func() { routes = app.GetRoutes(true) }) // every route exists by the first request
		var allow []string
		for _, r := range routes {
			if r.Method != c.Method() && routeMatches(r.Path, c.Path()) && !slices.Contains(allow, r.Method) {
				allow = append(allow, r.Method)
			}
		}
		if len(allow) == 0 {
			return fiber.ErrNotFound
		}
		slices.Sort(allow)
		c.Set(fiber.HeaderAllow, strings.Join(allow, ", "))
		return fiber.ErrMethodNotAllowed
	}
}

// routeMatches compares a request path with a route's pattern, where
// ":name" is one segment and a trailing "*" the rest of the path: the only
// forms NewServer uses.
func routeMatches(pattern, path string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(path, prefix)
	}
	want, got := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(want) != len(got) {
		return false
	}
	for i, w := range want {
		if strings.HasPrefix(w, ":") {
			if got[i] == "" {
				return false
			}
		} else if w != got[i] {
			return false
		}
	}
	return true
}
