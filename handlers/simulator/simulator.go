// Package simulator is the host simulator: a page on one loopback name that
// frames the app on the other and posts appContext messages as the Bevatel
// dashboard does, with a preset for every customer. It needs a store that
// also implements CustomerLister; without one, the simulator's routes are
// not served at all. A fork without it deletes this folder and its lines in
// handlers/routes.go.
package simulator

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"dashapp/db/shop"
	"dashapp/handlers/appcontext"
	"dashapp/handlers/web"
	"dashapp/views"
)

// CustomerLister lists customers for the simulator's presets. It is
// optional: the SQLite store implements it, and a store that does not has
// no simulator (NewServer serves none of its routes).
type CustomerLister interface {
	Customers(ctx context.Context, limit int) ([]shop.Customer, error)
}

// simulatorCustomers bounds the presets: the demo database and then some.
const simulatorCustomers = 100

// Store is what the simulator reads: the customers to make presets of, and
// a few of their orders for the conversations.
type Store interface {
	CustomerLister
	Orders(ctx context.Context, customerID int64, cursor string, limit int) (shop.OrderPage, error)
}

// Assets are the simulator page's stylesheet and script URLs.
type Assets struct {
	CSS, Script string
}

// Check renders the schema report of the editor's message (the
// message object), so the developer sees what the app's explorer would
// report before sending it.
func Check(c *fiber.Ctx) error {
	return web.Render(c, views.SchemaReport(views.English, web.Findings(appcontext.Check(c.Body()))))
}

// otherLoopback is the app's origin as the simulator frames it: the other
// loopback name of the same port, so the app runs cross-origin exactly as
// under the real dashboard.
func otherLoopback(c *fiber.Ctx) (string, error) {
	host, port, err := net.SplitHostPort(c.Hostname())
	if err != nil {
		return "", web.Problem(fiber.StatusBadRequest, "problem.simulator_host", "PORT", "PORT")
	}
	switch host {
	case "localhost":
		return "http://" + net.JoinHostPort("127.0.0.1", port), nil
	case "127.0.0.1":
		return "http://" + net.JoinHostPort("localhost", port), nil
	}
	return "", web.Problem(fiber.StatusBadRequest, "problem.simulator_host", port, port)
}

// simulatorCSP is the host page's own policy: it may frame the app's other
// origin and its own rogue page, and nothing may frame it.
func simulatorCSP(c *fiber.Ctx, frameSrc, ancestors string) {
	c.Set("Content-Security-Policy", "default-src 'none'; script-src 'nonce-"+web.Nonce(c)+"'; style-src 'self'; img-src 'self' data:"+
		"; connect-src 'self'; frame-src "+frameSrc+"; base-uri 'none'; form-action 'none'; frame-ancestors "+ancestors)
}

// Page is the simulator itself, framing the app at its other loopback name;
// prefix is the host message prefix it answers fetch-info for.
func Page(store Store, assets Assets, prefix string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		appOrigin, err := otherLoopback(c)
		if err != nil {
			return err
		}
		customers, err := store.Customers(c.UserContext(), simulatorCustomers)
		if err != nil {
			return fmt.Errorf("simulator presets: %w", err)
		}
		page := views.SimulatorPage{
			CSS:    assets.CSS,
			Script: assets.Script,
			Config: views.SimulatorConfig{AppURL: appOrigin + "/", FetchInfo: appcontext.FetchInfoMessage(prefix), RogueURL: "/simulator/rogue", CheckURL: "/simulator/check"},
		}
		for _, cust := range customers {
			for conv := range conversationCount(cust) {
				page.Presets = append(page.Presets, views.SimulatorPreset{
					URL:   fmt.Sprintf("/simulator/presets/%d/%d", cust.ID, conv+1),
					Label: fmt.Sprintf("%s (%s), conversation %d", cust.Name, cust.Ref, conv+1),
				})
			}
		}
		for _, name := range States {
			page.States = append(page.States, views.SimulatorState{Name: name, URL: "/simulator/states/" + name})
		}
		if len(customers) > 0 {
			first, err := presetJSON(c, store, customers[0], 0)
			if err != nil {
				return err
			}
			page.Initial = first
		}
		simulatorCSP(c, appOrigin+" 'self'", "'none'")
		return web.Render(c, views.SimulatorView(page))
	}
}

// presetJSON is a customer's conversation conv as the host would post it,
// indented for the editor.
func presetJSON(c *fiber.Ctx, store Store, cust shop.Customer, conv int) (string, error) {
	page, err := store.Orders(c.UserContext(), cust.ID, "", 3)
	if err != nil {
		return "", fmt.Errorf("orders of customer %d for the simulator: %w", cust.ID, err)
	}
	b, err := json.MarshalIndent(presetMessage(cust, page.Orders, conv), "", "  ")
	if err != nil {
		return "", fmt.Errorf("encode preset: %w", err)
	}
	return string(b), nil
}

// findCustomer looks a customer up among the presets' customers.
func findCustomer(c *fiber.Ctx, lister CustomerLister, id int64) (shop.Customer, error) {
	customers, err := lister.Customers(c.UserContext(), simulatorCustomers)
	if err != nil {
		return shop.Customer{}, fmt.Errorf("simulator presets: %w", err)
	}
	for _, cust := range customers {
		if cust.ID == id {
			return cust, nil
		}
	}
	return shop.Customer{}, fiber.ErrNotFound
}

// Preset is one customer's conversation as the host would post it, for the
// editor.
func Preset(store Store) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := strconv.ParseInt(c.Params("customer"), 10, 64)
		if err != nil {
			return fiber.ErrNotFound
		}
		cust, err := findCustomer(c, store, id)
		if err != nil {
			return err
		}
		conv, err := strconv.Atoi(c.Params("conv"))
		if err != nil || conv < 1 || conv > conversationCount(cust) {
			return fiber.ErrNotFound
		}
		body, err := presetJSON(c, store, cust, conv-1)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
		return c.SendString(body)
	}
}

// Rogue is a page the simulator loads in a second frame, on its
// own origin: a sibling of the app, not its parent. It posts a forged
// appContext for another customer (the second preset customer) to the app.
func Rogue(store Store, script string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		customers, err := store.Customers(c.UserContext(), 2)
		if err != nil {
			return fmt.Errorf("rogue preset: %w", err)
		}
		if len(customers) < 2 {
			return web.Problem(fiber.StatusNotFound, "problem.simulator_no_customer")
		}
		forged, err := presetJSON(c, store, customers[1], 0)
		if err != nil {
			return err
		}
		simulatorCSP(c, "'none'", "'self'")
		return web.Render(c, views.RogueView(script, forged))
	}
}
