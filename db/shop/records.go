package shop

import (
	"errors"
	"fmt"
	"time"
)

// Sources: where a record came from. Stored with every row that a source
// writes, so that the panel can say where the data came from and the
// status page can count deliveries per source.
const (
	SourceCSV         = "csv"
	SourceAPI         = "api" // POST /ingest
	SourceShopify     = "shopify"
	SourceWooCommerce = "woocommerce"
	SourceSalla       = "salla"
	SourceZid         = "zid"
	SourceDemo        = "demo"
)

// Order statuses added for live shop data; OrderStatuses lists them all.
const (
	OrderOnHold            = "on_hold"
	OrderPartiallyRefunded = "partially_refunded"
	OrderReturned          = "returned"
)

// Payment status of an order as a whole, as shop platforms report it. ""
// means the platform did not say.
const (
	OrderPaymentPending           = "pending"
	OrderPaymentPaid              = "paid"
	OrderPaymentPartiallyPaid     = "partially_paid"
	OrderPaymentRefunded          = "refunded"
	OrderPaymentPartiallyRefunded = "partially_refunded"
	OrderPaymentVoided            = "voided"
	OrderPaymentFailed            = "failed"
)

// OrderPaymentStatuses lists every valid order payment status but "".
var OrderPaymentStatuses = []string{
	OrderPaymentPending, OrderPaymentPaid, OrderPaymentPartiallyPaid, OrderPaymentRefunded,
	OrderPaymentPartiallyRefunded, OrderPaymentVoided, OrderPaymentFailed,
}

// Shipment statuses.
const (
	ShipmentLabelCreated   = "label_created"
	ShipmentInTransit      = "in_transit"
	ShipmentOutForDelivery = "out_for_delivery"
	ShipmentDelivered      = "delivered"
	ShipmentFailed         = "failed" // a failed delivery attempt
	ShipmentReturned       = "returned"
	ShipmentCancelled      = "cancelled"
)

// ShipmentStatuses lists every valid shipment status.
var ShipmentStatuses = []string{
	ShipmentLabelCreated, ShipmentInTransit, ShipmentOutForDelivery, ShipmentDelivered,
	ShipmentFailed, ShipmentReturned, ShipmentCancelled,
}

// Batch is what one source delivers in one go: a webhook delivery, an
// /ingest request or a CSV import. A store applies a whole batch in one
// transaction or none of it.
type Batch struct {
	Customers []CustomerRecord
	Orders    []OrderRecord
	Payments  []PaymentRecord
	Shipments []ShipmentRecord
	// Sent, when set, holds each record's position in the request, for
	// RecordError.Index: one entry per record, counting the customers,
	// then the orders, the payments and the shipments. Without it a
	// RecordError's Index counts in that same order.
	Sent []int
}

// Record kinds, as RecordError names them.
const (
	RecordCustomer = "customer"
	RecordOrder    = "order"
	RecordPayment  = "payment"
	RecordShipment = "shipment"
)

// Len is the number of records in the batch, nested ones not counted.
func (b Batch) Len() int {
	return len(b.Customers) + len(b.Orders) + len(b.Payments) + len(b.Shipments)
}

// CustomerRecord is a customer as a source sends it. Ref is the key that
// upserts it. A platform's customers use "<source>:<platform id>"; a guest
// checkout, which has no platform id, uses GuestRef ("<source>:guest:<email>"
// or "<source>:guest:<phone>", normalised) so that the same guest is one
// customer. A record with neither Ref nor ExternalID is a guest: the store
// gives it its GuestRef. Empty Name, Email, Phone, Identifier and ContactID
// leave the stored values as they are: a webhook that does not carry the
// phone does not erase it.
type CustomerRecord struct {
	Ref        string
	Source     string
	ExternalID string // the platform's own id, "" for guests and CSV
	Name       string
	Email      string // as sent; the store normalises it
	Phone      string // as sent; the store normalises it
	Identifier string
	ContactID  int64 // Bevatel contact id, 0 if none
	// UpdatedAt is when the source last changed the record. A record older
	// than the stored row changes nothing; zero always applies.
	UpdatedAt time.Time
}

// GuestRef is the Ref of a guest customer of source: by email when there is
// one, else by phone, both normalised, so that "Guest@Example.com" and
// "guest@example.com" are one customer. "" when there is neither.
func GuestRef(source, email, phone string) string {
	if e := NormalizeEmail(email); e != "" {
		return source + ":guest:" + e
	}
	if p := NormalizePhone(phone); p != "" {
		return source + ":guest:" + p
	}
	return ""
}

// Address is a shipping address, flattened to what an agent reads out.
type Address struct {
	Name    string
	Phone   string
	City    string
	Country string // as the platform sends it: ISO code or name
	Line    string // the rest: street, district, building, postcode
}

// OrderRecord is an order as a source sends it. Number is the number the
// customer sees and quotes (Shopify's name, Salla's reference_id, Zid's
// code, WooCommerce's number); ExternalID is the platform's internal id.
type OrderRecord struct {
	Number     string
	Source     string
	ExternalID string
	// CustomerRef names the order's customer. Customer, when set, is
	// upserted first (webhook orders carry their customer); its Ref must
	// then equal CustomerRef.
	CustomerRef     string
	Customer        *CustomerRecord
	Status          string // canonical: one of OrderStatuses
	PlatformStatus  string // the platform's own label, often a merchant's own words
	PaymentStatus   string // one of OrderPaymentStatuses, or ""
	Total           Money
	PlacedAt        time.Time
	UpdatedAt       time.Time // see CustomerRecord.UpdatedAt
	ShippingAddress *Address  // nil: none known
	AdminURL        string    // the order in the shop's admin, "" if unknown
	CustomerURL     string    // the order page the customer sees, "" if unknown
	// Items replace the order's stored items when non-nil; nil leaves the
	// stored items as they are (an event that does not carry them).
	Items []ItemRecord
	// Shipments are upserted with the order (by their Ref).
	Shipments []ShipmentRecord
}

// ItemRecord is one line of an order. Amounts are in the order's currency.
type ItemRecord struct {
	SKU       string
	Name      string
	Quantity  int
	UnitPrice Money
	LineTotal Money
}

// PaymentRecord is a charge or refund as a source sends it. It names its
// order by Number, or by the platform's ExternalID of the order
// (OrderExternalID, with Source) when the platform sends only that.
type PaymentRecord struct {
	Ref             string
	Source          string
	CustomerRef     string
	OrderNumber     string
	OrderExternalID string
	Kind            string // KindCharge or KindRefund
	Method          string
	CardBrand       string
	CardLast4       string
	Status          string // PaymentSucceeded, PaymentFailed or PaymentPending
	Amount          Money
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// ShipmentRecord is one parcel of an order. Ref upserts it: the platform's
// fulfilment or shipment id ("<source>:<id>"), or the tracking number.
type ShipmentRecord struct {
	Ref             string
	Source          string
	OrderNumber     string
	OrderExternalID string
	Carrier         string
	TrackingNumber  string
	TrackingURL     string
	Status          string    // one of ShipmentStatuses
	StatusAt        time.Time // when the shipment reached Status
	UpdatedAt       time.Time
}

// Delivery identifies one webhook delivery, for deduplication and the
// status page. ID is the platform's delivery id (X-Shopify-Webhook-Id,
// X-WC-Webhook-Delivery-ID, …); "" when the platform sends none, and then
// the delivery is not deduplicated.
type Delivery struct {
	Source string
	ID     string
	Topic  string
}

// IngestResult says what applying a batch did.
type IngestResult struct {
	Duplicate bool // the delivery was seen before; nothing was written
	Applied   int  // records written
	Stale     int  // records older than the stored row, left alone
}

// RecordError is a bad record in a batch: the store writes nothing of the
// batch and says which record and field were wrong. Index counts the
// records of the request in the order they were sent, from 0.
type RecordError struct {
	Index int
	Kind  string // RecordCustomer, RecordOrder, RecordPayment or RecordShipment
	// Field names the field in snake case; a nested record's field is
	// prefixed with its place: "customer.email", "items[2].quantity",
	// "shipments[0].tracking_url".
	Field string
	Err   error
}

func (e *RecordError) Error() string {
	if e.Kind == "" { // a decoder that failed before it knew the record's type
		return fmt.Sprintf("record %d, field %q: %v", e.Index, e.Field, e.Err)
	}
	return fmt.Sprintf("record %d (%s), field %q: %v", e.Index, e.Kind, e.Field, e.Err)
}

func (e *RecordError) Unwrap() error { return e.Err }

// ErrNotFound is wrapped when a record names a customer or an order that
// does not exist.
var ErrNotFound = errors.New("not found")

// Outcomes of a delivery, as the status page counts them.
const (
	OutcomeAccepted  = "accepted"  // written (some records may have been stale)
	OutcomeDuplicate = "duplicate" // seen before: acknowledged, nothing written
	OutcomeIgnored   = "ignored"   // a topic dashapp does not handle: acknowledged, nothing written
	OutcomeRefused   = "refused"   // bad signature or credentials: 401
	OutcomeMalformed = "malformed" // signed, but the body could not be read: 400
	OutcomeFailed    = "failed"    // the store failed: 5xx, the platform retries
)

// DeliveryLog is one line of a source's delivery history: ids, topic and
// outcome only, never the body (it holds customers' personal data).
type DeliveryLog struct {
	Source     string
	DeliveryID string
	Topic      string
	Outcome    string // one of the Outcome constants
	Reason     string // why it was refused, malformed or failed; "" otherwise
	Records    int    // records applied
	At         time.Time
}

// SourceStatus is what an operator sees of one source on GET /status and
// in `dashapp status`.
type SourceStatus struct {
	Source       string
	Counts       map[string]int // deliveries per outcome
	LastAccepted *DeliveryLog   // nil: none yet
	LastRefused  *DeliveryLog   // the last refused, malformed or failed delivery; nil: none
}
