package handlers

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"dashapp/db/shop"
	"dashapp/handlers/appcontext"
	"dashapp/handlers/session"
	"dashapp/views"
)

// The mention scan's bounds: the newest mentionTexts message contents are
// decoded (appcontext.Limits.MaxTexts), and at most mentionCandidates
// tokens from the conversation's attributes, then those messages newest
// first, go to the store in one query (db.MaxMentionNumbers).
const (
	mentionTexts      = 20
	mentionCandidates = 10
	// An order number is 3 to 40 characters of letters, digits, '-', '_'
	// and '/', with at least one digit; a leading '#' is not part of it.
	minOrderToken, maxOrderToken = 3, 40
)

// mentionCandidates lists the tokens of conv that could be order numbers:
// its custom attributes' values first (order_number is the common one),
// then its messages, newest first; each once, at most mentionCandidates.
func orderCandidates(conv appcontext.Conversation) []string {
	var out []string // at most mentionCandidates: a list is the cheapest set
	scan := func(text string) bool {
		// Order characters are ASCII, and no byte of a multi-byte UTF-8
		// character is ASCII: the runs can be found byte by byte.
		for i := 0; i < len(text); {
			if !isOrderByte(text[i]) {
				i++
				continue
			}
			end := i + 1
			for end < len(text) && isOrderByte(text[end]) {
				end++
			}
			run := text[i:end]
			i = end
			if !containsDigit(run) { // most runs are words, and trimming takes no digit away
				continue
			}
			tok := strings.Trim(strings.TrimLeft(run, "#"), "-_/")
			if len(tok) < minOrderToken || len(tok) > maxOrderToken || slices.Contains(out, tok) {
				continue
			}
			out = append(out, tok)
			if len(out) == mentionCandidates {
				return false
			}
		}
		return true
	}
	for _, a := range conv.CustomAttributes {
		if !scan(a.Value) {
			return out
		}
	}
	for i := len(conv.Texts) - 1; i >= 0; i-- {
		if !scan(conv.Texts[i]) {
			return out
		}
	}
	return out
}

// containsDigit is strings.ContainsAny(s, "0123456789") without the set
// that ContainsAny builds on every call: the scan asks for every word.
func containsDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

func isOrderByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_' || b == '/' || b == '#'
}

// mentions finds the orders the conversation mentions and links each: the
// matched customer's own to its detail, another's to that customer's
// panel. With no searcher (a store that cannot look orders up) there are
// none.
func (l lists) mentions(c *fiber.Ctx, conv appcontext.Conversation, contactID int64, matched *views.CustomerCard, lang string) (views.Mentions, error) {
	m := views.Mentions{Lang: lang}
	candidates := orderCandidates(conv)
	if l.search == nil || len(candidates) == 0 {
		return m, nil
	}
	found, err := l.search.MentionedOrders(c.UserContext(), candidates)
	if err != nil {
		return m, fmt.Errorf("orders mentioned in conversation %d: %w", conv.ID, err)
	}
	for _, o := range found {
		v := views.MentionedOrder{Number: o.Number, Status: o.Status, CustomerName: o.CustomerName, CustomerRef: o.CustomerRef}
		if matched != nil && matched.ID == o.CustomerID {
			v.Own = true
			v.DetailURL = l.orderDetailURL(c, o, lang)
		} else {
			v.OpenURL = l.chosenURL(c, o.CustomerID, lang)
			v.Link = l.actions.linkFor(c, conv.AccountID, conv.ID, contactID, o.CustomerID)
		}
		m.Orders = append(m.Orders, v)
	}
	return m, nil
}

// orderDetailURL is the order detail route (issue 12, item 2, built
// beside this): GET /customers/{customer}/orders/{order} with the
// customer's grant.
func (l lists) orderDetailURL(c *fiber.Ctx, o shop.MentionedOrder, lang string) string {
	return fmt.Sprintf("/customers/%d/orders/%d?%s", o.CustomerID, o.OrderID, l.grantQuery(c, o.CustomerID, lang).Encode())
}

// chosenURL is a customer's own panel (GET /customers/{id}/panel), with
// the session's grant for that customer.
func (l lists) chosenURL(c *fiber.Ctx, customerID int64, lang string) string {
	return fmt.Sprintf("/customers/%d/panel?%s", customerID, l.grantQuery(c, customerID, lang).Encode())
}

func (l lists) grantQuery(c *fiber.Ctx, customerID int64, lang string) url.Values {
	q := url.Values{"lang": {lang}, "tz": {views.TimeZone(c.UserContext()).String()}}
	if l.auth != nil {
		q.Set("grant", l.auth.Grant(session.Of(c), customerID))
	}
	return q
}
