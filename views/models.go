package views

import (
	"time"

	"dashapp/db/shop"
)

// View models: flat structs that handlers fill and components read.
// Components never see database rows or the raw host payload.

// Assets holds the fingerprinted URLs of the static files.
type Assets struct {
	CSS      string
	HTMX     string
	Bridge   string
	Explorer string // static/js/explorer.js; "" when the explorer is off
}

// BridgeConfig is handed to static/bridge.js as a JSON data block.
type BridgeConfig struct {
	FetchInfo      string   `json:"fetchInfo"`      // the message that asks the host for the context again
	AllowedOrigins []string `json:"allowedOrigins"` // dashboard origins whose messages are accepted
	ContextURL     string   `json:"contextURL"`     // where the bridge POSTs the host's message
	Lang           string   `json:"lang"`
	Token          string   `json:"token,omitempty"` // short-lived session token, sent as a header
	Dev            bool     `json:"dev"`
	Session        string   `json:"session,omitempty"`     // page session id, sent as a header: scopes the explorer's log
	ExplorerURL    string   `json:"explorerURL,omitempty"` // "" when the explorer is off
}

// AppPage is the page the dashboard frames.
type AppPage struct {
	Lang         string // "en" or "ar"
	Theme        string // as asked (?theme=); the page shows "dark" or else light, and the bridge follows later re-sends
	Assets       Assets
	Bridge       BridgeConfig
	Dev          bool   // no access key: show the "unauthenticated" banner
	SimulatorURL string // set in development: the waiting state links to it
}

// Panel is the customer panel fragment swapped in after each appContext.
type Panel struct {
	Lang       string
	Contact    ContactCard
	Searched   []SearchedKey  // what the match tried, in order
	MatchedBy  string         // shop.MatchKey that matched; "" when nothing did
	Customer   *CustomerCard  // nil unless exactly one customer matched
	Candidates []CustomerCard // more than one customer matched MatchedBy
	Summary    Summary
	Orders     OrderList
	// PaymentsURL is the first page of payments (GET
	// /customers/{id}/payments): their section starts closed, and loads
	// it when opened.
	PaymentsURL string
	FetchedAt   time.Time
	Actions     *ActionsView // nil: no action buttons (DASHAPP_ACTIONS=off)
}

// ContactCard is the Bevatel contact as the host described it.
type ContactCard struct {
	ContactID    int64
	Name         string
	Email        string
	Phone        string
	Identifier   string
	Company      string
	ThumbnailURL string // only http(s) URLs; "" otherwise
	Social       []Link // only http(s) URLs
	Attributes   []Attribute
	FromSender   bool // contact was empty; conversation.meta.sender was used
}

type Link struct {
	Label string
	URL   string
}

type Attribute struct {
	Key   string
	Value string
}

// SearchedKey is one identity key the match tried.
type SearchedKey struct {
	Key   string // shop.MatchKey
	Value string
}

type CustomerCard struct {
	ID         int64
	Ref        string
	Name       string
	Email      string
	Phone      string
	Identifier string
	Since      time.Time
	OpenURL    string // a candidate's own panel (search.templ); "" when it cannot be opened
}

type Summary struct {
	LifetimeSpend  []shop.Money
	OrderCount     int
	LastOrder      *OrderRow
	RefundCount    int
	Refunded       []shop.Money
	FailedPayments int
}

type OrderRow struct {
	ID        int64  // the store's id
	DetailURL string // opens the order's detail (with the session's grant); "" when the store has none
	Number    string
	PlacedAt  time.Time
	Status    string // shop.Order* status
	Items     int
	Total     shop.Money
	// The newest shipment's tracking page, which the row links; "" when
	// the order has no shipment or its URL is unknown.
	TrackingURL     string
	TrackingCarrier string
	TrackingNumber  string
}

// List is one page of a table's rows (OrderRow, PaymentRow, ...);
// MoreURL links the next page and is "" on the last one.
type List[R any] struct {
	Rows    []R
	MoreURL string
}

// OrderList and PaymentList are the panel's two tables' pages.
type (
	OrderList   = List[OrderRow]
	PaymentList = List[PaymentRow]
)

type PaymentRow struct {
	Ref         string
	CreatedAt   time.Time
	Kind        string // shop.KindCharge or shop.KindRefund
	Method      string
	CardBrand   string
	CardLast4   string
	Status      string
	Amount      shop.Money
	OrderNumber string
}

// Problem is an error shown to the agent: as a full page, or as a fragment
// in place of the panel.
type Problem struct {
	Lang   string
	Status int
	Title  string
	Detail string
	Retry  bool // offer a "try again" that asks the dashboard for the context
}
