// Package storetest is the contract every customer store must pass: the
// SQLite store in package db, the in-memory one in db/memstore, and a
// fork's own store over its shop API. A fork runs it from a test of its
// own:
//
//	func TestContract(t *testing.T) {
//		storetest.Run(t, func(t *testing.T, f storetest.Fixture) storetest.Store {
//			return newMyStore(t, f) // holding exactly f, its ids kept
//		})
//	}
//
// It knows nothing of SQL or HTTP: it only calls the store's methods.
package storetest

import (
	"fmt"
	"time"

	"dashapp/db/shop"
)

// Fixture is the data the contract checks a store against. The store
// under test must hold exactly these rows and return them with their ids
// as given: a store over a shop API serves them from a fake of that API,
// where they are the platform's ids. Emails and phones are normalised, as
// a store keeps them (shop.NormalizeEmail, shop.NormalizePhone). Times are
// whole seconds in UTC. Payment.OrderNumber names an order of the same
// customer.
type Fixture struct {
	Customers []shop.Customer // deliberately not in id order
	Orders    []shop.Order
	Payments  []shop.Payment
	// Items (by order id) and Shipments (each naming its OrderID) are the
	// order details, for a store that has OrderDetail (Detailer).
	Items     map[int64][]shop.Item
	Shipments []shop.Shipment
}

// fixtureBase is "now" for the fixture's times.
var fixtureBase = time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)

// The fixture's customers, by their ids. Refs are K-10NN for id NN.
const (
	layla  = 1 // every key; 25 orders in SAR and KWD; payments in two currencies
	james  = 2 // email only
	noura  = 3 // identifier; shares her phone with omar
	omar   = 4 // shares noura's phone and sara's contact id; a charge refunded in full
	sara   = 5 // shares omar's contact id
	walkIn = 6 // no key at all, no history
	fatima = 7 // shares hamad's email; only a failed and a pending payment
	hamad  = 8 // payments but no orders, in BHD
)

const (
	sharedPhone     = "966555123456" // noura and omar
	sharedContactID = 104            // omar and sara
	sharedEmail     = "family@example.com"
)

// Data returns the contract's fixture, built afresh on every call, so a
// store may keep or change what it is given.
func Data() Fixture {
	f := Fixture{Customers: []shop.Customer{
		{ID: omar, Ref: "K-1004", Name: "Omar Haddad", Email: "omar@example.com", Phone: sharedPhone, ContactID: sharedContactID},
		{ID: layla, Ref: "K-1001", Name: "Layla Al-Harbi", Email: "layla@example.com", Phone: "966500000001", Identifier: "cust-1001", ContactID: 101},
		{ID: sara, Ref: "K-1005", Name: "Sara Haddad", Email: "sara@example.com", ContactID: sharedContactID},
		{ID: james, Ref: "K-1002", Name: "James Carter", Email: "james.carter@example.com"},
		{ID: hamad, Ref: "K-1008", Name: "Hamad Al-Sayed", Email: sharedEmail, Identifier: "cust-1008", ContactID: 108},
		{ID: noura, Ref: "K-1003", Name: "Noura Al-Qahtani", Phone: sharedPhone, Identifier: "cust-1003"},
		{ID: walkIn, Ref: "K-1006", Name: "Walk-in customer"},
		{ID: fatima, Ref: "K-1007", Name: "Fatima Al-Sayed", Email: sharedEmail, Phone: "971501234567"},
	}}
	for i := range f.Customers {
		f.Customers[i].CreatedAt = fixtureBase.AddDate(-1, 0, -int(f.Customers[i].ID))
	}

	// Layla's orders: pairs share a second, so only the id orders them; ids
	// do not follow time (7 is coprime with 25, so they stay distinct).
	for i := range 25 {
		o := shop.Order{
			ID: int64(100 + i*7%25), Number: fmt.Sprintf("KO-1001-%02d", i), CustomerID: layla,
			Status:    shop.OrderStatuses[i%len(shop.OrderStatuses)],
			Total:     shop.Money{Minor: int64(i+1)*1000 + 50, Currency: "SAR"},
			ItemCount: i%4 + 1,
			PlacedAt:  fixtureBase.Add(-time.Duration(i/2) * 36 * time.Hour),
		}
		if i%5 == 4 {
			o.Total = shop.Money{Minor: int64(i+1) * 1234, Currency: "KWD"}
		}
		f.Orders = append(f.Orders, o)
	}
	f.Orders = append(f.Orders,
		shop.Order{ID: 200, Number: "KO-1002-01", CustomerID: james, Status: shop.OrderDelivered, Total: shop.Money{Minor: 4500, Currency: "USD"}, ItemCount: 1, PlacedAt: fixtureBase.AddDate(0, -2, 0)},
		shop.Order{ID: 201, Number: "KO-1002-02", CustomerID: james, Status: shop.OrderPaid, Total: shop.Money{Minor: 1999, Currency: "USD"}, ItemCount: 2, PlacedAt: fixtureBase.AddDate(0, -1, 0)},
		shop.Order{ID: 210, Number: "KO-1004-01", CustomerID: omar, Status: shop.OrderRefunded, Total: shop.Money{Minor: 800, Currency: "SAR"}, ItemCount: 1, PlacedAt: fixtureBase.AddDate(0, 0, -3)},
		shop.Order{ID: 220, Number: "KO-1007-01", CustomerID: fatima, Status: shop.OrderPending, Total: shop.Money{Minor: 5000, Currency: "AED"}, ItemCount: 3, PlacedAt: fixtureBase.AddDate(0, 0, -1)},
	)

	pay := func(id, customer int64, order, kind, status string, minor int64, currency string, ago time.Duration) shop.Payment {
		p := shop.Payment{ID: id, Ref: fmt.Sprintf("KP-%d", id), CustomerID: customer, OrderNumber: order, Kind: kind,
			Method: "mada", Status: status, Amount: shop.Money{Minor: minor, Currency: currency}, CreatedAt: fixtureBase.Add(-ago)}
		if id%2 == 0 {
			p.Method, p.CardBrand, p.CardLast4 = "card", "visa", "4242"
		}
		return p
	}
	h := time.Hour
	f.Payments = []shop.Payment{
		pay(305, layla, "KO-1001-00", shop.KindCharge, shop.PaymentSucceeded, 10000, "SAR", 1*h),
		pay(301, layla, "KO-1001-02", shop.KindCharge, shop.PaymentSucceeded, 25050, "SAR", 40*h),
		pay(309, layla, "", shop.KindCharge, shop.PaymentSucceeded, 4999, "SAR", 40*h), // same second as 301
		pay(302, layla, "KO-1001-03", shop.KindCharge, shop.PaymentFailed, 7000, "SAR", 41*h),
		pay(303, layla, "KO-1001-03", shop.KindCharge, shop.PaymentPending, 1234, "SAR", 41*h),
		pay(304, layla, "KO-1001-02", shop.KindRefund, shop.PaymentSucceeded, 5000, "SAR", 20*h),
		pay(306, layla, "KO-1001-02", shop.KindRefund, shop.PaymentFailed, 300, "SAR", 21*h),
		pay(307, layla, "KO-1001-04", shop.KindCharge, shop.PaymentSucceeded, 12345, "KWD", 80*h),
		pay(308, layla, "KO-1001-04", shop.KindRefund, shop.PaymentSucceeded, 2345, "KWD", 70*h),
		pay(310, james, "KO-1002-01", shop.KindCharge, shop.PaymentSucceeded, 4500, "USD", 60*24*h),
		pay(311, james, "KO-1002-02", shop.KindCharge, shop.PaymentSucceeded, 1999, "USD", 30*24*h),
		pay(312, james, "KO-1002-02", shop.KindRefund, shop.PaymentPending, 1999, "USD", 29*24*h),
		pay(320, omar, "KO-1004-01", shop.KindCharge, shop.PaymentSucceeded, 800, "SAR", 72*h),
		pay(321, omar, "KO-1004-01", shop.KindRefund, shop.PaymentSucceeded, 800, "SAR", 48*h),
		pay(330, fatima, "KO-1007-01", shop.KindCharge, shop.PaymentFailed, 5000, "AED", 20*h),
		pay(331, fatima, "KO-1007-01", shop.KindCharge, shop.PaymentPending, 5000, "AED", 19*h),
		pay(340, hamad, "", shop.KindCharge, shop.PaymentSucceeded, 1500, "BHD", 5*24*h),
	}
	f.Items, f.Shipments = fixtureDetails()
	return f
}

// expectedSummaries are worked out by hand from Data, so that the
// contract does not share its arithmetic with any store.
func expectedSummaries(f Fixture) map[int64]shop.Summary {
	sar := func(m int64) shop.Money { return shop.Money{Minor: m, Currency: "SAR"} }
	return map[int64]shop.Summary{
		// SAR: 10000 + 25050 + 4999 charged, 5000 refunded (failed and
		// pending ones count for nothing): 35049. KWD: 12345 - 2345.
		layla: {LifetimeSpend: []shop.Money{{Minor: 10000, Currency: "KWD"}, sar(35049)}, OrderCount: 25,
			RefundCount: 2, Refunded: []shop.Money{{Minor: 2345, Currency: "KWD"}, sar(5000)}, FailedPayments: 2},
		// The pending refund is not one.
		james: {LifetimeSpend: []shop.Money{{Minor: 6499, Currency: "USD"}}, OrderCount: 2},
		// Refunded in full: the currency stays, at zero.
		omar: {LifetimeSpend: []shop.Money{sar(0)}, OrderCount: 1, RefundCount: 1, Refunded: []shop.Money{sar(800)}},
		// Nothing succeeded in AED: no spend to show.
		fatima: {OrderCount: 1, FailedPayments: 1},
		hamad:  {LifetimeSpend: []shop.Money{{Minor: 1500, Currency: "BHD"}}},
		noura:  {}, sara: {}, walkIn: {},
	}
}
