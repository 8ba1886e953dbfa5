package shop

import "strings"

// NormalizeEmail trims and lower-cases an address, so that
// " James.Carter@Example.com" matches "james.carter@example.com".
func NormalizeEmail(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

// NormalizePhone keeps the digits of an E.164 number, so that
// "+966 50 000 0001", "00966500000001" and "966-50-000-0001" all become
// "966500000001". It returns "" when fewer than 6 digits remain: such a
// number identifies nobody.
func NormalizePhone(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else if r >= '٠' && r <= '٩' { // Arabic-Indic digits, as typed on Arabic keyboards
			b.WriteRune('0' + (r - '٠'))
		}
	}
	digits := b.String()
	digits = strings.TrimPrefix(digits, "00") // international call prefix
	if len(digits) < 6 {
		return ""
	}
	return digits
}

// Normalize returns id with its email and phone normalised.
func (id Identity) Normalize() Identity {
	id.CustomerRef = strings.TrimSpace(id.CustomerRef)
	id.Identifier = strings.TrimSpace(id.Identifier)
	id.Email = NormalizeEmail(id.Email)
	id.Phone = NormalizePhone(id.Phone)
	return id
}
