package shop

// MentionedOrder is an order whose number a conversation mentions, with
// the customer it belongs to: enough to show "#A1001 (shipped)" and
// "belongs to Noor Haddad" without reading the order's detail.
type MentionedOrder struct {
	OrderID      int64
	Number       string
	Status       string
	CustomerID   int64
	CustomerName string
	CustomerRef  string
}
