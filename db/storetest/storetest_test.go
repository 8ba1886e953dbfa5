package storetest_test

import (
	"context"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"dashapp/db/memstore"
	"dashapp/db/shop"
	"dashapp/db/storetest"
)

// broken is the in-memory store with one bug: the contract must notice it.
type broken struct {
	*memstore.Store
	bug string
}

func (b broken) FindCustomers(ctx context.Context, key shop.MatchKey, value string, limit int) ([]shop.Customer, error) {
	switch b.bug {
	case "ignores the limit":
		limit = shop.MaxMatches
	case "matches the empty value":
		if value == "" {
			value = "K-1006"
			key = shop.KeyCustomerRef
		}
	case "answers an unknown key with nobody":
		if !slices.Contains(shop.MatchOrder, key) {
			return nil, nil
		}
	case "forgets the context":
		ctx = context.Background()
	}
	found, err := b.Store.FindCustomers(ctx, key, value, limit)
	if b.bug == "lists shared keys newest first" {
		slices.Reverse(found)
	}
	return found, err
}

func (b broken) Summary(ctx context.Context, id int64) (shop.Summary, error) {
	s, err := b.Store.Summary(ctx, id)
	switch b.bug {
	case "leaves refunds out":
		s.Refunded = nil
	case "sorts currencies backwards":
		slices.Reverse(s.LifetimeSpend)
	case "fails on an unknown customer":
		if s.OrderCount == 0 && len(s.LifetimeSpend) == 0 && id > 100 {
			return s, os.ErrNotExist
		}
	}
	return s, err
}

func (b broken) Orders(ctx context.Context, id int64, cursor string, limit int) (shop.OrderPage, error) {
	if b.bug == "reads a bad cursor as the first page" {
		if _, err := shop.ParseCursor(cursor); err != nil {
			cursor = ""
		}
	}
	p, err := b.Store.Orders(ctx, id, cursor, limit)
	if b.bug == "offers an empty last page" && p.Next == "" && len(p.Orders) > 0 {
		last := p.Orders[len(p.Orders)-1]
		p.Next = shop.Cursor{At: last.PlacedAt, ID: last.ID}.String()
	}
	if b.bug == "drops the last row of a full page" && p.Next != "" {
		p.Orders = p.Orders[:len(p.Orders)-1]
	}
	return p, err
}

func (b broken) OrderDetail(ctx context.Context, customerID, orderID int64) (shop.OrderDetail, error) {
	if b.bug == "shows another customer's order" {
		for id := int64(1); id <= 8; id++ {
			if d, err := b.Store.OrderDetail(ctx, id, orderID); err == nil {
				return d, nil
			}
		}
	}
	d, err := b.Store.OrderDetail(ctx, customerID, orderID)
	if b.bug == "lists an order's payments newest first" {
		slices.Reverse(d.Payments)
	}
	return d, err
}

// bugs and the contract's check that must fail for each.
var bugs = map[string]string{
	"ignores the limit":                      "FindCustomersSharedKey",
	"lists shared keys newest first":         "FindCustomersSharedKey",
	"matches the empty value":                "EmptyKeysNeverMatch",
	"answers an unknown key with nobody":     "UnsupportedKey",
	"forgets the context":                    "CancelledContext",
	"leaves refunds out":                     "SummaryPerCurrency",
	"sorts currencies backwards":             "SummaryPerCurrency",
	"fails on an unknown customer":           "UnknownCustomer",
	"reads a bad cursor as the first page":   "BadCursor",
	"offers an empty last page":              "KeysetPages",
	"drops the last row of a full page":      "KeysetPages",
	"shows another customer's order":         "OrderDetail",
	"lists an order's payments newest first": "OrderDetail",
}

const bugEnv = "STORETEST_BUG"

// TestBrokenStore is the child process of TestContractCatchesBugs: it runs
// the contract against one broken store, and is expected to fail.
func TestBrokenStore(t *testing.T) {
	bug := os.Getenv(bugEnv)
	if bug == "" {
		t.Skip("runs only as the child of TestContractCatchesBugs")
	}
	storetest.Run(t, func(t *testing.T, f storetest.Fixture) storetest.Store {
		s, err := memstore.New(f.Customers, f.Orders, f.Payments)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetDetails(f.Items, f.Shipments); err != nil {
			t.Fatal(err)
		}
		return broken{s, bug}
	})
}

// TestContractCatchesBugs makes sure the contract can fail: each broken
// store fails the check made for its bug.
func TestContractCatchesBugs(t *testing.T) {
	if testing.Short() {
		t.Skip("starts one process per bug")
	}
	for bug, check := range bugs {
		t.Run(bug, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestBrokenStore$", "-test.v")
			cmd.Env = append(os.Environ(), bugEnv+"="+bug)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the contract passed a store that %s", bug)
			}
			if !strings.Contains(string(out), "--- FAIL: TestBrokenStore/"+check) {
				t.Errorf("a store that %s did not fail %s:\n%s", bug, check, out)
			}
		})
	}
}
