package handlers

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"dashapp/db/shop"
	"dashapp/handlers/appcontext"
	"dashapp/views"
)

// appPage serves the page the dashboard frames: a skeleton and the bridge,
// which waits for the host's appContext.
func appPage(deps Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		lang := langOf(c)
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
				Prefix:         deps.Config.Prefix,
				AllowedOrigins: deps.Config.AllowedOrigins,
				ContextURL:     "/context",
				Lang:           lang,
				Dev:            deps.Config.Dev,
				Session:        session,
				ExplorerURL:    explorerURL,
			},
			Dev:          deps.Config.Dev,
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
	return func(c *fiber.Ctx) error {
		msg, err := appcontext.Decode(c.Body(), deps.Config.Limits)
		if err != nil {
			return &problemError{status: fiber.StatusBadRequest, title: "The dashboard's message could not be read", detail: err.Error(), retry: true}
		}
		recordContext(c, deps, c.Body(), msg)
		panel, err := buildPanel(c, deps, msg.Data)
		if err != nil {
			return err
		}
		return render(c, views.PanelView(panel))
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
		return panel, fmt.Errorf("summary of customer %d: %w", customer.ID, err)
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
	return func(c *fiber.Ctx) error {
		id, err := customerIDParam(c)
		if err != nil {
			return err
		}
		lang := langOf(c)
		list, err := orderList(c, deps, id, c.Query("after"), lang)
		if err != nil {
			return err
		}
		return render(c, views.OrderRows(lang, list))
	}
}

func morePayments(deps Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := customerIDParam(c)
		if err != nil {
			return err
		}
		lang := langOf(c)
		list, err := paymentList(c, deps, id, c.Query("after"), lang)
		if err != nil {
			return err
		}
		return render(c, views.PaymentRows(lang, list))
	}
}

func customerIDParam(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Params("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, problem(fiber.StatusBadRequest, "Unknown customer", "The customer id in the address must be a positive number.")
	}
	return id, nil
}

func orderList(c *fiber.Ctx, deps Deps, customerID int64, cursor, lang string) (views.OrderList, error) {
	page, err := deps.Store.Orders(c.UserContext(), customerID, cursor, deps.Config.PageSize)
	if err != nil {
		return views.OrderList{}, storeError("orders", customerID, err)
	}
	list := views.OrderList{MoreURL: moreURL("orders", customerID, page.Next, lang)}
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
	list := views.PaymentList{MoreURL: moreURL("payments", customerID, page.Next, lang)}
	for _, p := range page.Payments {
		list.Rows = append(list.Rows, paymentRow(p))
	}
	return list, nil
}

func storeError(what string, customerID int64, err error) error {
	if errors.Is(err, shop.ErrBadCursor) {
		return problem(fiber.StatusBadRequest, "Cannot load more", "The page cursor is not valid; refresh the panel.")
	}
	return fmt.Errorf("%s of customer %d: %w", what, customerID, err)
}

func moreURL(what string, customerID int64, next, lang string) string {
	if next == "" {
		return ""
	}
	q := url.Values{"after": {next}, "lang": {lang}}
	return fmt.Sprintf("/customers/%d/%s?%s", customerID, what, q.Encode())
}
