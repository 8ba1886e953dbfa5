package views

import (
	"math"
	"testing"
	"time"

	"golang.org/x/text/number"

	"dashapp/db/shop"
)

func TestFormatMoney(t *testing.T) {
	const lrm, rlm = "\u200e", "\u200f"
	iso := func(symbol string) string { return "\u2068" + symbol + "\u2069" } // first-strong isolate
	tests := []struct {
		name   string
		m      shop.Money
		en, ar string
	}{
		{"two decimals", shop.Money{Minor: 14950, Currency: "SAR"}, "SAR 149.50", "149.50 " + iso("ر.س."+rlm)},
		{"three decimals", shop.Money{Minor: 12345, Currency: "KWD"}, "KWD 12.345", "12.345 " + iso("د.ك."+rlm)},
		{"fraction only", shop.Money{Minor: 5, Currency: "BHD"}, "BHD 0.005", "0.005 " + iso("د.ب."+rlm)},
		{"zero", shop.Money{Minor: 0, Currency: "AED"}, "AED 0.00", "0.00 " + iso("د.إ."+rlm)},
		{"grouping", shop.Money{Minor: 123456789, Currency: "SAR"}, "SAR 1,234,567.89", "1,234,567.89 " + iso("ر.س."+rlm)},
		{"negative", shop.Money{Minor: -2000, Currency: "SAR"}, "-SAR 20.00", lrm + "-20.00 " + iso("ر.س."+rlm)},
		{"three decimals, JOD", shop.Money{Minor: 1234567, Currency: "JOD"}, "JOD 1,234.567", "1,234.567 " + iso("د.أ."+rlm)},
		{"negative below one", shop.Money{Minor: -50, Currency: "OMR"}, "-OMR 0.050", lrm + "-0.050 " + iso("ر.ع."+rlm)},
		{"no decimals", shop.Money{Minor: 1234500, Currency: "JPY"}, "JPY 1,234,500", "1,234,500 " + iso("JP¥")},
		{"code with a symbol in English", shop.Money{Minor: 999, Currency: "USD"}, "USD 9.99", "9.99 " + iso("US$")},
		{"lower-case code", shop.Money{Minor: 100, Currency: "sar"}, "SAR 1.00", "1.00 " + iso("ر.س."+rlm)},
		{"unknown code keeps two decimals", shop.Money{Minor: 1234, Currency: "XQQ"}, "XQQ 12.34", "12.34 " + iso("XQQ")},
		// Beyond float64's 53-bit mantissa: any float step would lose the last digits.
		{"largest", shop.Money{Minor: math.MaxInt64, Currency: "USD"}, "USD 92,233,720,368,547,758.07", "92,233,720,368,547,758.07 " + iso("US$")},
		{"smallest", shop.Money{Minor: math.MinInt64, Currency: "KWD"}, "-KWD 9,223,372,036,854,775.808", lrm + "-9,223,372,036,854,775.808 " + iso("د.ك."+rlm)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatMoney("en", tt.m); got != tt.en {
				t.Errorf("en: formatMoney(%+v) = %q, want %q", tt.m, got, tt.en)
			}
			if got := formatMoney("ar", tt.m); got != tt.ar {
				t.Errorf("ar: formatMoney(%+v) = %q, want %q", tt.m, got, tt.ar)
			}
		})
	}
}

// Counts use the same Latin digits and grouping as money in both languages.
func TestFormatCount(t *testing.T) {
	for _, tt := range []struct {
		n      int
		en, ar string
	}{{0, "0", "0"}, {7, "7", "7"}, {12345, "12,345", "12,345"}} {
		if got := formatCount("en", tt.n); got != tt.en {
			t.Errorf("en: formatCount(%d) = %q, want %q", tt.n, got, tt.en)
		}
		if got := formatCount("ar", tt.n); got != tt.ar {
			t.Errorf("ar: formatCount(%d) = %q, want %q", tt.n, got, tt.ar)
		}
	}
}

// TestGroupDigitsMatchesXText holds counts to what x/text's CLDR formatter
// prints, in both languages, from one digit to nineteen: grouping is
// x/text's, not a hand-written copy.
func TestGroupDigitsMatchesXText(t *testing.T) {
	values := []int{0, 1, -1, 999, 1000, -1000, 99_999, 100_000, 1_234_567, -987_654_321, math.MaxInt64, math.MinInt64 + 1}
	for n := 7; n < math.MaxInt64/10; n = n*10 + 3 {
		values = append(values, n, -n)
	}
	for _, lang := range []string{English, Arabic} {
		for _, n := range values {
			if got, want := formatCount(lang, n), printers[lang].Sprint(number.Decimal(n)); got != want {
				t.Errorf("%s: formatCount(%d) = %q, x/text says %q", lang, n, got, want)
			}
		}
	}
}

func TestFormatDateTime(t *testing.T) {
	riyadh := time.FixedZone("AST", 3*60*60)
	tests := []struct {
		name           string
		t              time.Time
		loc            *time.Location
		enDT, arDT     string
		enDate, arDate string
	}{
		{"afternoon", time.Date(2026, 11, 24, 14, 5, 0, 0, time.UTC), time.UTC, "24 Nov 2026, 14:05", "24 نوفمبر 2026، 14:05", "24 Nov 2026", "24 نوفمبر 2026"},
		{"shown in UTC", time.Date(2026, 1, 1, 1, 30, 0, 0, riyadh), time.UTC, "31 Dec 2025, 22:30", "31 ديسمبر 2025، 22:30", "31 Dec 2025", "31 ديسمبر 2025"},
		{"single digits", time.Date(2027, 5, 3, 9, 7, 0, 0, time.UTC), time.UTC, "3 May 2027, 09:07", "3 مايو 2027، 09:07", "3 May 2027", "3 مايو 2027"},
		{"in the chosen zone, across a year", time.Date(2025, 12, 31, 22, 30, 0, 0, time.UTC), riyadh, "1 Jan 2026, 01:30", "1 يناير 2026، 01:30", "1 Jan 2026", "1 يناير 2026"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checks := []struct{ got, want string }{
				{formatDateTime("en", tt.t, tt.loc), tt.enDT},
				{formatDateTime("ar", tt.t, tt.loc), tt.arDT},
				{formatDate("en", tt.t, tt.loc), tt.enDate},
				{formatDate("ar", tt.t, tt.loc), tt.arDate},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("got %q, want %q", c.got, c.want)
				}
			}
		})
	}
}

func TestPaymentMethod(t *testing.T) {
	tests := []struct {
		row    PaymentRow
		en, ar string
	}{
		{PaymentRow{Method: "card", CardBrand: "visa", CardLast4: "4242"}, "Visa •••• 4242", "Visa •••• 4242"},
		{PaymentRow{Method: "mada", CardBrand: "mada", CardLast4: "1234"}, "mada •••• 1234", "مدى •••• 1234"},
		{PaymentRow{Method: "apple_pay", CardBrand: "mastercard", CardLast4: "8431"}, "Apple Pay · Mastercard •••• 8431", "Apple Pay · Mastercard •••• 8431"},
		{PaymentRow{Method: "card", CardLast4: "0005"}, "•••• 0005", "•••• 0005"},
		{PaymentRow{Method: "bank_transfer"}, "Bank transfer", "تحويل بنكي"},
		{PaymentRow{Method: "cash_in_store"}, "cash in store", "cash in store"},
		{PaymentRow{Method: "card", CardBrand: "Discover", CardLast4: "1117"}, "Discover •••• 1117", "Discover •••• 1117"},
	}
	for _, tt := range tests {
		if got := paymentMethod("en", tt.row); got != tt.en {
			t.Errorf("en: paymentMethod(%+v) = %q, want %q", tt.row, got, tt.en)
		}
		if got := paymentMethod("ar", tt.row); got != tt.ar {
			t.Errorf("ar: paymentMethod(%+v) = %q, want %q", tt.row, got, tt.ar)
		}
	}
}

func TestSignedAmount(t *testing.T) {
	tests := []struct {
		kind  string
		minor int64
		want  int64
	}{
		{shop.KindCharge, 1500, 1500},
		{shop.KindRefund, 1500, -1500},
		{shop.KindRefund, -1500, -1500}, // a store that records refunds negative
	}
	for _, tt := range tests {
		got := signedAmount(PaymentRow{Kind: tt.kind, Amount: shop.Money{Minor: tt.minor, Currency: "SAR"}})
		if got.Minor != tt.want || got.Currency != "SAR" {
			t.Errorf("signedAmount(%s %d) = %+v, want %d SAR", tt.kind, tt.minor, got, tt.want)
		}
	}
}

func TestInitials(t *testing.T) {
	tests := map[string]string{
		"james carter":       "JC",
		"  Sara  ":           "S",
		"محمد بن عبد الله":   "ما",
		"Anne-Marie O'Neil":  "AN",
		"":                   "",
		"<script>x</script>": "SS",
	}
	for in, want := range tests {
		if got := initials(in); got != want {
			t.Errorf("initials(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWebURL(t *testing.T) {
	tests := map[string]bool{
		"https://twitter.com/jc":     true,
		"http://example.com/a.png":   true,
		" https://example.com ":      true,
		"javascript:alert(1)":        false,
		"JAVASCRIPT:alert(1)":        false,
		"data:image/png;base64,AAAA": false,
		"//evil.example/x":           false,
		"/relative":                  false,
		"https://":                   false,
		"":                           false,
	}
	for in, want := range tests {
		if _, ok := webURL(in); ok != want {
			t.Errorf("webURL(%q) ok = %v, want %v", in, ok, want)
		}
	}
}
