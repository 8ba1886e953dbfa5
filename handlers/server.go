// Package handlers is the HTTP side of dashapp: every route is wired in
// NewServer, handlers stay thin, and each consumer declares the small
// interface it needs, so a fork can swap the SQLite store for its own shop API.
package handlers

import (
	"context"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"

	"dashapp/db/shop"
	"dashapp/handlers/appcontext"
	"dashapp/static"
)

// CustomerStore is everything the customer panel reads. The SQLite store in
// package db implements it; a fork implements it against its own shop API.
type CustomerStore interface {
	Match(ctx context.Context, id shop.Identity) (shop.Match, error)
	Summary(ctx context.Context, customerID int64) (shop.Summary, error)
	Orders(ctx context.Context, customerID int64, cursor string, limit int) (shop.OrderPage, error)
	Payments(ctx context.Context, customerID int64, cursor string, limit int) (shop.PaymentPage, error)
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
	PageSize       int      // rows per page of orders and payments
	BodyLimit      int      // bytes accepted in a request body
	Limits         appcontext.Limits
	// Keys are the access keys (DASHAPP_KEY); the first signs new session
	// tokens, all are accepted. None: development mode, no authentication.
	Keys        []string
	SessionTTL  time.Duration // lifetime of a session token; 0 is DefaultSessionTTL
	SessionRate Rate          // per session token; zero is DefaultSessionRate
	IPRate      Rate          // per client IP; zero is DefaultIPRate
	// VerifyFailOpen shows customer data, marked unverified, when the
	// Verifier cannot reach the host; by default nothing is shown.
	VerifyFailOpen bool
}

// Dev reports development mode: with no access key nothing is
// authenticated, so the page says so and the simulator is on.
func (c Config) Dev() bool { return len(c.Keys) == 0 }

// Deps are the server's collaborators.
type Deps struct {
	Store  CustomerStore
	Ready  ReadinessChecker
	Assets *static.Set
	Config Config
	Logger *slog.Logger
	Now    func() time.Time

	// Middleware runs before every route (after the request id, access log
	// and recovery): the shutdown drain, for one.
	Middleware []fiber.Handler

	// Verifier, when set, confirms every context with the host before any
	// customer data is read.
	Verifier ContextVerifier

	sessions *sessions // set by NewServer; nil in development

	explorer *explorerLog // nil when the explorer is off
}

// DefaultBodyLimit fits a host message with 500 long messages (about 1 MB)
// with room to spare, and stays small enough to refuse abuse quickly.
const DefaultBodyLimit = 4 << 20

// NewServer wires every route in one place.
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
	if cfg.SessionRate == (Rate{}) {
		cfg.SessionRate = DefaultSessionRate
	}
	if cfg.IPRate == (Rate{}) {
		cfg.IPRate = DefaultIPRate
	}
	deps.Config = cfg
	auth := newSessions(cfg.Keys, cfg.SessionTTL, deps.Now)
	deps.sessions = auth
	perIP := rateLimit(newLimiter(cfg.IPRate, deps.Now), "address", func(c *fiber.Ctx) string { return c.IP() })
	perSession := rateLimit(newLimiter(cfg.SessionRate, deps.Now), "session", sessionOf)
	// Every route that returns customer data goes through data: a valid
	// session token (when keys are set), then the per-session limit.
	data := func(h ...fiber.Handler) []fiber.Handler {
		return append([]fiber.Handler{requireSession(auth), perSession}, h...)
	}
	if !cfg.ExplorerOff {
		deps.explorer = newExplorerLog(deps.Now)
	}

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
		ErrorHandler: errorHandler(deps),
	})

	app.Use(requestID(), accessLog(deps.Logger), recoverPanics(deps.Logger))
	for _, m := range deps.Middleware {
		app.Use(m)
	}
	app.Use(securityHeaders(cfg), plainBody(), perIP)

	app.Get("/healthz", healthz)
	app.Get("/readyz", readyz(deps.Ready))
	app.Get(static.Prefix+"*", serveAsset(deps.Assets))

	app.Get("/", appPage(deps, auth))
	app.Post("/context", data(limitBody(cfg.BodyLimit), showContext(deps))...)
	app.Get("/customers/:id/orders", data(moreOrders(deps))...)
	app.Get("/customers/:id/payments", data(morePayments(deps))...)
	if deps.explorer != nil {
		app.Get("/explorer", data(showExplorer(deps))...)
		app.Post("/explorer/events", data(recordIgnored(deps))...)
		app.Get("/explorer/entries/:seq/payload.json", data(downloadEntry(deps))...)
	}
	if lister, ok := simulatorEnabled(deps); ok {
		keyed := requireKey(auth)
		app.Get("/simulator", keyed, simulatorPage(deps, lister))
		app.Get("/simulator/presets/:customer/:conv", keyed, simulatorPreset(deps, lister))
		app.Get("/simulator/rogue", keyed, simulatorRogue(deps, lister))
		app.Post("/simulator/check", keyed, limitBody(cfg.BodyLimit), simulatorCheck)
	}

	app.Use(noRoute(app))
	return app
}
