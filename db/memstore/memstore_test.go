package memstore_test

import (
	"testing"

	"dashapp/db/memstore"
	"dashapp/db/shop"
	"dashapp/db/storetest"
)

func TestStoreContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T, f storetest.Fixture) storetest.Store {
		s, err := memstore.New(f.Customers, f.Orders, f.Payments)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetDetails(f.Items, f.Shipments); err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestNewNormalisesKeys(t *testing.T) {
	s, err := memstore.New([]shop.Customer{{ID: 1, Ref: "C-1", Email: " Layla@Example.COM ", Phone: "+966 50 000 0001", Identifier: " c-1 "}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for key, value := range map[shop.MatchKey]string{shop.KeyEmail: "layla@example.com", shop.KeyPhone: "966500000001", shop.KeyIdentifier: "c-1"} {
		got, err := s.FindCustomers(t.Context(), key, value, 10)
		if err != nil || len(got) != 1 || got[0].Ref != "C-1" {
			t.Errorf("FindCustomers(%s, %q) = %v, %v", key, value, got, err)
		}
	}
}

func TestNewRejectsBadRows(t *testing.T) {
	c := func(id int64, ref string) shop.Customer { return shop.Customer{ID: id, Ref: ref} }
	tests := []struct {
		name      string
		customers []shop.Customer
		orders    []shop.Order
		payments  []shop.Payment
	}{
		{"zero id", []shop.Customer{c(0, "C-0")}, nil, nil},
		{"empty ref", []shop.Customer{c(1, "")}, nil, nil},
		{"duplicate id", []shop.Customer{c(1, "C-1"), c(1, "C-2")}, nil, nil},
		{"duplicate ref", []shop.Customer{c(1, "C-1"), c(2, "C-1")}, nil, nil},
		{"order of nobody", []shop.Customer{c(1, "C-1")}, []shop.Order{{ID: 1, Number: "O-1", CustomerID: 2}}, nil},
		{"payment of nobody", []shop.Customer{c(1, "C-1")}, nil, []shop.Payment{{ID: 1, Ref: "P-1", CustomerID: 2}}},
	}
	for _, tt := range tests {
		if _, err := memstore.New(tt.customers, tt.orders, tt.payments); err == nil {
			t.Errorf("%s: New accepted it", tt.name)
		}
	}
}

// Details must name orders the store holds.
func TestSetDetailsRefusesUnknownOrders(t *testing.T) {
	f := storetest.Data()
	s, err := memstore.New(f.Customers, f.Orders, f.Payments)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetDetails(map[int64][]shop.Item{424242: {{Name: "x"}}}, nil); err == nil {
		t.Error("items of an unknown order were accepted")
	}
	if err := s.SetDetails(nil, []shop.Shipment{{Ref: "S", OrderID: 424242}}); err == nil {
		t.Error("a shipment of an unknown order was accepted")
	}
}
