package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"dashapp/db/shop"
	"dashapp/handlers/appcontext"
	"dashapp/handlers/session"
	"dashapp/handlers/web"
	"dashapp/views"
)

// OrderDetailStore is what the order detail reads. It is optional: a store
// without it serves the panel with plain order rows, and no detail route.
// OrderDetail returns one order of the customer with its items, shipments
// and payments; an order that does not exist, or is another customer's,
// is an error wrapping shop.ErrNotFound (404), any other error a fault.
type OrderDetailStore interface {
	OrderDetail(ctx context.Context, customerID, orderID int64) (shop.OrderDetail, error)
}

// OrderActions renders what an agent can do with an opened order (the
// "Acting from the panel" issue's "Add as private note"), under its detail;
// nil, or a nil component, renders nothing.
type OrderActions func(c *fiber.Ctx, customerID int64, d views.OrderDetail) templ.Component

// orderPlaceholder is where DASHAPP_ORDER_URL puts the order number.
const orderPlaceholder = "{number}"

// CheckOrderURL vets a DASHAPP_ORDER_URL template at start: an absolute
// http(s) URL holding {number} in its path or query.
func CheckOrderURL(template string) error {
	if template == "" {
		return nil
	}
	// The number goes in the path or the query, never the host: filled in
	// two ways, the URL must name the same site.
	u, err := url.Parse(strings.ReplaceAll(template, orderPlaceholder, "1"))
	v, err2 := url.Parse(strings.ReplaceAll(template, orderPlaceholder, "2"))
	if err != nil || err2 != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Host != v.Host ||
		!strings.Contains(template, orderPlaceholder) {
		return fmt.Errorf("DASHAPP_ORDER_URL %q: write an http(s) URL with %s where the order number goes, such as https://shop.example.com/admin/orders/{number}", template, orderPlaceholder)
	}
	return nil
}

// orderDetails serves GET /customers/:id/orders/:order.
type orderDetails struct {
	store    OrderDetailStore
	auth     *session.Sessions // nil in development: no grant is checked
	orderURL string            // DASHAPP_ORDER_URL, "" when unset
	actions  OrderActions      // nil: no actions yet
}

// showOrderDetail answers an order row's toggle with the order's detail. It
// is a data route like load more: the session token, the per-session limit,
// and the grant of the panel that showed this customer.
func showOrderDetail(d orderDetails) fiber.Handler {
	return func(c *fiber.Ctx) error {
		customerID, err := grantedCustomer(c, d.auth)
		if err != nil {
			return err
		}
		orderID, err := strconv.ParseInt(c.Params("order"), 10, 64)
		if err != nil || orderID <= 0 {
			return web.Problem(fiber.StatusBadRequest, "problem.bad_order")
		}
		useTimeZone(c, appcontext.Contact{}) // ?tz= is the panel's zone
		detail, err := d.store.OrderDetail(c.UserContext(), customerID, orderID)
		if errors.Is(err, shop.ErrNotFound) {
			return web.Problem(fiber.StatusNotFound, "problem.order_not_found")
		}
		if err != nil {
			return fmt.Errorf("order detail: %w", err)
		}
		view := orderDetailView(detail, web.Lang(c), d.orderURL)
		var actions templ.Component
		if d.actions != nil {
			actions = d.actions(c, customerID, view)
		}
		return web.Render(c, views.OrderDetailView(view, actions))
	}
}

func orderDetailView(d shop.OrderDetail, lang, orderURL string) views.OrderDetail {
	o := d.Order
	v := views.OrderDetail{
		Lang: lang, ID: o.ID, Number: o.Number, Status: o.Status, PlatformStatus: o.PlatformStatus,
		PaymentStatus: o.PaymentStatus, PlacedAt: o.PlacedAt, Total: o.Total,
		AdminURL: adminURL(o, orderURL), Address: o.ShippingAddress,
	}
	for _, it := range d.Items {
		v.Items = append(v.Items, views.OrderItem{Name: it.Name, SKU: it.SKU, Quantity: it.Quantity, UnitPrice: it.UnitPrice, LineTotal: it.LineTotal})
	}
	for _, p := range d.Payments {
		v.Payments = append(v.Payments, paymentRow(p))
	}
	for _, s := range d.Shipments {
		v.Shipments = append(v.Shipments, views.ShipmentView{
			Carrier: s.Carrier, TrackingNumber: s.TrackingNumber, TrackingURL: views.WebURL(s.TrackingURL),
			Status: s.Status, StatusAt: s.StatusAt,
		})
	}
	return v
}

// adminURL is the order in the shop's admin: the platform's own link, else
// the DASHAPP_ORDER_URL template with the number path-escaped (an order
// number such as "#1001" or "A/7" must not become a fragment or a path).
func adminURL(o shop.Order, template string) string {
	if u := views.WebURL(o.AdminURL); u != "" {
		return u
	}
	if template == "" || o.Number == "" {
		return ""
	}
	return views.WebURL(strings.ReplaceAll(template, orderPlaceholder, url.PathEscape(o.Number)))
}

// linkDetails gives each order row of a page the link to its detail, with
// the session's grant for the customer, when the store has order details.
// The query is built once per page: a panel renders many rows.
func (l lists) linkDetails(c *fiber.Ctx, customerID int64, lang string, rows []views.OrderRow) {
	if !l.details || len(rows) == 0 {
		return
	}
	prefix, query := "/customers/"+strconv.FormatInt(customerID, 10)+"/orders/", "?"+l.grantQuery(c, customerID, lang).Encode()
	for i := range rows {
		rows[i].DetailURL = prefix + strconv.FormatInt(rows[i].ID, 10) + query
	}
}
