package views

// SearchBox is the panel's customer search field: it sits above the panel
// in every state, and speaks up when matching found nobody or several.
type SearchBox struct {
	Lang         string
	URL          string // the search route, "/search"
	Conversation string // the conversation the search is on behalf of
	Account      string // its account, for a result's "Link" grant
	Contact      string // the contact a result would be linked to
	Grant        string // the session's grant for that conversation; "" in development
	TimeZone     string
	Prompt       bool // matching failed: say what the search finds
}

// SearchResults answers one search.
type SearchResults struct {
	Lang     string
	Query    string
	Results  []SearchResult
	More     bool // more customers matched than are shown: refine
	TooShort bool // the query was too short to search
}

// SearchResult is one customer a search found.
type SearchResult struct {
	Customer CustomerCard
	OpenURL  string // the customer's panel
	// Link is the "this is the customer" action for the contact the
	// search was made for; nil hides it (no actions, or development).
	Link *CandidateAction
}

// MentionedOrder is an order number the conversation mentions that the
// shop knows.
type MentionedOrder struct {
	Number       string
	Status       string
	CustomerName string
	CustomerRef  string
	// Own is true when the order is the matched customer's: then DetailURL
	// opens its detail. Otherwise OpenURL opens its customer's panel.
	Own       bool
	DetailURL string
	OpenURL   string
	// Link says "this is the customer" for the contact when the order is
	// another customer's; nil without actions.
	Link *CandidateAction
}

// Mentions is the "Mentioned in this conversation" line above the panel.
type Mentions struct {
	Lang   string
	Orders []MentionedOrder
}
