// Package runes cuts text to a number of characters: the one owner of
// truncation for the host's payloads, the explorer and the Bevatel API's
// messages, so that each cuts between runes and never inside one.
package runes

import "unicode/utf8"

// Cut keeps at most max runes of s (all when max < 0) and reports whether
// it cut. Invalid UTF-8 comes back as U+FFFD, one per byte, so the text
// is always safe to show.
func Cut[T ~string | ~[]byte](s T, max int) (string, bool) {
	text := string(s)
	if !utf8.ValidString(text) {
		text = string([]rune(text))
	}
	if max < 0 || len(text) <= max { // fewer bytes than max: fewer runes
		return text, false
	}
	n := 0
	for i := range text {
		if n == max {
			return text[:i], true
		}
		n++
	}
	return text, false
}

// Truncate keeps at most max runes of s, marking a cut with "…" after
// them.
func Truncate[T ~string | ~[]byte](s T, max int) string {
	text, cut := Cut(s, max)
	if cut {
		return text + "…"
	}
	return text
}

// Fit keeps s within max runes in all, the "…" that marks a cut included.
func Fit(s string, max int) string {
	if _, cut := Cut(s, max); !cut {
		return s
	}
	text, _ := Cut(s, max-1)
	return text + "…"
}
