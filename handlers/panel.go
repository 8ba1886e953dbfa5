package handlers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"dashapp/db/shop"
	"dashapp/handlers/appcontext"
	"dashapp/handlers/explorer"
	"dashapp/handlers/htmx"
	"dashapp/handlers/session"
	"dashapp/handlers/web"
	"dashapp/views"
)

// appPage serves the page the dashboard frames: a skeleton and the bridge,
// which waits for the host's appContext. With access keys, the page opens
// only with ?key=… and hands the bridge a fresh session token.
// newPageSession is nil when the explorer is off: the page session only
// scopes the explorer's log.
func appPage(cfg Config, auth *session.Sessions, assets views.Assets, newPageSession func() string, log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		token := ""
		if auth != nil {
			if !auth.ValidKey(c.Query("key")) {
				// The page speaks to the agent; what to configure goes to the log.
				log.WarnContext(c.UserContext(), "app page opened without the right access key: the URL registered in Bevatel (Settings → Integrations → Dashboard apps) must carry ?key= with one of DASHAPP_KEY's keys",
					slog.String("request_id", web.RequestID(c)), slog.Bool("key_given", c.Query("key") != ""))
				return session.ErrKeyRequired
			}
			var err error
			if token, err = auth.Issue(); err != nil {
				return err
			}
		}
		lang := web.Lang(c)
		c.Set(fiber.HeaderCacheControl, "no-store") // it carries a session token
		explorerURL, pageSession := "", ""
		if newPageSession != nil {
			pageSession = newPageSession()
			explorerURL = "/explorer"
		}
		return web.Render(c, views.AppPageView(views.AppPage{
			Lang:   lang,
			Theme:  c.Query("theme"),
			Assets: assets,
			Bridge: views.BridgeConfig{
				FetchInfo:      appcontext.FetchInfoMessage(cfg.Prefix),
				AllowedOrigins: cfg.AllowedOrigins,
				ContextURL:     "/context",
				Lang:           lang,
				Token:          token,
				Dev:            cfg.Dev(),
				Session:        pageSession,
				ExplorerURL:    explorerURL,
			},
			Dev:          cfg.Dev(),
			SimulatorURL: cfg.SimulatorURL,
		}))
	}
}

// recordContext keeps an accepted appContext for the payload explorer; nil
// when the explorer is off.
type recordContext func(c *fiber.Ctx, msg *appcontext.Message)

// showContext turns the host's appContext message into the customer panel.
// A context that repeats the last one (versions) answers 204 without a
// panel, after the same checks.
func showContext(lim appcontext.Limits, record recordContext, check checkContext, l lists, versions *panelVersions, now func() time.Time) fiber.Handler {
	// The panel shows no chat messages: skipping them (still validated,
	// still counted) is about half of decoding the host's message. The
	// explorer reads msg.Raw, not the decoded messages.
	lim.MaxMessages = 0
	if l.search != nil {
		lim.MaxTexts = mentionTexts // the newest contents, for the order numbers they mention (mentions.go)
	}
	return func(c *fiber.Ctx) error {
		ids, sent, stamp, same := versions.unchanged(c)
		if same {
			if done, err := unchangedPanel(c, record, check, ids); done || err != nil {
				return err
			}
			record = nil // recorded already
		}
		msg, err := appcontext.Decode(c.Body(), lim)
		if err != nil {
			return web.Problem(fiber.StatusBadRequest, "problem.bad_message", err.Error()).Retryable()
		}
		if record != nil {
			record(c, msg) // before verification: the explorer shows what arrived
		}
		warning, err := check(c, msg.Data)
		if err != nil {
			return err
		}
		contact, _ := msg.Data.Customer()
		useTimeZone(c, contact)
		panel, err := buildPanel(c, l, msg.Data, now())
		if err != nil {
			return err
		}
		var warned bytes.Buffer
		if err := warning.Render(c.UserContext(), &warned); err != nil {
			return fmt.Errorf("render the verification warning: %w", err)
		}
		found, err := finding(c, l, msg.Data, panel) // search.go
		if err != nil {
			return err
		}
		if err := web.Render(c, templ.Join(warning, found, views.ActionContext(panel.Actions), views.PanelView(panel))); err != nil {
			return err
		}
		content := versions.content(c.Response().Body())
		if warned.Len() > 0 {
			return nil // an unverified panel is never "unchanged": it carries no version
		}
		c.Set(HeaderVersion, versions.issue(stamp, msg.Data, content))
		if content == sent.content {
			// Rendered, but the same as what the bridge shows.
			c.Response().ResetBody()
			return c.SendStatus(fiber.StatusNoContent)
		}
		return nil
	}
}

// unchangedPanel answers a context whose version vouches for the panel
// the bridge shows: the explorer records it and verification runs on its
// ids, as for any context; done is false when the panel must be rendered
// after all (verification now warns).
func unchangedPanel(c *fiber.Ctx, record recordContext, check checkContext, data appcontext.Context) (done bool, err error) {
	// Only a page session's context is recorded: without one, no copy.
	if record != nil && c.Get(explorer.HeaderSession) != "" {
		msg, err := appcontext.RawOf(c.Body())
		if err != nil {
			return false, nil // cannot be: Decode accepted this body
		}
		record(c, msg)
	}
	warning, err := check(c, data)
	if err != nil {
		return true, err
	}
	var warned bytes.Buffer
	if err := warning.Render(c.UserContext(), &warned); err != nil || warned.Len() > 0 {
		return false, nil
	}
	c.Set(HeaderVersion, c.Get(HeaderVersion))
	return true, c.SendStatus(fiber.StatusNoContent)
}

func buildPanel(c *fiber.Ctx, l lists, data appcontext.Context, fetchedAt time.Time) (views.Panel, error) {
	ctx := c.UserContext()
	lang := web.Lang(c)
	contact, fromSender := data.Customer()
	identity := data.Identity()
	// The link attribute counts only when dashapp signed it for this contact.
	identity.CustomerRef = l.auth.LinkedRef(identity.ContactID, identity.CustomerRef)
	panel := views.Panel{
		Lang:      lang,
		Contact:   contactCard(contact, fromSender),
		Searched:  searchedKeys(identity),
		FetchedAt: fetchedAt,
	}
	match, err := shop.Resolve(ctx, l.store, identity)
	if err != nil {
		return panel, fmt.Errorf("match contact: %w", err)
	}
	panel.MatchedBy = string(match.Key)
	if len(match.Customers) > 1 {
		for _, cust := range match.Customers {
			card := customerCard(cust)
			if l.search != nil {
				card.OpenURL = l.chosenURL(c, cust.ID, lang)
			}
			panel.Candidates = append(panel.Candidates, card)
		}
		panel.Actions = l.actions.view(c, data, panel, match.Customers, 0, false)
		return panel, nil
	}
	if len(match.Customers) == 0 {
		// Nobody to link yet, but a customer the agent finds by search can be.
		panel.Actions = l.actions.view(c, data, panel, nil, 0, false)
		return panel, nil
	}
	customer := match.Customers[0]
	card := customerCard(customer)
	panel.Customer = &card
	// Linked: matched by a link dashapp made (the local one, or the signed attribute).
	linked := match.Key == shop.KeyContactID || (match.Key == shop.KeyCustomerRef && identity.CustomerRef != "")
	panel.Actions = l.actions.view(c, data, panel, nil, customer.ID, linked)
	return panel, l.fillCustomer(c, &panel, customer.ID)
}

// lists reads the keyset pages of a customer's tables (orders, payments)
// and links the page after each.
type lists struct {
	store    CustomerStore
	auth     *session.Sessions // nil in development: links carry no grant
	pageSize int
	search   CustomerSearcher // nil: no search field, no mentions (search.go)
	details  bool             // the store has OrderDetail: each order row opens its detail
	actions  *panelActions    // nil: no action buttons
}

// fillCustomer reads a customer's summary and first page of orders into
// panel, and links its first page of payments, which loads when the agent
// opens their section.
func (l lists) fillCustomer(c *fiber.Ctx, panel *views.Panel, customerID int64) error {
	summary, err := l.store.Summary(c.UserContext(), customerID)
	if err != nil {
		return err // the store's error names the customer
	}
	if panel.Orders, err = l.orders(c, customerID, "", panel.Lang); err != nil {
		return err
	}
	panel.Summary = summaryView(summary, panel.Orders)
	panel.PaymentsURL = l.pageURL(c, "payments", customerID, "", panel.Lang)
	return nil
}

func (l lists) orders(c *fiber.Ctx, customerID int64, cursor, lang string) (views.List[views.OrderRow], error) {
	list, err := listPage(c, l, "orders", customerID, lang, func(ctx context.Context) ([]shop.Order, string, error) {
		page, err := l.store.Orders(ctx, customerID, cursor, l.pageSize)
		return page.Orders, page.Next, err
	}, orderRow)
	l.linkDetails(c, customerID, lang, list.Rows)
	return list, err
}

func (l lists) payments(c *fiber.Ctx, customerID int64, cursor, lang string) (views.List[views.PaymentRow], error) {
	return listPage(c, l, "payments", customerID, lang, func(ctx context.Context) ([]shop.Payment, string, error) {
		page, err := l.store.Payments(ctx, customerID, cursor, l.pageSize)
		return page.Payments, page.Next, err
	}, paymentRow)
}

// listPage is every table's page: read one keyset page of table's rows,
// map each onto its view row, and link the next page, if any.
func listPage[R, V any](c *fiber.Ctx, l lists, table string, customerID int64, lang string,
	read func(context.Context) ([]R, string, error), view func(R) V) (views.List[V], error) {
	rows, next, err := read(c.UserContext())
	if err != nil {
		if errors.Is(err, shop.ErrBadCursor) {
			return views.List[V]{}, web.Problem(fiber.StatusBadRequest, "problem.bad_cursor")
		}
		return views.List[V]{}, fmt.Errorf("%s of customer %d: %w", table, customerID, err)
	}
	list := views.List[V]{MoreURL: l.moreURL(c, table, customerID, next, lang), Rows: make([]V, 0, len(rows))}
	for _, r := range rows {
		list.Rows = append(list.Rows, view(r))
	}
	return list, nil
}

// moreURL links the next page; "" when there is none.
func (l lists) moreURL(c *fiber.Ctx, table string, customerID int64, next, lang string) string {
	if next == "" {
		return ""
	}
	return l.pageURL(c, table, customerID, next, lang)
}

// pageURL links the page of table after the cursor after (the first page
// for ""), with the customer's grantQuery.
func (l lists) pageURL(c *fiber.Ctx, table string, customerID int64, after, lang string) string {
	q := l.grantQuery(c, customerID, lang)
	if after != "" {
		q.Set("after", after)
	}
	return fmt.Sprintf("/customers/%d/%s?%s", customerID, table, q.Encode())
}

// loadMore serves the page after ?after= of a customer's table (the first
// page without it): page reads it and renders its rows. A failure from
// htmx becomes a row of the table.
func loadMore(l lists, log *slog.Logger, table string, page func(c *fiber.Ctx, customerID int64, cursor, lang string) (templ.Component, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := grantedCustomer(c, l.auth)
		if err != nil {
			return loadMoreFailed(c, log, table, err)
		}
		useTimeZone(c, appcontext.Contact{}) // ?tz= is the panel's zone
		rows, err := page(c, id, c.Query("after"), web.Lang(c))
		if err != nil {
			return loadMoreFailed(c, log, table, err)
		}
		return web.Render(c, rows)
	}
}

func moreOrders(l lists, log *slog.Logger) fiber.Handler {
	return loadMore(l, log, "orders", func(c *fiber.Ctx, id int64, cursor, lang string) (templ.Component, error) {
		list, err := l.orders(c, id, cursor, lang)
		return views.OrderRows(lang, list), err
	})
}

func morePayments(l lists, log *slog.Logger) fiber.Handler {
	return loadMore(l, log, "payments", func(c *fiber.Ctx, id int64, cursor, lang string) (templ.Component, error) {
		list, err := l.payments(c, id, cursor, lang)
		return views.PaymentRows(lang, list), err
	})
}

// loadMoreFailed answers a failed "load more" from htmx with a table row in
// place of the button's row: htmx 4 swaps error responses too, and a
// <section> where a <tr> was would fall out of the table. Other clients get
// the central error page.
func loadMoreFailed(c *fiber.Ctx, log *slog.Logger, table string, err error) error {
	if !htmx.IsRequest(c) {
		return err
	}
	p := problemFor(c, log, err)
	c.Status(p.Status)
	return web.Render(c, views.MoreRowProblem(p, table, c.OriginalURL()))
}

// grantedCustomer reads the customer id of a load-more link and, with access
// keys, checks that the link was issued to this session for that customer.
func grantedCustomer(c *fiber.Ctx, auth *session.Sessions) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, web.Problem(fiber.StatusBadRequest, "problem.bad_customer")
	}
	if auth != nil && !auth.Granted(session.Of(c), id, c.Query("grant")) {
		return 0, session.ErrNotGranted
	}
	return id, nil
}
