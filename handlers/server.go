// Package handlers is the HTTP side of dashapp: the customer panel (POST
// /context, load more), the middleware and the central error handler.
// Every route is wired in routes.go; each subsystem is its own package
// (session, ratelimit, explorer, simulator, bevatel), and each consumer
// declares the small interface it needs, so a fork can swap the SQLite
// store for its own shop API.
package handlers

import (
	"context"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"dashapp/db/shop"
	"dashapp/handlers/appcontext"
	"dashapp/handlers/ratelimit"
	"dashapp/handlers/session"
	"dashapp/handlers/status"
	"dashapp/handlers/webhooks"
	"dashapp/static"
)

// CustomerStore is everything the customer panel reads. The SQLite store in
// package db and the in-memory one in db/memstore implement it; a fork
// implements it against its own shop API, and db/storetest checks any of
// them. Which customer a contact is stays dashapp's policy (shop.Resolve):
// the store only finds customers by one key.
//
// Errors, as the handlers treat them: an error wrapping shop.ErrBadCursor
// is the caller's fault and answers 400 (problem.bad_cursor); an error
// wrapping shop.ErrUnsupportedKey from FindCustomers skips that key; every
// other error is the store's fault and answers 500, its text logged, never
// shown. A cancelled ctx returns an error wrapping ctx.Err(). A customer
// that does not exist is not an error.
//
// Optional: a store that also implements simulator.CustomerLister gets the host
// simulator, whose presets are its customers; without it /simulator is not
// served at all (404), silently.
type CustomerStore interface {
	// FindCustomers returns up to limit customers whose key field equals
	// value exactly, by ascending ID; none and a nil error when nobody has
	// it. shop.Resolve asks normalised values (shop.Identity.Normalize),
	// decimal numbers for shop.KeyContactID; an empty value finds nobody.
	// Errors: shop.ErrUnsupportedKey (wrapped) for a key the store cannot
	// search by; otherwise a fault.
	FindCustomers(ctx context.Context, key shop.MatchKey, value string, limit int) ([]shop.Customer, error)
	// Summary is the customer's history at a glance; the zero Summary for an
	// unknown customer. Errors: faults only.
	Summary(ctx context.Context, customerID int64) (shop.Summary, error)
	// Orders is one page of the customer's orders, newest first (ties by
	// descending ID): the first page for cursor "", else the page after a
	// Next this store issued. limit <= 0 is the default page size; larger
	// limits may be capped. Errors: shop.ErrBadCursor (wrapped) for a
	// cursor the store cannot read; otherwise a fault.
	Orders(ctx context.Context, customerID int64, cursor string, limit int) (shop.OrderPage, error)
	// Payments is Orders for payments, by creation time.
	Payments(ctx context.Context, customerID int64, cursor string, limit int) (shop.PaymentPage, error)
}

// ShopIngester takes live shop data and reports on its sources: the
// webhook receivers, /ingest and the status page write and read through it.
type ShopIngester interface {
	webhooks.Ingester
	status.SourceStatuses
}

// ReadinessChecker answers GET /readyz.
type ReadinessChecker interface {
	Ready(ctx context.Context) error
}

// Config is what the server needs to know about its deployment.
type Config struct {
	Prefix         string   // host message prefix: "bevatel" or "chatwoot"
	AllowedOrigins []string // dashboard origins that may frame the app and post to it
	SimulatorURL   string   // where the waiting state points developers; "" hides it
	Simulator      bool     // serve GET /simulator even with an access key (always on in Dev)
	ExplorerOff    bool     // DASHAPP_EXPLORER=off: keep no log of payloads at all
	// Live shop data: each source is served only when its secret is set
	// (a route whose secret is unset answers 404).
	ShopifySecret     string // DASHAPP_SHOPIFY_SECRET
	WooCommerceSecret string // DASHAPP_WOOCOMMERCE_SECRET
	SallaSecret       string // DASHAPP_SALLA_SECRET
	ZidAuth           string // DASHAPP_ZID_AUTH, "user:password"
	IngestToken       string // DASHAPP_INGEST_TOKEN
	PageSize          int    // rows per page of orders and payments
	// OrderURL is DASHAPP_ORDER_URL: the order in the shop's admin, with
	// {number} for its number (CheckOrderURL), for orders whose platform
	// gave no admin link; "" shows none.
	OrderURL  string
	BodyLimit int // bytes accepted in a request body
	Limits    appcontext.Limits
	// Keys are the access keys (DASHAPP_KEY); the first signs new session
	// tokens, all are accepted. None: development mode, no authentication.
	Keys        []string
	SessionTTL  time.Duration  // lifetime of a session token; 0 is session.DefaultTTL
	SessionRate ratelimit.Rate // per session token; zero is ratelimit.DefaultSessionRate
	IPRate      ratelimit.Rate // per client IP; zero is ratelimit.DefaultIPRate
	// ActionsOff (DASHAPP_ACTIONS=off) removes every action: no buttons,
	// no routes.
	ActionsOff bool
	// ActionRate limits each session's writes (link, note, reply); zero
	// is DefaultActionRate.
	ActionRate ratelimit.Rate
	// VerifyFailOpen shows customer data, marked unverified, when the
	// Verifier cannot reach the host; by default nothing is shown.
	VerifyFailOpen bool
}

// Dev reports development mode: with no access key nothing is
// authenticated, so the page says so and the simulator is on.
func (c Config) Dev() bool { return len(c.Keys) == 0 }

// Deps are the server's collaborators: what it is given, never what it
// builds (sessions, rate limiters and the explorer's log are made by
// NewServer).
type Deps struct {
	// Store is required. If it also implements simulator.CustomerLister,
	// the host simulator is served (in development, or with
	// Config.Simulator); without it the simulator's routes do not exist.
	Store  CustomerStore
	Ready  ReadinessChecker // optional: without it /readyz always answers ok
	Assets *static.Set
	Config Config
	Logger *slog.Logger
	Now    func() time.Time

	// Shop is where live shop data goes (webhooks, /ingest) and what
	// GET /status reads; nil serves none of them.
	Shop ShopIngester

	// Middleware runs before every route (after the request id, access log
	// and recovery): the shutdown drain, for one.
	Middleware []fiber.Handler

	// Actions runs the panel's writes (link, note, reply); nil, or
	// Config.ActionsOff, serves none. If Store also implements
	// OrderDetailer, orders get "Add as private note".
	Actions ActionService

	// Verifier, when set, confirms every context with the host before any
	// customer data is read.
	Verifier ContextVerifier
}

// DefaultActionRate lets an agent act a few times a minute with bursts
// (a double click, a retry), far below the reads' limit: every write
// calls Bevatel.
var DefaultActionRate = ratelimit.Rate{PerSecond: 0.5, Burst: 10}

// DefaultBodyLimit fits a host message with 500 long messages (about 1 MB)
// with room to spare, and stays small enough to refuse abuse quickly.
const DefaultBodyLimit = 4 << 20

// NewServer fills in the defaults, makes the server's runtime state and
// wires every route through addRoutes (routes.go).
func NewServer(deps Deps) *fiber.App {
	cfg := deps.Config
	if cfg.PageSize <= 0 {
		cfg.PageSize = 20
	}
	if cfg.BodyLimit <= 0 {
		cfg.BodyLimit = DefaultBodyLimit
	}
	if cfg.Limits == (appcontext.Limits{}) {
		cfg.Limits = appcontext.DefaultLimits
	}
	if cfg.Prefix == "" {
		cfg.Prefix = appcontext.DefaultPrefix
	}
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if cfg.SessionRate == (ratelimit.Rate{}) {
		cfg.SessionRate = ratelimit.DefaultSessionRate
	}
	if cfg.ActionRate == (ratelimit.Rate{}) {
		cfg.ActionRate = DefaultActionRate
	}
	if cfg.IPRate == (ratelimit.Rate{}) {
		cfg.IPRate = ratelimit.DefaultIPRate
	}
	deps.Config = cfg

	app := fiber.New(fiber.Config{
		AppName:               "dashapp",
		DisableStartupMessage: true,
		// fasthttp drops bodies past its limit with a reset connection, which a
		// browser reports as a network error; so it only guards against abuse,
		// and limitBody answers a clear 413 below it.
		BodyLimit:    2 * cfg.BodyLimit,
		ReadTimeout:  5 * time.Second, // without it, Shutdown waits on idle keep-alive connections
		WriteTimeout: 10 * time.Second,
		IdleTimeout:  60 * time.Second,
		ErrorHandler: errorHandler(deps.Logger, pageAssets(deps.Assets)),
	})
	addRoutes(app, deps, session.New(cfg.Keys, cfg.SessionTTL, deps.Now))
	return app
}
