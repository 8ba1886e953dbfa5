package shop

import (
	"fmt"
	"testing"
)

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in, cur string
		want    int64
		wantErr bool
	}{
		{"149.50", "SAR", 14950, false},
		{"149.5", "SAR", 14950, false},
		{"149", "sar", 14900, false},
		{"12.345", "KWD", 12345, false},
		{"0.001", "BHD", 1, false},
		{"-20.00", "USD", -2000, false},
		{"1500", "JPY", 1500, false},
		{"12.345", "SAR", 0, true}, // too many decimals for SAR
		{"1.5", "JPY", 0, true},
		{"abc", "SAR", 0, true},
		{"1,000.00", "SAR", 0, true},
		{"", "SAR", 0, true},
		{"1.", "SAR", 0, true},
		{".5", "SAR", 0, true},
		{"10", "ZZZ", 0, true},
		{"99999999999999999999", "SAR", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseAmount(tt.in, tt.cur)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseAmount(%q, %q) error = %v, wantErr %v", tt.in, tt.cur, err, tt.wantErr)
			continue
		}
		if !tt.wantErr && got.Minor != tt.want {
			t.Errorf("ParseAmount(%q, %q) = %d, want %d", tt.in, tt.cur, got.Minor, tt.want)
		}
	}
}

func TestMoneyDecimal(t *testing.T) {
	tests := []struct {
		m    Money
		want string
	}{
		{Money{14950, "SAR"}, "149.50"},
		{Money{12345, "KWD"}, "12.345"},
		{Money{5, "BHD"}, "0.005"},
		{Money{-2000, "USD"}, "-20.00"},
		{Money{0, "AED"}, "0.00"},
		{Money{1500, "JPY"}, "1500"},
	}
	for _, tt := range tests {
		if got := tt.m.Decimal(); got != tt.want {
			t.Errorf("%+v.Decimal() = %q, want %q", tt.m, got, tt.want)
		}
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := map[string]string{
		"+966 50 000 0001":  "966500000001",
		"966500000001":      "966500000001",
		"00966500000001":    "966500000001",
		"(966) 50-000-0001": "966500000001",
		"+٩٦٦٥٠٠٠٠٠٠٠١":     "966500000001",
		"123":               "",
		"":                  "",
	}
	for in, want := range tests {
		if got := NormalizePhone(in); got != want {
			t.Errorf("NormalizePhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	if got := NormalizeEmail("  James.Carter@Example.com "); got != "james.carter@example.com" {
		t.Errorf("got %q", got)
	}
}

func TestE164(t *testing.T) {
	if got := E164(NormalizePhone("00966 50 000 0001")); got != "+966500000001" {
		t.Errorf("E164 = %q", got)
	}
	if got := E164(""); got != "" {
		t.Errorf("E164 of no number = %q, want none", got)
	}
}

func TestNormalizePhoneReadsLocalNumbers(t *testing.T) {
	tests := map[string]string{
		"0501112222":        "966501112222", // local, in the default region SA
		"050 111 2222":      "966501112222",
		"+966 0501112222":   "966501112222", // the trunk 0 after the country code
		"971501234567":      "971501234567", // another country's number without its '+'
		"+1 (415) 555-0123": "14155550123",
		"call me":           "",
	}
	for in, want := range tests {
		if got := NormalizePhone(in); got != want {
			t.Errorf("NormalizePhone(%q) = %q, want %q", in, got, want)
		}
	}
	if err := SetDefaultRegion("ae"); err != nil {
		t.Fatal(err)
	}
	defer SetDefaultRegion(DefaultRegion)
	if got := NormalizePhone("0501234567"); got != "971501234567" {
		t.Errorf("in AE, NormalizePhone(0501234567) = %q, want 971501234567", got)
	}
	if err := SetDefaultRegion("Saudi"); err == nil {
		t.Error("SetDefaultRegion(Saudi) was accepted")
	}
}

// BenchmarkNormalizePhone: "seen" is a contact read before (a cache hit),
// "new" a different number every time (a parse).
func BenchmarkNormalizePhone(b *testing.B) {
	b.Run("seen", func(b *testing.B) {
		for b.Loop() {
			NormalizePhone("+966 50 000 0001")
		}
	})
	b.Run("new", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i++
			NormalizePhone(fmt.Sprintf("050%07d", i))
		}
	})
}
