package shop

import (
	"fmt"
	"strings"
	"sync/atomic"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/nyaruka/phonenumbers"
)

// NormalizeEmail trims and lower-cases an address, so that
// " James.Carter@Example.com" matches "james.carter@example.com".
func NormalizeEmail(s string) string {
	return strings.ToLower(strings.TrimSpace(s))
}

// DefaultRegion is the region local numbers are read in when
// SetDefaultRegion was not called: Saudi Arabia, where shops' customers type
// 05… numbers.
const DefaultRegion = "SA"

var defaultRegion atomic.Value // string: set once at start, read per request

// SetDefaultRegion sets the ISO 3166 region (such as "SA", "AE") whose
// numbers may be written without their country code: "0501112222" in SA is
// +966501112222.
func SetDefaultRegion(region string) error {
	region = strings.ToUpper(strings.TrimSpace(region))
	if phonenumbers.GetCountryCodeForRegion(region) == 0 {
		return fmt.Errorf("region %q is not an ISO 3166 region with phone numbers, such as SA or AE", region)
	}
	defaultRegion.Store(region)
	phones.Purge() // read in the old region
	return nil
}

func region() string {
	if r, ok := defaultRegion.Load().(string); ok {
		return r
	}
	return DefaultRegion
}

// NormalizePhone reads a phone number as shops and contacts store it and
// returns its E.164 digits without the '+': "+966 50 000 0001",
// "00966500000001", "966-50-000-0001", "0501112222" (a local number of the
// default region) and Arabic-Indic digits all become "966500000001"-style
// digits. Reading is libphonenumber's (github.com/nyaruka/phonenumbers).
// Digits that are no possible number of the default region are tried as
// an international number without its '+' ("971501234567"). It returns ""
// for what is no possible phone number: such a value identifies nobody.
func NormalizePhone(s string) string {
	short := len(s) <= maxCachedPhone
	if short {
		if out, ok := phones.Get(s); ok {
			return out
		}
	}
	out := parsePhone(s)
	if short {
		phones.Add(s, out)
	}
	if out != "" {
		phones.Add(out, out) // normalising a result again (the store does) gives it back
	}
	return out
}

// phones remembers recent readings: parsing costs more than the rest of
// matching a contact (BENCHMARKS.md), and the same contacts come back.
// Bounded, and only short inputs are kept, so hostile payloads cannot grow it.
var phones = must(lru.New[string, string](8192))

const maxCachedPhone = 32 // bytes; any real phone number is shorter

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func parsePhone(s string) string {
	n, err := phonenumbers.Parse(s, region())
	if err != nil {
		return ""
	}
	if !phonenumbers.IsPossibleNumber(n) {
		if n, err = phonenumbers.Parse("+"+s, region()); err != nil || !phonenumbers.IsPossibleNumber(n) {
			return ""
		}
	}
	return strings.TrimPrefix(phonenumbers.Format(n, phonenumbers.E164), "+")
}

// Normalize returns id with its email and phone normalised.
func (id Identity) Normalize() Identity {
	id.CustomerRef = strings.TrimSpace(id.CustomerRef)
	id.Identifier = strings.TrimSpace(id.Identifier)
	id.Email = NormalizeEmail(id.Email)
	id.Phone = NormalizePhone(id.Phone)
	return id
}
