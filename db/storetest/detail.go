package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"dashapp/db/shop"
)

// Detailer is the optional handlers.OrderDetailStore: checked when the
// store has it. A store that has it must also hold the fixture's Items and
// Shipments.
type Detailer interface {
	OrderDetail(ctx context.Context, customerID, orderID int64) (shop.OrderDetail, error)
}

// The orders of the fixture that have details: Layla's KO-1001-02 (id 114)
// has two lines and a parcel; KO-1001-01 (id 107) has neither.
const (
	detailedOrder = 114
	bareOrder     = 107
)

// fixtureDetails are the items (by order id) and shipments of Data().
func fixtureDetails() (map[int64][]shop.Item, []shop.Shipment) {
	sar := func(minor int64) shop.Money { return shop.Money{Minor: minor, Currency: "SAR"} }
	items := map[int64][]shop.Item{
		detailedOrder: {
			{ID: 501, SKU: "OUD-50", Name: "Oud oil 50 ml", Quantity: 1, UnitPrice: sar(1050), LineTotal: sar(1050)},
			{ID: 502, SKU: "", Name: "Gift wrap", Quantity: 2, UnitPrice: sar(1000), LineTotal: sar(2000)},
		},
	}
	shipments := []shop.Shipment{{
		Ref: "KS-114", OrderID: detailedOrder, Carrier: "SMSA", TrackingNumber: "290000000114",
		TrackingURL: "https://track.example/290000000114", Status: shop.ShipmentInTransit,
		StatusAt: fixtureBase.Add(-30 * time.Hour), Source: shop.SourceCSV,
	}}
	return items, shipments
}

// detail checks OrderDetail: the customer's own order with its lines,
// parcels and payments (oldest first, only the order's); another
// customer's order, an unknown order and a cancelled context are errors.
func (c contract) detail(t *testing.T, d Detailer) {
	got, err := d.OrderDetail(ctx, layla, detailedOrder)
	if err != nil {
		t.Fatalf("OrderDetail(layla, %d): %v", detailedOrder, err)
	}
	i := slices.IndexFunc(c.f.Orders, func(o shop.Order) bool { return o.ID == detailedOrder })
	want := c.f.Orders[i]
	if o := got.Order; o.ID != want.ID || o.Number != want.Number || o.CustomerID != layla || o.Status != want.Status || o.Total != want.Total || !o.PlacedAt.Equal(want.PlacedAt) {
		t.Errorf("order = %+v, want %+v", o, want)
	}
	items, shipments := fixtureDetails()
	if !slices.EqualFunc(got.Items, items[detailedOrder], func(a, b shop.Item) bool {
		return a.SKU == b.SKU && a.Name == b.Name && a.Quantity == b.Quantity && a.UnitPrice == b.UnitPrice && a.LineTotal == b.LineTotal
	}) {
		t.Errorf("items = %+v, want %+v", got.Items, items[detailedOrder])
	}
	if !slices.EqualFunc(got.Shipments, shipments, func(a, b shop.Shipment) bool {
		return a.Carrier == b.Carrier && a.TrackingNumber == b.TrackingNumber && a.TrackingURL == b.TrackingURL && a.Status == b.Status && a.StatusAt.Equal(b.StatusAt)
	}) {
		t.Errorf("shipments = %+v, want %+v", got.Shipments, shipments)
	}
	var paid []string
	for _, p := range got.Payments {
		paid = append(paid, p.Ref)
	}
	if want := []string{"KP-301", "KP-306", "KP-304"}; !slices.Equal(paid, want) {
		t.Errorf("payments = %v, want the order's own, oldest first: %v", paid, want)
	}

	bare, err := d.OrderDetail(ctx, layla, bareOrder)
	if err != nil || bare.Order.ID != bareOrder || len(bare.Items)+len(bare.Shipments)+len(bare.Payments) != 0 {
		t.Errorf("OrderDetail(layla, %d) = %+v, %v; want the order alone", bareOrder, bare, err)
	}
	for name, ids := range map[string][2]int64{
		"another customer's order": {james, detailedOrder},
		"an unknown order":         {layla, 999999},
		"an unknown customer":      {unknownCustomer, detailedOrder},
	} {
		if _, err := d.OrderDetail(ctx, ids[0], ids[1]); !errors.Is(err, shop.ErrNotFound) {
			t.Errorf("%s: err = %v, want one wrapping shop.ErrNotFound", name, err)
		}
	}
	done, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := d.OrderDetail(done, layla, detailedOrder); !errors.Is(err, context.Canceled) {
		t.Errorf("OrderDetail with a cancelled context: err = %v, want one wrapping context.Canceled", err)
	}
}
