package handlers

import (
	"github.com/gofiber/fiber/v2"

	"dashapp/db/shop"
	"dashapp/handlers/explorer"
	"dashapp/handlers/ingest"
	"dashapp/handlers/ratelimit"
	"dashapp/handlers/session"
	"dashapp/handlers/simulator"
	"dashapp/handlers/status"
	"dashapp/handlers/web"
	"dashapp/handlers/webhooks"
	"dashapp/handlers/webhooks/salla"
	"dashapp/handlers/webhooks/shopify"
	"dashapp/handlers/webhooks/woocommerce"
	"dashapp/handlers/webhooks/zid"
	"dashapp/static"
)

// addRoutes wires every route the server answers, in one place. A
// subsystem is a package and a block here: a fork deletes the explorer or
// the simulator by deleting its folder and its block.
func addRoutes(app *fiber.App, deps Deps, auth *session.Sessions) {
	cfg, log := deps.Config, deps.Logger
	perIP := ratelimit.Middleware(ratelimit.New(cfg.IPRate, deps.Now), "address", func(c *fiber.Ctx) string { return c.IP() })
	perSession := ratelimit.Middleware(ratelimit.New(cfg.SessionRate, deps.Now), "session", session.Of)
	// Every route that returns customer data goes through data: a valid
	// session token (when keys are set), then the per-session limit.
	data := func(h ...fiber.Handler) []fiber.Handler {
		return append([]fiber.Handler{session.Require(auth), perSession}, h...)
	}

	app.Use(requestID(), accessLog(log), recoverPanics(log))
	for _, m := range deps.Middleware {
		app.Use(m)
	}
	// Shop platforms and the shop's own systems post live data here. They
	// come before the per-IP limit, which is sized for agents' browsers: a
	// platform retries in bursts from few addresses, and each route checks
	// its own signature or token.
	if deps.Shop != nil {
		receive := func(path string, src webhooks.Source, secret string) {
			app.Post(path, webhooks.Handler(src, secret, deps.Shop, log, deps.Now))
		}
		receive("/webhooks/shopify", shopify.Source, cfg.ShopifySecret)
		receive("/webhooks/woocommerce", woocommerce.Source, cfg.WooCommerceSecret)
		receive("/webhooks/salla", salla.Source, cfg.SallaSecret)
		receive("/webhooks/zid", zid.Source, cfg.ZidAuth)
		app.Post("/ingest", plainBody(), ingest.Handler(deps.Shop, cfg.IngestToken, ingest.Limits{Bytes: cfg.BodyLimit}, log))
	}

	app.Use(securityHeaders(cfg.AllowedOrigins), plainBody(), perIP)

	app.Get("/healthz", healthz)
	app.Get("/readyz", readyz(deps.Ready))
	app.Get(static.Prefix+"*", serveAsset(deps.Assets))

	// The payload explorer (off with DASHAPP_EXPLORER=off): its log, which
	// the panel feeds, and the page sessions that scope it.
	assets := pageAssets(deps.Assets)
	var record recordContext
	var newPageSession func() string
	if !cfg.ExplorerOff {
		explorerLog := explorer.NewLog(deps.Now)
		record, newPageSession = explorerLog.RecordContext, explorer.NewSessionID
		assets.Explorer = deps.Assets.URL("js/explorer.js")
		app.Get("/explorer", data(explorer.Show(explorerLog))...)
		app.Post("/explorer/events", data(explorer.RecordIgnored(explorerLog))...)
		app.Get("/explorer/entries/:seq/payload.json", data(explorer.Download(explorerLog))...)
	}

	// The customer panel.
	details, hasDetails := deps.Store.(OrderDetailStore)
	tables := lists{store: deps.Store, auth: auth, pageSize: cfg.PageSize, search: searcherOf(deps.Store), details: hasDetails}

	// The panel's actions through the Bevatel API (off with
	// DASHAPP_ACTIONS=off): POSTs with the session token, a grant bound to
	// the session, conversation, contact and customer, and their own
	// per-session limit.
	if deps.Actions != nil && !cfg.ActionsOff {
		act := &panelActions{svc: deps.Actions, auth: auth, verifier: deps.Verifier, dev: cfg.Dev(), log: log, now: deps.Now}
		act.orders, _ = deps.Store.(OrderDetailer)
		tables.actions = act
		perWriter := ratelimit.Middleware(ratelimit.New(cfg.ActionRate, deps.Now), "session", func(c *fiber.Ctx) string {
			if id := session.Of(c); id != "" {
				return id
			}
			return c.IP() // development: no session
		})
		write := func(h fiber.Handler) []fiber.Handler {
			return data(limitBody(cfg.BodyLimit), perWriter, h)
		}
		if deps.Actions.APIConfigured() {
			app.Post("/actions/link", write(act.link(false))...)
			app.Post("/actions/unlink", write(act.link(true))...)
			app.Post("/actions/note/preview", write(act.preview)...)
			app.Post("/actions/note", write(act.post(false))...)
			app.Post("/actions/order-attribute", write(act.attribute)...)
			if deps.Actions.RepliesAllowed() {
				app.Post("/actions/reply", write(act.post(true))...)
			}
		}
	}
	check := verifyContext(deps.Verifier, cfg.VerifyFailOpen, log)
	app.Get("/", appPage(cfg, auth, assets, newPageSession, log))
	app.Post("/context", data(limitBody(cfg.BodyLimit), showContext(cfg.Limits, record, check, tables, newPanelVersions(deps.Store, cfg.PageSize), deps.Now))...)
	app.Get("/customers/:id/orders", data(moreOrders(tables, log))...)
	app.Get("/customers/:id/payments", data(morePayments(tables, log))...)
	// Finding the customer when matching fails (search.go): a search limit
	// of its own per session, tighter than the panel's, since each search
	// is several index reads and typing is bursty.
	if tables.search != nil {
		perSearch := ratelimit.Middleware(ratelimit.New(searchRate, deps.Now), "session", session.Of)
		app.Get("/search", data(perSearch, searchCustomers(tables))...)
		app.Get("/customers/:id/panel", data(chosenPanel(tables))...)
	}
	if hasDetails {
		app.Get("/customers/:id/orders/:order", data(showOrderDetail(orderDetails{store: details, auth: auth, orderURL: cfg.OrderURL, actions: tables.actions.noteButton()}))...)
	}

	// What an operator sees of the live sources, behind the access key.
	if deps.Shop != nil {
		sources := []status.Source{
			{Name: shop.SourceShopify, EnableWith: "DASHAPP_SHOPIFY_SECRET", Enabled: cfg.ShopifySecret != ""},
			{Name: shop.SourceWooCommerce, EnableWith: "DASHAPP_WOOCOMMERCE_SECRET", Enabled: cfg.WooCommerceSecret != ""},
			{Name: shop.SourceSalla, EnableWith: "DASHAPP_SALLA_SECRET", Enabled: cfg.SallaSecret != ""},
			{Name: shop.SourceZid, EnableWith: "DASHAPP_ZID_AUTH", Enabled: cfg.ZidAuth != ""},
			{Name: shop.SourceAPI, EnableWith: "DASHAPP_INGEST_TOKEN", Enabled: cfg.IngestToken != ""},
		}
		app.Get("/status", session.RequireKey(auth), status.Page(deps.Shop, sources, assets.CSS, web.Lang))
	}

	// The host simulator: only with a store that can list customers, and
	// only in development or when asked for (DASHAPP_SIMULATOR=on).
	if store, ok := deps.Store.(simulator.Store); ok && (cfg.Dev() || cfg.Simulator) {
		keyed := session.RequireKey(auth)
		script := deps.Assets.URL("js/simulator.js")
		app.Get("/simulator", keyed, simulator.Page(store, simulator.Assets{CSS: assets.CSS, Script: script}, cfg.Prefix))
		app.Get("/simulator/presets/:customer/:conv", keyed, simulator.Preset(store))
		app.Get("/simulator/states/:state", keyed, simulator.State(store))
		app.Get("/simulator/rogue", keyed, simulator.Rogue(store, script))
		app.Post("/simulator/check", keyed, limitBody(cfg.BodyLimit), simulator.Check)
	}

	app.Use(noRoute(app))
}
