package simulator

import (
	"encoding/json"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"dashapp/db/shop"
	"dashapp/handlers/web"
)

// States are the simulator's presets for the panel's other states, built
// from whatever the store holds (the demo's data or a fork's):
//
//   - nomatch: a new visitor whom no key matches;
//   - several: a caller with a phone that two customers share;
//   - mentioned: an unknown contact whose messages and conversation
//     attribute name the first customer's newest order.
var States = []string{"nomatch", "several", "mentioned"}

// unknownContactID is a contact id no customer records (the demo's
// anonymous visitor is 3; this one is further out of the way).
const unknownContactID = 900001

// State serves the state preset named by :state, as Preset does a
// customer's conversation.
func State(store Store) fiber.Handler {
	return func(c *fiber.Ctx) error {
		customers, err := store.Customers(c.UserContext(), simulatorCustomers)
		if err != nil {
			return fmt.Errorf("simulator presets: %w", err)
		}
		stranger := shop.Customer{ID: unknownContactID, ContactID: unknownContactID, Name: "New visitor", Email: "new.visitor@example.invalid"}
		var msg hostMessage
		switch c.Params("state") {
		case "nomatch":
			msg = presetMessage(stranger, nil, 0)
		case "several":
			caller, ok := sharedPhone(customers)
			if !ok {
				return web.Problem(fiber.StatusNotFound, "problem.simulator_no_customer")
			}
			msg = presetMessage(caller, nil, 0)
		case "mentioned":
			if len(customers) == 0 {
				return web.Problem(fiber.StatusNotFound, "problem.simulator_no_customer")
			}
			page, err := store.Orders(c.UserContext(), customers[0].ID, "", 1)
			if err != nil {
				return fmt.Errorf("orders of customer %d for the simulator: %w", customers[0].ID, err)
			}
			if len(page.Orders) == 0 {
				return web.Problem(fiber.StatusNotFound, "problem.simulator_no_customer")
			}
			stranger.Name, stranger.Email = "Unknown number", ""
			stranger.Phone = "971500000999" // nobody's
			msg = presetMessage(stranger, page.Orders, 0)
		default:
			return fiber.ErrNotFound
		}
		b, err := json.MarshalIndent(msg, "", "  ")
		if err != nil {
			return fmt.Errorf("encode state preset: %w", err)
		}
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
		return c.Send(b)
	}
}

// sharedPhone is a caller, known to no contact id, with the phone of two
// listed customers.
func sharedPhone(customers []shop.Customer) (shop.Customer, bool) {
	seen := map[string]bool{}
	for _, cust := range customers {
		if cust.Phone == "" {
			continue
		}
		if seen[cust.Phone] {
			return shop.Customer{ID: unknownContactID + 1, ContactID: unknownContactID + 1, Name: "Shared phone caller", Phone: cust.Phone}, true
		}
		seen[cust.Phone] = true
	}
	return shop.Customer{}, false
}
