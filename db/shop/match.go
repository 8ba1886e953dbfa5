package shop

import (
	"context"
	"errors"
	"fmt"
	"strconv"
)

// The match policy: which customer an Identity is. It lives here, above
// every store, so that a fork's store answers one narrow question
// (FindCustomers) and keeps dashapp's rules without re-implementing them.

// CustomerFinder is the one question the match policy asks a store.
type CustomerFinder interface {
	// FindCustomers returns up to limit customers whose key field equals
	// value exactly, by ascending ID; none (and no error) when nobody has it.
	// Resolve asks only normalised, non-empty values; an empty value finds
	// nobody. An error wrapping ErrUnsupportedKey says the store cannot
	// search by key.
	FindCustomers(ctx context.Context, key MatchKey, value string, limit int) ([]Customer, error)
}

// MaxMatches caps the customers one shared key returns: the panel lists
// them for the agent, who needs only to see that there are several.
const MaxMatches = 10

// ErrUnsupportedKey is wrapped by a store asked for a key it cannot search
// by, such as one that a newer dashapp added to MatchOrder. Resolve skips
// that key.
var ErrUnsupportedKey = errors.New("unsupported match key")

// Resolve finds the customers an identity names. It normalises id, then
// asks f for each key of MatchOrder that id has, in turn: the first key that
// finds anyone wins, with every customer it found (up to MaxMatches, by ID).
// A key that several customers share is the answer even when a weaker key
// would name one: the agent choosing among candidates is safer than a
// weaker key choosing for them. An empty identity matches nobody and asks
// the store nothing.
//
// Errors: a store error other than ErrUnsupportedKey, wrapped with the key
// ("match customer by email: …").
func Resolve(ctx context.Context, f CustomerFinder, id Identity) (Match, error) {
	id = id.Normalize()
	for _, key := range MatchOrder {
		value := id.value(key)
		if value == "" {
			continue
		}
		customers, err := f.FindCustomers(ctx, key, value, MaxMatches)
		if errors.Is(err, ErrUnsupportedKey) {
			continue
		}
		if err != nil {
			return Match{}, fmt.Errorf("match customer by %s: %w", key, err)
		}
		if len(customers) > 0 {
			return Match{Key: key, Customers: customers[:min(len(customers), MaxMatches)]}, nil
		}
	}
	return Match{}, nil
}

// value is what FindCustomers is asked for key: "" when id has none, the
// decimal number for a contact id.
func (id Identity) value(key MatchKey) string {
	switch key {
	case KeyCustomerRef:
		return id.CustomerRef
	case KeyContactID:
		if id.ContactID > 0 {
			return strconv.FormatInt(id.ContactID, 10)
		}
	case KeyIdentifier:
		return id.Identifier
	case KeyEmail:
		return id.Email
	case KeyPhone:
		return id.Phone
	}
	return ""
}
