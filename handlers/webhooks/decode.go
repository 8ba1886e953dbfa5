package webhooks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"dashapp/db/shop"
	"dashapp/handlers/webhooks/payload"
)

// The helpers below are shared by the platform packages. Their errors name
// fields and never quote values: a reason goes into the delivery log and
// the status page, and a body holds customers' personal data.

// Malformed is an error wrapping ErrMalformed that says which field is
// wrong and why, in words that quote nothing from the body.
func Malformed(field, why string) error {
	return fmt.Errorf("%w: %s: %s", ErrMalformed, field, why)
}

// UnknownTopic is an error wrapping ErrUnknownTopic. The topic comes from
// a header of a signed delivery and is logged anyway.
func UnknownTopic(topic string) error {
	return fmt.Errorf("%w: %q", ErrUnknownTopic, topic)
}

// Ignore is an error wrapping ErrUnknownTopic for a delivery of a known
// topic that dashapp has no use for: it is acknowledged, so that the
// platform stops retrying, and logged as ignored with why.
func Ignore(why string) error {
	return fmt.Errorf("%w: %s", ErrUnknownTopic, why)
}

// Unmarshal decodes JSON into v and, on failure, returns an error wrapping
// ErrMalformed that names the field but not the offending value
// (encoding/json's syntax errors quote the character they stopped at).
func Unmarshal(body []byte, v any) error {
	err := json.Unmarshal(body, v)
	if err == nil {
		return nil
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return Malformed(typeErr.Field, "a JSON "+typeErr.Value+" where "+typeErr.Type.String()+" was expected")
	}
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		return Malformed("body", "not a JSON document")
	}
	return Malformed("body", "a field holds a value of the wrong form")
}

// VerifyBase64HMAC checks a base64 HMAC-SHA256 of the raw body under
// secret, the scheme of Shopify and WooCommerce, in constant time.
func VerifyBase64HMAC(secret, signatureHeader string, header func(string) string, body []byte) error {
	given := header(signatureHeader)
	if given == "" {
		return fmt.Errorf("%w: no %s header", ErrUnauthorized, signatureHeader)
	}
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(given))
	if err != nil {
		return fmt.Errorf("%w: %s is not base64", ErrUnauthorized, signatureHeader)
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	if !hmac.Equal(sig, mac.Sum(nil)) {
		return fmt.Errorf("%w: %s does not match the body", ErrUnauthorized, signatureHeader)
	}
	return nil
}

// ID is a platform id as JSON sends it: a number (Shopify's and
// WooCommerce's, up to 2^63) or a string. It keeps the digits exactly, as
// float64 would not.
type ID string

func (id *ID) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*id = ""
		return nil
	}
	var s string
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	} else {
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		s = n.String()
	}
	if _, err := strconv.ParseUint(s, 10, 63); err != nil && s != "" {
		return errors.New("not an id")
	}
	*id = ID(s)
	return nil
}

// Amount reads d, the amount in field, in currency's minor units (see
// payload.Decimal), as an error that names the field or the currency.
func Amount(field string, d payload.Decimal, currency string) (shop.Money, error) {
	if _, err := shop.Decimals(strings.ToUpper(strings.TrimSpace(currency))); err != nil {
		return shop.Money{}, Malformed("currency", "not an ISO 4217 code")
	}
	m, err := d.Money(currency)
	if err != nil {
		return shop.Money{}, Malformed(field, "not an amount in "+strings.ToUpper(currency)+"'s decimals")
	}
	return m, nil
}

// Time parses an RFC 3339 time; "" is the zero time.
func Time(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, Malformed(field, "not an RFC 3339 time")
	}
	return t, nil
}

// First is the first value that is not empty.
func First(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// JoinNonEmpty joins the parts that are not blank: an address's free lines.
func JoinNonEmpty(sep string, parts ...string) string {
	kept := parts[:0:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}

// WebURL returns s when it is an absolute http(s) URL, and "" otherwise: a
// platform's link is shown to agents, so nothing else may pass.
func WebURL(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") {
		return s
	}
	return ""
}
