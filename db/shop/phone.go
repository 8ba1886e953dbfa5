package shop

// E164 writes the digits NormalizePhone keeps as an E.164 number, with its
// "+": the form agents read and the host sends. "" stays "".
func E164(digits string) string {
	if digits == "" {
		return ""
	}
	return "+" + digits
}
