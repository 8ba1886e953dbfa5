package handlers

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"dashapp/db/shop"
	"dashapp/handlers/appcontext"
	"dashapp/views"
)

// appPage serves the page the dashboard frames: a skeleton and the bridge,
// which waits for the host's appContext. With access keys, the page opens
// only with ?key=… and hands the bridge a fresh session token.
func appPage(deps Deps, auth *sessions) fiber.Handler {
	return func(c *fiber.Ctx) error {
		token := ""
		if auth != nil {
			if !auth.validKey(c.Query("key")) {
				// The page speaks to the agent; what to configure goes here.
				deps.Logger.WarnContext(c.UserContext(), "app page opened without the right access key: the URL registered in Bevatel (Settings → Integrations → Dashboard apps) must carry ?key= with one of DASHAPP_KEY's keys",
					slog.String("request_id", requestIDOf(c)), slog.Bool("key_given", c.Query("key") != ""))
				return errKeyRequired
			}
			var err error
			if token, err = auth.issue(); err != nil {
				return err
			}
		}
		lang := langOf(c)
		c.Set(fiber.HeaderCacheControl, "no-store") // it carries a session token
		assets := assetsOf(deps)
		explorerURL, session := "", ""
		if deps.explorer != nil { // the page session only scopes the explorer's log
			session = newSessionID()
			assets.Explorer = deps.Assets.URL("js/explorer.js")
			explorerURL = "/explorer"
		}
		return render(c, views.AppPageView(views.AppPage{
			Lang:   lang,
			Theme:  themeOf(c.Query("theme")),
			Assets: assets,
			Bridge: views.BridgeConfig{
				FetchInfo:      appcontext.FetchInfoMessage(deps.Config.Prefix),
				AllowedOrigins: deps.Config.AllowedOrigins,
				ContextURL:     "/context",
				Lang:           lang,
				Token:          token,
				Dev:            deps.Config.Dev(),
				Session:        session,
				ExplorerURL:    explorerURL,
			},
			Dev:          deps.Config.Dev(),
			SimulatorURL: deps.Config.SimulatorURL,
		}))
	}
}

func themeOf(s string) string {
	if s == "dark" {
		return "dark"
	}
	return "light"
}

// showContext turns the host's appContext message into the customer panel.
func showContext(deps Deps) fiber.Handler {
	// The panel shows no chat messages: skipping them (still validated,
	// still counted) is about half of decoding the host's message. The
	// explorer reads msg.Raw, not the decoded messages.
	lim := deps.Config.Limits
	lim.MaxMessages = 0
	return func(c *fiber.Ctx) error {
		msg, err := appcontext.Decode(c.Body(), lim)
		if err != nil {
			return problem(fiber.StatusBadRequest, "problem.bad_message", err.Error()).retryable()
		}
		recordContext(c, deps, c.Body(), msg) // before verification: the explorer shows what arrived
		warning, err := verifyContext(c, deps, msg.Data)
		if err != nil {
			return err
		}
		contact, _ := msg.Data.Customer()
		useTimeZone(c, contact)
		panel, err := buildPanel(c, deps, msg.Data)
		if err != nil {
			return err
		}
		return render(c, templ.Join(warning, views.PanelView(panel)))
	}
}

func buildPanel(c *fiber.Ctx, deps Deps, data appcontext.Context) (views.Panel, error) {
	ctx := c.UserContext()
	lang := langOf(c)
	contact, fromSender := data.Customer()
	identity := data.Identity()
	panel := views.Panel{
		Lang:      lang,
		Contact:   contactCard(contact, fromSender),
		Searched:  searchedKeys(identity),
		FetchedAt: deps.Now(),
	}
	match, err := deps.Store.Match(ctx, identity)
	if err != nil {
		return panel, fmt.Errorf("match contact: %w", err)
	}
	panel.MatchedBy = string(match.Key)
	if len(match.Customers) > 1 {
		for _, cust := range match.Customers {
			panel.Candidates = append(panel.Candidates, customerCard(cust))
		}
		return panel, nil
	}
	if len(match.Customers) == 0 {
		return panel, nil
	}
	customer := match.Customers[0]
	card := customerCard(customer)
	panel.Customer = &card
	summary, err := deps.Store.Summary(ctx, customer.ID)
	if err != nil {
		return panel, err // the store's error names the customer
	}
	panel.Summary = summaryView(summary)
	if panel.Orders, err = orderList(c, deps, customer.ID, "", lang); err != nil {
		return panel, err
	}
	if panel.Payments, err = paymentList(c, deps, customer.ID, "", lang); err != nil {
		return panel, err
	}
	return panel, nil
}

func moreOrders(deps Deps) fiber.Handler {
	return loadMore(deps, "orders", func(c *fiber.Ctx, id int64, cursor, lang string) (templ.Component, error) {
		list, err := orderList(c, deps, id, cursor, lang)
		return views.OrderRows(lang, list), err
	})
}

func morePayments(deps Deps) fiber.Handler {
	return loadMore(deps, "payments", func(c *fiber.Ctx, id int64, cursor, lang string) (templ.Component, error) {
		list, err := paymentList(c, deps, id, cursor, lang)
		return views.PaymentRows(lang, list), err
	})
}

// loadMore serves the next page of a customer's table: rows renders the
// page after cursor.
func loadMore(deps Deps, table string, rows func(c *fiber.Ctx, id int64, cursor, lang string) (templ.Component, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := grantedCustomer(c, deps)
		if err != nil {
			return loadMoreFailed(c, deps, table, err)
		}
		useTimeZone(c, appcontext.Contact{}) // ?tz= is the panel's zone
		page, err := rows(c, id, c.Query("after"), langOf(c))
		if err != nil {
			return loadMoreFailed(c, deps, table, err)
		}
		return render(c, page)
	}
}

// loadMoreFailed answers a failed "load more" from htmx with a table row in
// place of the button's row: htmx 4 swaps error responses too, and a
// <section> where a <tr> was would fall out of the table. Other clients get
// the central error page.
func loadMoreFailed(c *fiber.Ctx, deps Deps, table string, err error) error {
	if c.Get("HX-Request") == "" {
		return err
	}
	p := problemFor(c, deps, err)
	c.Status(p.Status)
	return render(c, views.MoreRowProblem(p, table, c.OriginalURL()))
}

// grantedCustomer reads the customer id of a load-more link and, with access
// keys, checks that the link was issued to this session for that customer.
func grantedCustomer(c *fiber.Ctx, deps Deps) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, problem(fiber.StatusBadRequest, "problem.bad_customer")
	}
	if deps.sessions != nil && !deps.sessions.granted(sessionOf(c), id, c.Query("grant")) {
		return 0, errNotGranted
	}
	return id, nil
}

func orderList(c *fiber.Ctx, deps Deps, customerID int64, cursor, lang string) (views.OrderList, error) {
	page, err := deps.Store.Orders(c.UserContext(), customerID, cursor, deps.Config.PageSize)
	if err != nil {
		return views.OrderList{}, storeError("orders", customerID, err)
	}
	list := views.OrderList{MoreURL: moreURL(c, deps, "orders", customerID, page.Next, lang)}
	for _, o := range page.Orders {
		list.Rows = append(list.Rows, orderRow(o))
	}
	return list, nil
}

func paymentList(c *fiber.Ctx, deps Deps, customerID int64, cursor, lang string) (views.PaymentList, error) {
	page, err := deps.Store.Payments(c.UserContext(), customerID, cursor, deps.Config.PageSize)
	if err != nil {
		return views.PaymentList{}, storeError("payments", customerID, err)
	}
	list := views.PaymentList{MoreURL: moreURL(c, deps, "payments", customerID, page.Next, lang)}
	for _, p := range page.Payments {
		list.Rows = append(list.Rows, paymentRow(p))
	}
	return list, nil
}

func storeError(what string, customerID int64, err error) error {
	if errors.Is(err, shop.ErrBadCursor) {
		return problem(fiber.StatusBadRequest, "problem.bad_cursor")
	}
	return fmt.Errorf("%s of customer %d: %w", what, customerID, err)
}

// moreURL links the next page, in the panel's language and time zone, with
// the session's grant for this customer when access keys are on.
func moreURL(c *fiber.Ctx, deps Deps, what string, customerID int64, next, lang string) string {
	if next == "" {
		return ""
	}
	q := url.Values{"after": {next}, "lang": {lang}, "tz": {views.TimeZone(c.UserContext()).String()}}
	if deps.sessions != nil {
		q.Set("grant", deps.sessions.grant(sessionOf(c), customerID))
	}
	return fmt.Sprintf("/customers/%d/%s?%s", customerID, what, q.Encode())
}
