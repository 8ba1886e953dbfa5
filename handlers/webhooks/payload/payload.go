// Package payload holds the small readers that every shop platform's
// decoder needs: amounts sent as JSON numbers or decimal strings, ids sent
// as numbers or strings, phone numbers split into a country code and a
// number, and the customer refs of guests. It knows no platform.
package payload

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"dashapp/db/shop"
)

// Text is a JSON value that platforms send as a string, a number or null
// (ids, order numbers, mobile numbers). It keeps the literal digits, so an
// id is never rounded through a float.
type Text string

// UnmarshalJSON accepts a string, a number, a boolean or null.
func (t *Text) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*t = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = Text(strings.TrimSpace(s))
	case b[0] == '{' || b[0] == '[':
		return fmt.Errorf("want a string or a number, got %s", kind(b[0]))
	default: // number or boolean: keep the literal
		*t = Text(b)
	}
	return nil
}

// Decimal is an amount as a platform sends it: a JSON number (196, 175.47,
// 1.5e3) or a decimal string ("150.00", "899.10000000000000"). It keeps the
// literal text; Money turns it into minor units without a float. It is the
// one amount reader of every platform's decoder.
type Decimal string

// UnmarshalJSON accepts a number, a string or null.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	var t Text
	if err := t.UnmarshalJSON(b); err != nil {
		return err
	}
	if t == "true" || t == "false" {
		return fmt.Errorf("want an amount, got a boolean")
	}
	*d = Decimal(t)
	return nil
}

// maxExponent bounds an amount's exponent: beyond it no amount fits int64
// minor units, and big.Rat would build the power of ten whatever its size.
const maxExponent = 30

// Money reads d in currency code's minor units, exactly: zeros past the
// currency's decimals are dropped ("899.10000000000000" SAR is 89910), any
// other digit there is an error, never a rounding. An exponent (JSON
// numbers may use one) is written out exactly, or refused the same way. An
// empty amount is zero.
func (d Decimal) Money(code string) (shop.Money, error) {
	s := strings.TrimSpace(string(d))
	if s == "" {
		s = "0"
	}
	decimals, err := shop.Decimals(strings.ToUpper(strings.TrimSpace(code)))
	if err != nil {
		return shop.Money{}, err
	}
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		exp, err := strconv.Atoi(s[i+1:])
		r, ok := new(big.Rat).SetString(s)
		if err != nil || exp < -maxExponent || exp > maxExponent || !ok {
			return shop.Money{}, fmt.Errorf("amount %q: not a decimal amount", s)
		}
		if !new(big.Rat).Mul(r, new(big.Rat).SetFrac64(pow10(decimals), 1)).IsInt() {
			return shop.Money{}, fmt.Errorf("amount %q: more decimals than %s has", s, code)
		}
		s = r.FloatString(decimals) // exact: the scaled amount is whole
	}
	if whole, frac, ok := strings.Cut(s, "."); ok && len(frac) > decimals {
		extra := strings.TrimRight(frac[decimals:], "0")
		if extra == "" {
			s = whole
			if decimals > 0 {
				s += "." + frac[:decimals]
			}
		}
	}
	return shop.ParseAmount(s, code)
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// Phone joins a country calling code ("+966", "966", 966) and a national
// number (501806978, "0501806978") into E.164 ("+966501806978"). A number
// that already starts with "+" or "00" is returned as sent; one that
// already carries the code and a full national number after it
// ("966501806978") gets only the "+". The store normalises the result
// further.
func Phone(code, number string) string {
	number = strings.TrimSpace(number)
	code = strings.TrimPrefix(strings.TrimSpace(code), "+")
	switch {
	case number == "":
		return ""
	case code == "" || strings.HasPrefix(number, "+") || strings.HasPrefix(number, "00"):
		return number
	case strings.HasPrefix(number, code) && len(number) >= len(code)+minNationalDigits:
		return "+" + number
	}
	return "+" + code + strings.TrimPrefix(number, "0")
}

// minNationalDigits is the shortest national mobile number in the Gulf
// (Kuwait, Bahrain, Qatar and Oman use 8 digits), so a number at least
// this long past the code already carries it.
const minNationalDigits = 8

// CustomerRef is the ref of a platform's customer ("salla:225167971"), or
// of a guest keyed by email, else phone ("salla:guest:a@b.example"), so
// that the same guest is one customer. It is "" when there is nothing to
// key on.
func CustomerRef(source, externalID, email, phone string) string {
	switch {
	case externalID != "" && externalID != "0":
		return source + ":" + externalID
	}
	return shop.GuestRef(source, email, phone)
}

func kind(c byte) string {
	if c == '{' {
		return "an object"
	}
	return "an array"
}
