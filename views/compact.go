package views

import (
	"strings"
	"unicode"
)

// unshared is the contact without the fields the customer shows the same:
// the merged card shows each of them once.
func unshared(c ContactCard, s CustomerCard) ContactCard {
	if sameText(c.Email, s.Email) {
		c.Email = ""
	}
	if samePhone(c.Phone, s.Phone) {
		c.Phone = ""
	}
	if sameText(c.Identifier, s.Identifier) {
		c.Identifier = ""
	}
	return c
}

func sameText(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// samePhone compares the digits only: the host writes "+966 50 …" where
// the shop keeps E.164.
func samePhone(a, b string) bool {
	digits := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsDigit(r) {
				return r
			}
			return -1
		}, s)
	}
	return digits(a) == digits(b)
}
