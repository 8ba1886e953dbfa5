package shop

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"testing"
)

// finderCall is one question Resolve asked.
type finderCall struct {
	key   MatchKey
	value string
	limit int
}

// recordingFinder answers from a table of key → value → refs and records
// every question, so that the tests see the order of keys and the values
// the policy sends, independently of any real store.
type recordingFinder struct {
	found       map[MatchKey]map[string][]string
	unsupported map[MatchKey]bool
	fail        map[MatchKey]error
	calls       []finderCall
}

func (f *recordingFinder) FindCustomers(_ context.Context, key MatchKey, value string, limit int) ([]Customer, error) {
	f.calls = append(f.calls, finderCall{key, value, limit})
	if f.unsupported[key] {
		return nil, errors.Join(errors.New("this store cannot"), ErrUnsupportedKey)
	}
	if err := f.fail[key]; err != nil {
		return nil, err
	}
	var out []Customer
	for i, ref := range f.found[key][value] {
		out = append(out, Customer{ID: int64(i + 1), Ref: ref})
	}
	return out, nil
}

func refsOf(customers []Customer) []string {
	var refs []string
	for _, c := range customers {
		refs = append(refs, c.Ref)
	}
	return refs
}

func keysAsked(calls []finderCall) []MatchKey {
	var keys []MatchKey
	for _, c := range calls {
		keys = append(keys, c.key)
	}
	return keys
}

// demoLike is a small world: every key finds someone, the phone is shared.
func demoLike() *recordingFinder {
	return &recordingFinder{found: map[MatchKey]map[string][]string{
		KeyCustomerRef: {"C-1002": {"C-1002"}, "C-1003": {"C-1003"}},
		KeyContactID:   {"1": {"C-1001"}, "7": {"C-1007", "C-1008"}},
		KeyIdentifier:  {"cust-1001": {"C-1001"}, "cust-1003": {"C-1003"}},
		KeyEmail:       {"layla@example.com": {"C-1001"}, "james.carter@example.com": {"C-1002"}},
		KeyPhone:       {"966500000001": {"C-1001"}, "966555123456": {"C-1004", "C-1005"}},
	}}
}

func TestResolve(t *testing.T) {
	tests := []struct {
		name     string
		identity Identity // as the host sent it, not normalised
		key      MatchKey
		refs     []string
		asked    []MatchKey
	}{
		{"customer ref", Identity{CustomerRef: " C-1002 "}, KeyCustomerRef, []string{"C-1002"}, []MatchKey{KeyCustomerRef}},
		{"customer ref beats contact id", Identity{CustomerRef: "C-1003", ContactID: 1}, KeyCustomerRef, []string{"C-1003"}, []MatchKey{KeyCustomerRef}},
		{"unknown customer ref falls through", Identity{CustomerRef: "C-9", ContactID: 1}, KeyContactID, []string{"C-1001"},
			[]MatchKey{KeyCustomerRef, KeyContactID}},
		{"contact id", Identity{ContactID: 1}, KeyContactID, []string{"C-1001"}, []MatchKey{KeyContactID}},
		{"identifier, trimmed", Identity{Identifier: " cust-1001 "}, KeyIdentifier, []string{"C-1001"}, []MatchKey{KeyIdentifier}},
		{"email, any case and spaces", Identity{Email: " LAYLA@Example.COM "}, KeyEmail, []string{"C-1001"}, []MatchKey{KeyEmail}},
		{"phone with plus and spaces", Identity{Phone: "+966 50 000 0001"}, KeyPhone, []string{"C-1001"}, []MatchKey{KeyPhone}},
		{"phone with 00 prefix", Identity{Phone: "00966500000001"}, KeyPhone, []string{"C-1001"}, []MatchKey{KeyPhone}},
		{"contact id beats email", Identity{ContactID: 1, Email: "james.carter@example.com"}, KeyContactID, []string{"C-1001"}, []MatchKey{KeyContactID}},
		{"identifier beats email", Identity{Identifier: "cust-1003", Email: "layla@example.com"}, KeyIdentifier, []string{"C-1003"}, []MatchKey{KeyIdentifier}},
		{"email beats phone", Identity{Email: "layla@example.com", Phone: "+966 55 512 3456"}, KeyEmail, []string{"C-1001"}, []MatchKey{KeyEmail}},
		{"every key tried in order", Identity{CustomerRef: "x", ContactID: 99, Identifier: "x", Email: "x@example.org", Phone: "+966 55 512 3456"},
			KeyPhone, []string{"C-1004", "C-1005"}, MatchOrder},
		{"a shared key is the answer: no weaker key breaks the tie", Identity{ContactID: 7, Email: "layla@example.com"},
			KeyContactID, []string{"C-1007", "C-1008"}, []MatchKey{KeyContactID}},
		{"empty identity asks nothing", Identity{}, "", nil, nil},
		{"blank fields ask nothing", Identity{CustomerRef: " ", Identifier: "  ", Email: " ", Phone: " + "}, "", nil, nil},
		{"too short a phone asks nothing", Identity{Phone: "123"}, "", nil, nil},
		{"negative contact id asks nothing", Identity{ContactID: -1}, "", nil, nil},
		{"nobody", Identity{ContactID: 3, Email: "visitor@example.org"}, "", nil, []MatchKey{KeyContactID, KeyEmail}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := demoLike()
			m, err := Resolve(context.Background(), f, tt.identity)
			if err != nil {
				t.Fatal(err)
			}
			if m.Key != tt.key || !slices.Equal(refsOf(m.Customers), tt.refs) {
				t.Errorf("Resolve(%+v) = key %q %v, want key %q %v", tt.identity, m.Key, refsOf(m.Customers), tt.key, tt.refs)
			}
			if tt.refs == nil && m.Customers != nil {
				t.Errorf("no match returned non-nil customers %v", m.Customers)
			}
			if got := keysAsked(f.calls); !slices.Equal(got, tt.asked) {
				t.Errorf("asked %v, want %v", got, tt.asked)
			}
		})
	}
}

// The store is asked normalised values, never empty ones, with MaxMatches.
func TestResolveAsksNormalisedValues(t *testing.T) {
	f := &recordingFinder{}
	id := Identity{CustomerRef: " K-1 ", ContactID: 42, Identifier: " c-42 ", Email: " A@B.example ", Phone: "+966 50 000 0001"}
	if _, err := Resolve(context.Background(), f, id); err != nil {
		t.Fatal(err)
	}
	want := []finderCall{
		{KeyCustomerRef, "K-1", MaxMatches},
		{KeyContactID, strconv.Itoa(42), MaxMatches},
		{KeyIdentifier, "c-42", MaxMatches},
		{KeyEmail, "a@b.example", MaxMatches},
		{KeyPhone, "966500000001", MaxMatches},
	}
	if !slices.Equal(f.calls, want) {
		t.Errorf("calls = %v, want %v", f.calls, want)
	}
}

func TestResolveSkipsUnsupportedKeys(t *testing.T) {
	f := demoLike()
	f.unsupported = map[MatchKey]bool{KeyContactID: true}
	m, err := Resolve(context.Background(), f, Identity{ContactID: 1, Email: "james.carter@example.com"})
	if err != nil {
		t.Fatalf("an unsupported key is not an error: %v", err)
	}
	if m.Key != KeyEmail || !slices.Equal(refsOf(m.Customers), []string{"C-1002"}) {
		t.Errorf("got key %q %v, want the email's match", m.Key, refsOf(m.Customers))
	}
}

func TestResolveWrapsStoreErrors(t *testing.T) {
	f := demoLike()
	down := errors.New("shop API down")
	f.fail = map[MatchKey]error{KeyEmail: down}
	m, err := Resolve(context.Background(), f, Identity{Email: "layla@example.com", Phone: "966500000001"})
	if !errors.Is(err, down) || err.Error() != "match customer by email: shop API down" {
		t.Errorf("err = %v, want the store's error wrapped with the key", err)
	}
	if m.Key != "" || m.Customers != nil {
		t.Errorf("a failed match returned %+v", m)
	}
	if got := keysAsked(f.calls); !slices.Equal(got, []MatchKey{KeyEmail}) {
		t.Errorf("asked %v after the failure, want nothing more", got)
	}
}

// A store that ignores the limit still yields at most MaxMatches.
func TestResolveCapsWhatTheStoreReturns(t *testing.T) {
	var many []string
	for i := range MaxMatches + 5 {
		many = append(many, "F-"+strconv.Itoa(i))
	}
	f := &recordingFinder{found: map[MatchKey]map[string][]string{KeyPhone: {"971501234567": many}}}
	m, err := Resolve(context.Background(), f, Identity{Phone: "+971 50 123 4567"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(refsOf(m.Customers), many[:MaxMatches]) {
		t.Errorf("got %v, want the first %d", refsOf(m.Customers), MaxMatches)
	}
}
