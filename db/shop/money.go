package shop

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/text/currency"
)

// Money is an amount in the currency's minor units (halalas, fils, cents).
type Money struct {
	Minor    int64
	Currency string // ISO 4217, upper case
}

// Decimals is the number of minor-unit digits of an ISO 4217 currency:
// 2 for SAR, AED and USD; 3 for KWD, BHD, OMR and JOD; 0 for JPY.
// It uses CLDR's table so that no currency needs hand-written rules.
func Decimals(code string) (int, error) {
	unit, err := currency.ParseISO(code)
	if err != nil {
		return 0, fmt.Errorf("unknown currency %q", code)
	}
	scale, _ := currency.Standard.Rounding(unit)
	return scale, nil
}

// ParseAmount reads a decimal string such as "149.50" or "12.345" into
// minor units. More decimals than the currency allows is an error, never a
// silent rounding.
func ParseAmount(s, code string) (Money, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	decimals, err := Decimals(code)
	if err != nil {
		return Money{}, err
	}
	s = strings.TrimSpace(s)
	negative := strings.HasPrefix(s, "-")
	digits := strings.TrimPrefix(s, "-")
	whole, frac, hasPoint := strings.Cut(digits, ".")
	if whole == "" || !allDigits(whole) || (hasPoint && (frac == "" || !allDigits(frac))) {
		return Money{}, fmt.Errorf("amount %q is not a decimal number", s)
	}
	if len(frac) > decimals {
		return Money{}, fmt.Errorf("amount %q has %d decimals, %s allows %d", s, len(frac), code, decimals)
	}
	frac += strings.Repeat("0", decimals-len(frac))
	minor, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return Money{}, fmt.Errorf("amount %q is out of range", s)
	}
	if negative {
		minor = -minor
	}
	return Money{Minor: minor, Currency: code}, nil
}

// Decimal renders the amount with exactly the currency's decimals and no
// grouping, e.g. "149.50" or "12.345": the canonical, locale-free form.
func (m Money) Decimal() string {
	decimals, err := Decimals(m.Currency)
	if err != nil {
		decimals = 2
	}
	sign := ""
	minor := m.Minor
	if minor < 0 {
		sign, minor = "-", -minor
	}
	s := strconv.FormatInt(minor, 10)
	if decimals == 0 {
		return sign + s
	}
	if len(s) <= decimals {
		s = strings.Repeat("0", decimals-len(s)+1) + s
	}
	return sign + s[:len(s)-decimals] + "." + s[len(s)-decimals:]
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
