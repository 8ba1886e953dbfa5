package handlers

import (
	"strings"
	"time"
	_ "time/tzdata" // the distroless image has no zoneinfo; dates need the IANA zones

	"github.com/gofiber/fiber/v2"

	"dashapp/handlers/appcontext"
	"dashapp/views"
)

// customerZoneKeys are the contact attributes that may name the customer's
// IANA time zone. Bevatel does not send one by default; an account can set
// it as a custom attribute, or a website widget as an additional attribute.
var customerZoneKeys = []string{"timezone", "time_zone", "timeZone"}

// useTimeZone picks the zone the panel's dates show in, and sets it on the
// request's context for the views:
//  1. the customer's, from a contact attribute (customerZoneKeys), when
//     the contact has one: the agent reads "ordered at 9 pm" as the
//     customer lived it;
//  2. else the agent's: the browser's zone, which the bridge sends as ?tz=
//     (load-more links carry the panel's zone the same way);
//  3. else UTC.
//
// Names come from the host and the browser, so only well-formed IANA names
// are loaded, never "Local" (the server's own zone).
func useTimeZone(c *fiber.Ctx, contact appcontext.Contact) {
	loc := time.UTC
	if z, ok := customerZone(contact); ok {
		loc = z
	} else if z, ok := loadZone(c.Query("tz")); ok {
		loc = z
	}
	c.SetUserContext(views.WithTimeZone(c.UserContext(), loc))
}

func customerZone(contact appcontext.Contact) (*time.Location, bool) {
	for _, attrs := range [][]appcontext.Attribute{contact.CustomAttributes, contact.AdditionalAttributes} {
		for _, a := range attrs {
			for _, key := range customerZoneKeys {
				if a.Key == key {
					if loc, ok := loadZone(a.Value); ok {
						return loc, true
					}
				}
			}
		}
	}
	return nil, false
}

func loadZone(name string) (*time.Location, bool) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 64 || name == "Local" || strings.Trim(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_/+-") != "" {
		return nil, false
	}
	loc, err := time.LoadLocation(name)
	return loc, err == nil
}
