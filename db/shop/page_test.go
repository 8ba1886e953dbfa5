package shop

import (
	"encoding/base64"
	"errors"
	"testing"
	"time"
)

func TestCursorRoundTrip(t *testing.T) {
	for _, c := range []Cursor{
		{At: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC), ID: 1},
		{At: time.Unix(0, 0).UTC(), ID: 1 << 62},
		{At: time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC), ID: 7}, // before the epoch: a negative time
	} {
		got, err := ParseCursor(c.String())
		if err != nil || !got.At.Equal(c.At) || got.ID != c.ID {
			t.Errorf("ParseCursor(%v.String()) = %v, %v", c, got, err)
		}
	}
}

// The cursor keeps whole seconds, as the stores do.
func TestCursorDropsSubseconds(t *testing.T) {
	at := time.Date(2026, 11, 1, 9, 0, 0, 999_000_000, time.UTC)
	got, err := ParseCursor(Cursor{At: at, ID: 3}.String())
	if err != nil || !got.At.Equal(at.Truncate(time.Second)) {
		t.Errorf("got %v, %v", got, err)
	}
}

func TestParseCursorRejects(t *testing.T) {
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for _, cursor := range []string{"", "!!!", "not base64?", b64("1793000000"), b64("abc:1"), b64("1793000000:x"),
		b64("1793000000:0"), b64("1793000000:-4"), b64(":"), b64("1:2:3")} {
		if _, err := ParseCursor(cursor); !errors.Is(err, ErrBadCursor) {
			t.Errorf("ParseCursor(%q): err = %v, want ErrBadCursor", cursor, err)
		}
	}
}

func TestCursorPrecedes(t *testing.T) {
	base := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	c := Cursor{At: base, ID: 10}
	tests := []struct {
		at   time.Time
		id   int64
		want bool
	}{
		{base.Add(-time.Second), 99, true}, // older: a later page
		{base, 9, true},                    // same second, lower id
		{base, 10, false},                  // the cursor's own row
		{base, 11, false},
		{base.Add(time.Second), 1, false},           // newer: an earlier page
		{base.Add(500 * time.Millisecond), 9, true}, // the same second
	}
	for _, tt := range tests {
		if got := c.Precedes(tt.at, tt.id); got != tt.want {
			t.Errorf("Precedes(%v, %d) = %v, want %v", tt.at, tt.id, got, tt.want)
		}
	}
}

func TestPageLimit(t *testing.T) {
	for _, tt := range []struct{ limit, want int }{{0, DefaultPageSize}, {-5, DefaultPageSize}, {3, 3}, {MaxPageSize, MaxPageSize}, {MaxPageSize * 10, MaxPageSize}} {
		if got := PageLimit(tt.limit); got != tt.want {
			t.Errorf("PageLimit(%d) = %d, want %d", tt.limit, got, tt.want)
		}
	}
}
