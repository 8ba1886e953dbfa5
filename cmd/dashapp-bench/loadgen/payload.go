// Package loadgen makes realistic host messages for benchmarks: a recorded
// appContext message whose contact is rewritten to a given shop customer,
// as the bridge forwards the dashboard's JSON string (its content, with
// explorer.HeaderPostedString) or as the quoted string itself.
package loadgen

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"dashapp/db/shop"
)

// Payload is a host message whose contact fields are placeholders.
type Payload struct{ parts []string } // literal, placeholder, literal, …

// Placeholders: a number for the contact id (a JSON number), plain words
// for the rest, which survive the string encoding unchanged.
const (
	phContactID  = "987654321987"
	phEmail      = "PLACEHOLDER-EMAIL"
	phPhone      = "PLACEHOLDER-PHONE"
	phIdentifier = "PLACEHOLDER-IDENTIFIER"
)

var placeholders = regexp.MustCompile(phContactID + "|" + phEmail + "|" + phPhone + "|" + phIdentifier)

// NewPayload reads a host message (an appContext object) and replaces the
// contact's id, email, phone and identifier wherever the contact appears:
// the contact, the conversation's sender, the sender of each incoming
// message.
func NewPayload(message []byte) (*Payload, error) {
	var msg map[string]any
	if err := json.Unmarshal(message, &msg); err != nil {
		return nil, fmt.Errorf("host message: %w", err)
	}
	data, _ := msg["data"].(map[string]any)
	contact, _ := data["contact"].(map[string]any)
	if contact == nil || contact["email"] == nil {
		return nil, errors.New("host message: no data.contact with an email")
	}
	email := contact["email"]
	contactID, _ := strconv.ParseInt(phContactID, 10, 64)
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if v["email"] == email {
				v["id"], v["email"], v["phone_number"], v["identifier"] = contactID, phEmail, phPhone, phIdentifier
			}
			for _, child := range v {
				walk(child)
			}
		case []any:
			for _, child := range v {
				walk(child)
			}
		}
	}
	walk(msg)
	object, err := json.Marshal(msg)
	if err != nil {
		return nil, fmt.Errorf("host message: %w", err)
	}
	s := string(object)
	p := &Payload{}
	at := 0
	for _, loc := range placeholders.FindAllStringIndex(s, -1) {
		p.parts = append(p.parts, s[at:loc[0]], s[loc[0]:loc[1]])
		at = loc[1]
	}
	p.parts = append(p.parts, s[at:])
	return p, nil
}

// For is the body the bridge posts to /context when the dashboard posts
// the message for customer c's contact: the JSON text of the dashboard's
// string, sent with explorer.HeaderPostedString. The email is
// capitalised and the phone spaced, as agents type them.
func (p *Payload) For(c shop.Customer) []byte {
	var b strings.Builder
	for i, part := range p.parts {
		if i%2 == 0 {
			b.WriteString(part)
			continue
		}
		switch part {
		case phContactID:
			b.WriteString(strconv.FormatInt(c.ContactID, 10))
		case phEmail:
			b.WriteString(strings.ToUpper(c.Email[:1]) + c.Email[1:])
		case phPhone:
			b.WriteString(spacedPhone(c.Phone))
		case phIdentifier:
			b.WriteString(c.Identifier)
		}
	}
	return []byte(b.String())
}

// Quoted is For as the JSON string the dashboard posts, quoted: the body
// an older bridge, or a developer with curl, sends.
func (p *Payload) Quoted(c shop.Customer) []byte {
	quoted, _ := json.Marshal(string(p.For(c))) // a Go string always encodes
	return quoted
}

// spacedPhone writes E.164 digits as "+966 11 0001901".
func spacedPhone(digits string) string {
	if len(digits) < 6 {
		return shop.E164(digits)
	}
	return shop.E164(digits[:3] + " " + digits[3:5] + " " + digits[5:])
}
