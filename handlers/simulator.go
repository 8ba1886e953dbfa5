package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"dashapp/db/shop"
	"dashapp/handlers/appcontext"
	"dashapp/views"
)

// CustomerLister lists customers for the simulator's presets. The SQLite
// store implements it; a store that does not simply has no simulator.
type CustomerLister interface {
	Customers(ctx context.Context, limit int) ([]shop.Customer, error)
}

// simulatorCustomers bounds the presets: the demo database and then some.
const simulatorCustomers = 100

// simulatorEnabled: always in development, otherwise only when asked for
// (DASHAPP_SIMULATOR=on), and only with a store that can list customers.
func simulatorEnabled(deps Deps) (CustomerLister, bool) {
	lister, ok := deps.Store.(CustomerLister)
	return lister, ok && (deps.Config.Dev() || deps.Config.Simulator)
}

// requireKey guards the simulator when access keys are on: it shows the
// shop's customers too, so it opens only with the key, like the app; its
// script carries the key from its own address to the frame and the presets.
func requireKey(auth *sessions) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if auth != nil && !auth.validKey(c.Query("key")) {
			return errKeyRequired
		}
		return c.Next()
	}
}

// simulatorCheck renders the schema report of the editor's message (the
// message object), so the developer sees what the app's explorer would
// report before sending it.
func simulatorCheck(c *fiber.Ctx) error {
	return render(c, views.SchemaReport(views.English, appcontext.Check(c.Body())))
}

// otherLoopback is the app's origin as the simulator frames it: the other
// loopback name of the same port, so the app runs cross-origin exactly as
// under the real dashboard.
func otherLoopback(c *fiber.Ctx) (string, error) {
	host, port, err := net.SplitHostPort(c.Hostname())
	if err != nil {
		return "", problem(fiber.StatusBadRequest, "problem.simulator_host", "PORT", "PORT")
	}
	switch host {
	case "localhost":
		return "http://" + net.JoinHostPort("127.0.0.1", port), nil
	case "127.0.0.1":
		return "http://" + net.JoinHostPort("localhost", port), nil
	}
	return "", problem(fiber.StatusBadRequest, "problem.simulator_host", port, port)
}

// simulatorCSP is the host page's own policy: it may frame the app's other
// origin and its own rogue page, and nothing may frame it.
func simulatorCSP(c *fiber.Ctx, frameSrc, ancestors string) {
	c.Set("Content-Security-Policy", "default-src 'none'; script-src 'nonce-"+nonceOf(c)+"'; style-src 'self'; img-src 'self' data:"+
		"; connect-src 'self'; frame-src "+frameSrc+"; base-uri 'none'; form-action 'none'; frame-ancestors "+ancestors)
}

func simulatorPage(deps Deps, lister CustomerLister) fiber.Handler {
	return func(c *fiber.Ctx) error {
		appOrigin, err := otherLoopback(c)
		if err != nil {
			return err
		}
		customers, err := lister.Customers(c.UserContext(), simulatorCustomers)
		if err != nil {
			return fmt.Errorf("simulator presets: %w", err)
		}
		page := views.SimulatorPage{
			CSS:    deps.Assets.URL("css/app.css"),
			Script: deps.Assets.URL("js/simulator.js"),
			Config: views.SimulatorConfig{AppURL: appOrigin + "/", FetchInfo: appcontext.FetchInfoMessage(deps.Config.Prefix), RogueURL: "/simulator/rogue", CheckURL: "/simulator/check"},
		}
		for _, cust := range customers {
			for conv := range conversationCount(cust) {
				page.Presets = append(page.Presets, views.SimulatorPreset{
					URL:   fmt.Sprintf("/simulator/presets/%d/%d", cust.ID, conv+1),
					Label: fmt.Sprintf("%s (%s), conversation %d", cust.Name, cust.Ref, conv+1),
				})
			}
		}
		if len(customers) > 0 {
			first, err := presetJSON(c, deps, customers[0], 0)
			if err != nil {
				return err
			}
			page.Initial = first
		}
		simulatorCSP(c, appOrigin+" 'self'", "'none'")
		return render(c, views.SimulatorView(page))
	}
}

// presetJSON is a customer's conversation conv as the host would post it,
// indented for the editor.
func presetJSON(c *fiber.Ctx, deps Deps, cust shop.Customer, conv int) (string, error) {
	page, err := deps.Store.Orders(c.UserContext(), cust.ID, "", 3)
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

func simulatorPreset(deps Deps, lister CustomerLister) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := strconv.ParseInt(c.Params("customer"), 10, 64)
		if err != nil {
			return fiber.ErrNotFound
		}
		cust, err := findCustomer(c, lister, id)
		if err != nil {
			return err
		}
		conv, err := strconv.Atoi(c.Params("conv"))
		if err != nil || conv < 1 || conv > conversationCount(cust) {
			return fiber.ErrNotFound
		}
		body, err := presetJSON(c, deps, cust, conv-1)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
		return c.SendString(body)
	}
}

// simulatorRogue is a page the simulator loads in a second frame, on its
// own origin: a sibling of the app, not its parent. It posts a forged
// appContext for another customer (the second preset customer) to the app.
func simulatorRogue(deps Deps, lister CustomerLister) fiber.Handler {
	return func(c *fiber.Ctx) error {
		customers, err := lister.Customers(c.UserContext(), 2)
		if err != nil {
			return fmt.Errorf("rogue preset: %w", err)
		}
		if len(customers) < 2 {
			return problem(fiber.StatusNotFound, "problem.simulator_no_customer")
		}
		forged, err := presetJSON(c, deps, customers[1], 0)
		if err != nil {
			return err
		}
		simulatorCSP(c, "'none'", "'self'")
		return render(c, views.RogueView(deps.Assets.URL("js/simulator.js"), forged))
	}
}
