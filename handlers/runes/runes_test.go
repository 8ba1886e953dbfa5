package runes

import "testing"

func TestCut(t *testing.T) {
	for _, tt := range []struct {
		in   string
		max  int
		want string
		cut  bool
	}{
		{"hello", 5, "hello", false},
		{"hello", 4, "hell", true},
		{"hello", -1, "hello", false},
		{"hello", 0, "", true},
		{"", 0, "", false},
		{"مرحبا بك", 5, "مرحبا", true}, // two bytes a rune: cut by runes, not bytes
		{"مرحبا", 5, "مرحبا", false},
		{"a😀b", 2, "a😀", true},
		{"a\xffb", 2, "a\uFFFD", true}, // invalid UTF-8 comes back replaced
		{"a\xff", 5, "a\uFFFD", false},
	} {
		got, cut := Cut(tt.in, tt.max)
		if got != tt.want || cut != tt.cut {
			t.Errorf("Cut(%q, %d) = %q, %v; want %q, %v", tt.in, tt.max, got, cut, tt.want, tt.cut)
		}
		if got, _ := Cut([]byte(tt.in), tt.max); got != tt.want {
			t.Errorf("Cut([]byte(%q), %d) = %q; want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func TestTruncateAndFit(t *testing.T) {
	if got := Truncate("مرحبا بك", 5); got != "مرحبا…" {
		t.Errorf("Truncate = %q", got)
	}
	if got := Truncate("short", 5); got != "short" {
		t.Errorf("Truncate of a short text = %q", got)
	}
	if got := Fit("مرحبا بك", 5); got != "مرحب…" {
		t.Errorf("Fit = %q, want four runes and the mark", got)
	}
	if got := Fit("12345", 5); got != "12345" {
		t.Errorf("Fit of a text that fits = %q", got)
	}
}
