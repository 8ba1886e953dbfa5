package views

import (
	"math"
	"testing"

	"golang.org/x/text/number"
)

// TestAppendDecimalIsSprint: numbers written through numberState read
// exactly as through the language's message.Printer, grouping, sign and
// digits included, so skipping the printer changes no output.
func TestAppendDecimalIsSprint(t *testing.T) {
	values := []any{0, 7, 999, 1000, 12345, -1000, 1234567, math.MaxInt64, uint64(math.MaxUint64), int64(math.MinInt64)}
	for _, lang := range []string{English, Arabic} {
		for _, v := range values {
			want := printers[lang].Sprint(number.Decimal(v))
			if got := string(appendDecimal([]byte("x"), lang, v)); got != "x"+want {
				t.Errorf("%s %v: got %q, want %q", lang, v, got, "x"+want)
			}
		}
	}
	// The table of small numbers is x/text's own output.
	for _, lang := range []string{English, Arabic} {
		for _, n := range []int{0, 5, 999} {
			if got, want := formatCount(lang, n), printers[lang].Sprint(number.Decimal(n)); got != want {
				t.Errorf("formatCount(%s, %d) = %q, want %q", lang, n, got, want)
			}
		}
	}
	// The formatter's grouping is really used: a thousand is grouped.
	if got := formatCount(English, 1000); got != "1,000" {
		t.Errorf("formatCount(en, 1000) = %q", got)
	}
}
