// Package shop holds the plain types that any customer store returns: the
// SQLite store in package db, or a fork's own shop API. It has no
// dependencies on HTTP, SQL or HTML.
package shop

import (
	"errors"
	"time"
)

// MatchKey names the identity field that found a customer. A store's
// FindCustomers is asked by these names; the views translate them.
type MatchKey string

// Match keys, in the order they are tried: the first that finds anyone wins.
const (
	// KeyCustomerRef is a customer the agent linked for good: the contact's
	// custom attribute shop_customer_ref holds the customer's Ref.
	KeyCustomerRef MatchKey = "customer_ref"
	KeyContactID   MatchKey = "contact_id"
	KeyIdentifier  MatchKey = "identifier"
	KeyEmail       MatchKey = "email"
	KeyPhone       MatchKey = "phone"
)

// MatchOrder is the order in which Resolve tries the keys of an Identity:
// strongest first. A link the agent made beats what the contact says.
var MatchOrder = []MatchKey{KeyCustomerRef, KeyContactID, KeyIdentifier, KeyEmail, KeyPhone}

// Identity is what the dashboard told us about a contact, normalised for
// matching. Empty fields (and a zero ContactID) are not searched.
type Identity struct {
	CustomerRef string // the contact's shop_customer_ref attribute: a Customer.Ref
	ContactID   int64
	Identifier  string
	Email       string // NormalizeEmail
	Phone       string // NormalizePhone: E.164 digits, no '+'
}

// Customer is one customer of the shop.
type Customer struct {
	// ID is dashapp's handle on the customer: load-more links and their
	// grants carry it. A store whose platform has string ids keeps those in
	// Ref and maps them to a stable positive number (README, "Fork it").
	ID         int64
	Ref        string // the shop's own reference, e.g. "C-1001"
	Name       string
	Email      string
	Phone      string // E.164 digits, no '+'
	Identifier string
	ContactID  int64 // the Bevatel contact id recorded on the customer, 0 if none
	CreatedAt  time.Time
}

// Match is the result of Resolve. Key is empty when nothing matched;
// Customers holds more than one entry when the key that matched is shared
// by several customers (the panel then lists them and picks none).
type Match struct {
	Key       MatchKey
	Customers []Customer
}

// Order statuses.
const (
	OrderPending   = "pending"
	OrderPaid      = "paid"
	OrderShipped   = "shipped"
	OrderDelivered = "delivered"
	OrderCancelled = "cancelled"
	OrderRefunded  = "refunded"
)

// OrderStatuses lists every valid order status: the canonical set every
// source maps its own statuses onto (records.go adds the live-data ones).
var OrderStatuses = []string{
	OrderPending, OrderPaid, OrderShipped, OrderDelivered, OrderCancelled, OrderRefunded,
	OrderOnHold, OrderPartiallyRefunded, OrderReturned,
}

// Order is one order. Orders and Summary fill the list's fields: all but
// ExternalID, AdminURL, CustomerURL, ShippingAddress and UpdatedAt, which
// OrderDetail adds.
type Order struct {
	ID         int64
	Number     string // the number the customer sees and quotes
	CustomerID int64
	Status     string // canonical: one of OrderStatuses
	Total      Money
	ItemCount  int // the sum of the items' quantities
	PlacedAt   time.Time

	PlatformStatus  string // the platform's own label ("" when none), often the merchant's words
	PaymentStatus   string // one of OrderPaymentStatuses, or "" when the source did not say
	Source          string // one of the Source constants; "" for rows older than sources
	ExternalID      string // the platform's internal id, "" if none
	AdminURL        string // the order in the shop's admin, "" if unknown
	CustomerURL     string // the order page the customer sees, "" if unknown
	ShippingAddress Address
	UpdatedAt       time.Time // when the source last changed it; zero if it never said
	// Tracking is the order's newest shipment, the one an agent is asked
	// about; zero when it has none. OrderDetail lists them all.
	Tracking Tracking
}

// Tracking is what the order list shows of an order's newest shipment.
type Tracking struct {
	Status  string // one of ShipmentStatuses; "" when the order has no shipment
	Carrier string
	Number  string
	URL     string // http(s), "" if unknown
}

// Empty reports whether the address holds nothing.
func (a Address) Empty() bool { return a == Address{} }

// Item is one line of an order, in the order's currency.
type Item struct {
	ID        int64
	SKU       string
	Name      string
	Quantity  int
	UnitPrice Money
	LineTotal Money
}

// Shipment is one parcel of an order.
type Shipment struct {
	ID             int64
	Ref            string
	OrderID        int64
	Carrier        string
	TrackingNumber string
	TrackingURL    string    // http(s), "" if unknown
	Status         string    // one of ShipmentStatuses
	StatusAt       time.Time // zero if unknown
	Source         string
	UpdatedAt      time.Time
}

// OrderDetail is one order with everything an agent opens it for.
type OrderDetail struct {
	Order     Order
	Items     []Item     // in the order the source listed them
	Shipments []Shipment // oldest first
	Payments  []Payment  // charges and refunds of the order, oldest first
}

// Payment kinds and statuses.
const (
	KindCharge       = "charge"
	KindRefund       = "refund"
	PaymentSucceeded = "succeeded"
	PaymentFailed    = "failed"
	PaymentPending   = "pending"
)

type Payment struct {
	ID          int64
	Ref         string
	CustomerID  int64
	OrderNumber string // empty when the payment is not linked to an order
	Kind        string // KindCharge or KindRefund
	Method      string // "card", "apple_pay", "mada", "bank_transfer", ...
	CardBrand   string
	CardLast4   string
	Status      string
	Amount      Money
	CreatedAt   time.Time
}

// Summary is the at-a-glance history of one customer. Its newest order is
// not in it: that is the first of Orders' first page, which the panel
// reads anyway.
type Summary struct {
	// LifetimeSpend is succeeded charges minus succeeded refunds, one entry
	// per currency, sorted by currency code.
	LifetimeSpend  []Money
	OrderCount     int
	RefundCount    int
	Refunded       []Money // succeeded refunds per currency, sorted by currency code
	FailedPayments int
}

// OrderPage and PaymentPage are keyset pages, newest first. Next is the
// cursor of the following page, opaque to callers; it is empty when there
// is nothing more, and otherwise always leads to at least one more row.
type OrderPage struct {
	Orders []Order
	Next   string
}

type PaymentPage struct {
	Payments []Payment
	Next     string
}

// ErrBadCursor is wrapped by stores when a pagination cursor cannot be
// decoded: the caller sent it, so it is the caller's error (HTTP 400).
var ErrBadCursor = errors.New("bad pagination cursor")
