package views

import "time"

// StatusPage is GET /status: for each shop data source, what it delivered
// lately. Every string is either dashapp's own (source names, outcomes) or
// a delivery's topic, id and reason, which carry no customer data.
type StatusPage struct {
	Lang       string
	Stylesheet string
	Sources    []SourceStatus
}

// SourceStatus is one source's row. EnableWith names the variable that
// turns an off source on ("" when it is on).
type SourceStatus struct {
	Source       string // shop.Source constant: shopify, woocommerce, …
	EnableWith   string
	Counts       []OutcomeCount // every outcome, in a fixed order, zeros included
	LastAccepted *DeliveryLine  // nil: none yet
	LastRefused  *DeliveryLine  // the last refused, malformed or failed; nil: none
}

// OutcomeCount is how many deliveries ended one way.
type OutcomeCount struct {
	Outcome string
	Count   int
}

// DeliveryLine is one delivery as the status page shows it.
type DeliveryLine struct {
	At         time.Time
	Topic      string
	DeliveryID string
	Outcome    string
	Reason     string
	Records    int
}
