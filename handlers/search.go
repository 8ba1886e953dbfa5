package handlers

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"dashapp/db/shop"
	"dashapp/handlers/appcontext"
	"dashapp/handlers/ratelimit"
	"dashapp/handlers/session"
	"dashapp/handlers/web"
	"dashapp/views"
)

// CustomerSearcher is what the customer search and the mention scan read.
// The SQLite store implements it; a store without it (db/memstore) gets
// neither, and the panel shows no search field.
type CustomerSearcher interface {
	// SearchCustomers finds up to limit customers for an agent's query:
	// order number, customer ref, identifier, email, phone, name prefix.
	SearchCustomers(ctx context.Context, query string, limit int) ([]shop.Customer, error)
	// CustomerByID is one customer; ok is false when there is none.
	CustomerByID(ctx context.Context, id int64) (shop.Customer, bool, error)
	// MentionedOrders are the orders among numbers that exist, in order.
	MentionedOrders(ctx context.Context, numbers []string) ([]shop.MentionedOrder, error)
}

// searcherOf is store's searcher, or nil.
func searcherOf(store CustomerStore) CustomerSearcher {
	s, _ := store.(CustomerSearcher)
	return s
}

// searchLimit is how many customers a search shows; one more is read, to
// say "more match, refine" instead of cutting silently.
const searchLimit = 10

const maxSearchRunes = 100 // views.maxSearchLength

// finding is what the panel gains from the search and the mention scan:
// rendered above it, outside #customer-panel, so that opening a chosen
// customer's panel (which replaces #customer-panel) keeps both.
func finding(c *fiber.Ctx, l lists, data appcontext.Context, panel views.Panel) (templ.Component, error) {
	if l.search == nil {
		return templ.NopComponent, nil
	}
	conv := data.Conversation
	contact, _ := data.Customer()
	mentions, err := l.mentions(c, conv, contact.ID, panel.Customer, panel.Lang)
	if err != nil {
		return nil, err
	}
	box := views.SearchBox{
		Lang: panel.Lang, URL: "/search", Conversation: strconv.FormatInt(conv.ID, 10),
		Account: strconv.FormatInt(conv.AccountID, 10), Contact: strconv.FormatInt(contact.ID, 10),
		TimeZone: views.TimeZone(c.UserContext()).String(),
		Prompt:   panel.Customer == nil,
	}
	if l.auth != nil {
		box.Grant = l.auth.SearchGrant(session.Of(c), conv.AccountID, conv.ID, contact.ID)
	}
	return templ.Join(views.SearchBoxView(box), views.MentionsView(mentions)), nil
}

// searchCustomers answers the search field: GET /search?q=&conv=&grant=.
// With access keys the grant must be the one the panel of conv was shown
// with, so that (with verified context) every search is on behalf of a
// conversation the host confirmed.
func searchCustomers(l lists) fiber.Handler {
	return func(c *fiber.Ctx) error {
		// The ids the panel's search form was granted for (0 when absent).
		id := func(name string) int64 {
			n, _ := strconv.ParseInt(c.Query(name), 10, 64)
			return n
		}
		account, conv, contact := id("account"), id("conv"), id("contact")
		if l.auth != nil && !l.auth.SearchGranted(session.Of(c), account, conv, contact, c.Query("grant")) {
			return session.ErrNotGranted
		}
		useTimeZone(c, appcontext.Contact{})
		lang := web.Lang(c)
		q := strings.TrimSpace(c.Query("q"))
		if utf8.RuneCountInString(q) > maxSearchRunes {
			return web.Problem(fiber.StatusBadRequest, "problem.bad_search")
		}
		res := views.SearchResults{Lang: lang, Query: q}
		if utf8.RuneCountInString(q) < 2 {
			res.TooShort = true
			return web.Render(c, views.SearchResultsView(res))
		}
		found, err := l.search.SearchCustomers(c.UserContext(), q, searchLimit+1)
		if err != nil {
			return fmt.Errorf("search: %w", err)
		}
		if len(found) > searchLimit {
			found, res.More = found[:searchLimit], true
		}
		for _, cust := range found {
			res.Results = append(res.Results, views.SearchResult{
				Customer: customerCard(cust), OpenURL: l.chosenURL(c, cust.ID, lang),
				Link: l.actions.linkFor(c, account, conv, contact, cust.ID),
			})
		}
		return web.Render(c, views.SearchResultsView(res))
	}
}

// chosenPanel is the panel of one customer the agent chose: GET
// /customers/:id/panel with the grant of a search result, a candidate or
// a mentioned order.
func chosenPanel(l lists) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := grantedCustomer(c, l.auth)
		if err != nil {
			return err
		}
		useTimeZone(c, appcontext.Contact{})
		lang := web.Lang(c)
		ctx := c.UserContext()
		customer, ok, err := l.search.CustomerByID(ctx, id)
		if err != nil {
			return err
		}
		if !ok {
			return web.Problem(fiber.StatusNotFound, "problem.customer_gone")
		}
		card := customerCard(customer)
		panel := views.Panel{Lang: lang, Customer: &card}
		if err := l.fillCustomer(c, &panel, id); err != nil {
			return err
		}
		return web.Render(c, views.ChosenPanelView(panel))
	}
}

// searchRate bounds one session's searches: an agent types a few a minute.
var searchRate = ratelimit.Rate{PerSecond: 1, Burst: 10}
