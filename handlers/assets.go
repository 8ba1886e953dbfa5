package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"dashapp/static"
	"dashapp/views"
)

// pageAssets are the fingerprinted URLs every app page loads.
func pageAssets(assets *static.Set) views.Assets {
	return views.Assets{
		CSS:    assets.URL("css/app.css"),
		HTMX:   assets.URL(static.HTMX),
		Bridge: assets.URL("js/bridge.js"),
	}
}

// serveAsset serves fingerprinted files: their URL changes with their
// content, so browsers may keep them forever.
func serveAsset(assets *static.Set) fiber.Handler {
	return func(c *fiber.Ctx) error {
		a, ok := assets.Lookup(c.Path())
		if !ok {
			return fiber.ErrNotFound
		}
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
		c.Set(fiber.HeaderETag, a.ETag)
		c.Set(fiber.HeaderContentType, a.ContentType)
		c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
		if c.Get(fiber.HeaderIfNoneMatch) == a.ETag {
			return c.SendStatus(fiber.StatusNotModified)
		}
		if a.Gzip != nil && strings.Contains(c.Get(fiber.HeaderAcceptEncoding), "gzip") {
			c.Set(fiber.HeaderContentEncoding, "gzip")
			return c.Send(a.Gzip)
		}
		return c.Send(a.Body)
	}
}
