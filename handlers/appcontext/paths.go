package appcontext

import (
	"cmp"
	"strconv"
	"strings"
)

// Paths name a value inside a message the way a developer would write it
// in JavaScript: data.conversation.messages[3].sender.id. Keys that are not
// plain identifiers are quoted: data.contact.custom_attributes["plan.tier"].

func joinKey(path, key string) string {
	if !plainKey(key) {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

func joinIndex(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}

func plainKey(key string) bool {
	for _, c := range key {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return key != ""
}

// comparePaths orders paths as a reader expects: runs of digits compare
// as numbers, so messages[2] comes before messages[10].
func comparePaths(a, b string) int {
	for a != "" && b != "" {
		if isDigit(a[0]) && isDigit(b[0]) {
			numA, restA := splitDigits(a)
			numB, restB := splitDigits(b)
			if c := cmp.Or(cmp.Compare(len(numA), len(numB)), strings.Compare(numA, numB)); c != 0 {
				return c
			}
			a, b = restA, restB
			continue
		}
		if a[0] != b[0] {
			return cmp.Compare(a[0], b[0])
		}
		a, b = a[1:], b[1:]
	}
	return cmp.Compare(len(a), len(b))
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// splitDigits cuts the leading digits of s, without their leading zeros.
func splitDigits(s string) (digits, rest string) {
	end := 0
	for end < len(s) && isDigit(s[end]) {
		end++
	}
	digits = strings.TrimLeft(s[:end], "0")
	return digits, s[end:]
}
