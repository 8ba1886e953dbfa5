package db

import (
	"context"
	"slices"
	"strings"
	"testing"

	"dashapp/db/shop"
)

// mentionArgs fills mentionedOrdersSQL's fixed parameter list.
func mentionArgs(numbers ...string) []any {
	args := make([]any, MaxMentionNumbers)
	for i, n := range numbers {
		args[i] = n
	}
	return args
}

func refs(cs []shop.Customer) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Ref)
	}
	return out
}

func TestSearchCustomers(t *testing.T) {
	d := openDemoDB(t)
	ctx := context.Background()
	cases := []struct {
		name, query string
		want        []string // the first refs, in order
	}{
		{"order number", "ORD-000001", []string{"C-1001"}},
		{"order number with #", "#ORD-000001", []string{"C-1001"}},
		{"customer ref", "C-1002", []string{"C-1002"}},
		{"email in any case", " James.Carter@EXAMPLE.com ", []string{"C-1002"}},
		{"local phone with spaces", "050 000 0001", []string{"C-1001"}},
		{"international phone", "+966 50 000 0001", []string{"C-1001"}},
		{"identifier", "cust-1003", []string{"C-1003"}},
		{"name prefix in another case", "LAYLA al", []string{"C-1001"}},
		{"Arabic name prefix", "حصة", []string{"C-1006"}},
		{"shared phone finds both", "0555123456", []string{"C-1004", "C-1005"}},
		{"nobody", "zzzz-nobody", nil},
		{"one letter is no name search", "L", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := d.SearchCustomers(ctx, tc.query, 10)
			if err != nil {
				t.Fatal(err)
			}
			if r := refs(got); len(r) < len(tc.want) || !slices.Equal(r[:len(tc.want)], tc.want) || (tc.want == nil && len(r) > 0) {
				t.Errorf("SearchCustomers(%q) = %v, want first %v", tc.query, r, tc.want)
			}
		})
	}
	// The limit holds and nobody repeats.
	got, err := d.SearchCustomers(ctx, "a", 10) // one letter: no name search
	if err != nil || len(got) != 0 {
		t.Errorf("one letter: %v, %v", refs(got), err)
	}
	for _, limit := range []int{1, 3} {
		got, err := d.SearchCustomers(ctx, "0555123456", limit)
		if err != nil || len(got) != min(limit, 2) {
			t.Errorf("limit %d: %v, %v", limit, refs(got), err)
		}
	}
}

func TestMentionedOrders(t *testing.T) {
	d := openDemoDB(t)
	numbers := []string{"nope", "ORD-000002", "ORD-000001", "ORD-000002"}
	got, err := d.MentionedOrders(context.Background(), numbers)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Number != "ORD-000002" || got[1].Number != "ORD-000001" {
		t.Fatalf("MentionedOrders = %+v, want ORD-000002 then ORD-000001, once each", got)
	}
	if got[0].CustomerRef != "C-1001" || got[0].CustomerName != "Layla Al-Harbi" || got[0].Status == "" || got[0].OrderID == 0 {
		t.Errorf("mention %+v lacks its customer or status", got[0])
	}
	// Past MaxMentionNumbers the rest are not looked up.
	many := make([]string, MaxMentionNumbers, MaxMentionNumbers+1)
	for i := range many {
		many[i] = "x" + strings.Repeat("0", i)
	}
	got, err = d.MentionedOrders(context.Background(), append(many, "ORD-000001"))
	if err != nil || len(got) != 0 {
		t.Errorf("the %dth number was looked up: %+v, %v", MaxMentionNumbers+1, got, err)
	}
}

// TestSearchQueriesUseIndexes is the search's part of
// TestPanelQueriesUseIndexes, kept here so that it names the migration's
// index: the name prefix must be a range on customers_name_lower.
func TestSearchQueriesUseIndexes(t *testing.T) {
	d := openDemoDB(t)
	plan := strings.Join(explain(t, d, searchByNamePrefixSQL, "lay", "lay\U0010FFFF", 11), "\n")
	if !strings.Contains(plan, "customers_name_lower") || strings.Contains(plan, "SCAN") || strings.Contains(plan, "TEMP B-TREE") {
		t.Errorf("name prefix plan:\n%s\nwant a search of customers_name_lower, no scan, no sort", plan)
	}
	plan = strings.Join(explain(t, d, mentionedOrdersSQL, mentionArgs("ORD-000001")...), "\n")
	if strings.Contains(plan, "SCAN") || !strings.Contains(plan, "SEARCH o") {
		t.Errorf("mentioned orders plan:\n%s\nwant index searches only", plan)
	}
}
