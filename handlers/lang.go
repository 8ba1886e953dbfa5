package handlers

import (
	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/language"
)

var languages = language.NewMatcher([]language.Tag{language.English, language.Arabic})

// langOf picks the interface language: ?lang= first, then Accept-Language.
func langOf(c *fiber.Ctx) string {
	tag, _ := language.MatchStrings(languages, c.Query("lang"), c.Get(fiber.HeaderAcceptLanguage))
	if base, _ := tag.Base(); base.String() == "ar" {
		return "ar"
	}
	return "en"
}
