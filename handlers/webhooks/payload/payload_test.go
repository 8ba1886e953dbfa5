package payload

import (
	"encoding/json"
	"testing"

	"dashapp/db/shop"
)

func TestDecimalMoney(t *testing.T) {
	tests := []struct {
		json, currency string
		minor          int64
		ok             bool
	}{
		{`196`, "SAR", 19600, true},
		{`175.47`, "SAR", 17547, true},
		{`"150.00"`, "SAR", 15000, true},
		{`"899.10000000000000"`, "SAR", 89910, true}, // Zid's 14 decimals, zeros past the currency's
		{`"12.345"`, "KWD", 12345, true},
		{`12.345`, "kwd", 12345, true},
		{`"-99.90000000000000"`, "SAR", -9990, true},
		{`0`, "JPY", 0, true},
		{`"1500.0"`, "JPY", 1500, true},
		{`null`, "SAR", 0, true},
		{`"12.3456"`, "KWD", 0, false}, // a real fourth decimal: an error, never a rounding
		{`175.471`, "SAR", 0, false},
		{`1e3`, "SAR", 100000, true}, // an exponent, written out exactly
		{`1.25E1`, "SAR", 1250, true},
		{`1.2345e1`, "SAR", 0, false}, // 12.345: a third decimal, refused rather than rounded
		{`1e400`, "SAR", 0, false},    // beyond any amount, and not built as a power of ten
		{`1e-999999999`, "SAR", 0, false},
		{`"abc"`, "SAR", 0, false},
		{`"5"`, "XXQ", 0, false},
	}
	for _, tt := range tests {
		var d Decimal
		if err := json.Unmarshal([]byte(tt.json), &d); err != nil {
			t.Fatalf("%s: %v", tt.json, err)
		}
		m, err := d.Money(tt.currency)
		if tt.ok != (err == nil) {
			t.Errorf("%s %s: err %v, want ok=%v", tt.json, tt.currency, err, tt.ok)
			continue
		}
		if tt.ok && m.Minor != tt.minor {
			t.Errorf("%s %s = %d, want %d", tt.json, tt.currency, m.Minor, tt.minor)
		}
	}
	var d Decimal
	for _, bad := range []string{`true`, `{"amount": 1}`, `[1]`} {
		if err := json.Unmarshal([]byte(bad), &d); err == nil {
			t.Errorf("%s read as an amount", bad)
		}
	}
}

func TestText(t *testing.T) {
	for in, want := range map[string]Text{`2116149737`: "2116149737", `"41027662"`: "41027662", `null`: "", `" 7 "`: "7", `12345678901234567890`: "12345678901234567890"} {
		var got Text
		if err := json.Unmarshal([]byte(in), &got); err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestPhone(t *testing.T) {
	tests := []struct{ code, number, want string }{
		{"+966", "501806978", "+966501806978"},
		{"966", "0501806978", "+966501806978"},
		{"+966", "+96652318526", "+96652318526"},
		{"+966", "966501806978", "+966501806978"},
		{"+965", "96512345", "+96596512345"}, // a Kuwaiti number that starts with 965
		{"", "0501806978", "0501806978"},
		{"+966", "", ""},
		{"+971", "00971555555555", "00971555555555"},
	}
	for _, tt := range tests {
		if got := Phone(tt.code, tt.number); got != tt.want {
			t.Errorf("Phone(%q, %q) = %q, want %q", tt.code, tt.number, got, tt.want)
		}
	}
}

func TestCustomerRef(t *testing.T) {
	tests := []struct{ id, email, phone, want string }{
		{"225167971", "a@b.example", "+966500000001", "zid:225167971"},
		{"", " A@B.example", "+966500000001", "zid:guest:a@b.example"},
		{"0", "", "+966 50 000 0001", "zid:guest:966500000001"},
		{"", "", "12", ""},
	}
	for _, tt := range tests {
		if got := CustomerRef(shop.SourceZid, tt.id, tt.email, tt.phone); got != tt.want {
			t.Errorf("CustomerRef(%q, %q, %q) = %q, want %q", tt.id, tt.email, tt.phone, got, tt.want)
		}
	}
}
