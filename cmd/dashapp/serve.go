package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"dashapp/db"
	"dashapp/handlers"
	"dashapp/handlers/actions"
	"dashapp/handlers/appcontext"
	"dashapp/handlers/bevatel"
	"dashapp/handlers/ratelimit"
	"dashapp/handlers/session"
	"dashapp/static"
)

// DefaultDashboardOrigin is the Bevatel dashboard, allowed when nothing else
// is configured.
const DefaultDashboardOrigin = "https://chat.bevatel.com"

type serveConfig struct {
	addr           string
	dbPath         string
	allowedOrigins []string
	prefix         string
	demo           bool
	keys           []string // access keys; none is development mode
	sessionRate    ratelimit.Rate
	ipRate         ratelimit.Rate
	bevatelURL     string // set with bevatelToken: verify every context with the host
	bevatelToken   string
	verifyFailOpen bool
	explorer       bool          // keep the payload explorer's in-memory log
	simulator      bool          // serve /simulator even with an access key
	actions        bool          // the panel's actions through the Bevatel API (DASHAPP_ACTIONS)
	allowReplies   bool          // offer "send to the customer" (DASHAPP_ALLOW_REPLIES)
	drain          time.Duration // answering with Connection: close after SIGTERM
	orderURL       string        // the order in the shop's admin, {number} for its number
}

func parseServeConfig(args []string, getenv func(string) string, stdout io.Writer) (serveConfig, error) {
	fs := newFlags("serve", stdout)
	addr := fs.String("addr", envOr(getenv, "DASHAPP_ADDR", "localhost:8080"), "listen address (DASHAPP_ADDR)")
	dbPath := fs.String("db", envOr(getenv, "DASHAPP_DB", "dashapp.db"), "SQLite database file (DASHAPP_DB)")
	origins := fs.String("allowed-origins", envOr(getenv, "DASHAPP_ALLOWED_ORIGINS", DefaultDashboardOrigin), "comma-separated dashboard origins that may frame the app (DASHAPP_ALLOWED_ORIGINS)")
	prefix := fs.String("host", envOr(getenv, "DASHAPP_HOST", appcontext.DefaultPrefix), `host message prefix: "bevatel" or "chatwoot" (DASHAPP_HOST)`)
	demo, err := switchVar(fs, getenv, "demo", "DASHAPP_DEMO", true, "seed demo data into an empty database; off by default with an access key")
	if err != nil {
		return serveConfig{}, err
	}
	key := fs.String("key", getenv("DASHAPP_KEY"), "access key the registered URL carries as ?key=…; two comma-separated keys during a rotation (DASHAPP_KEY)")
	sessionRate := fs.Float64("rate-session", envFloat(getenv, "DASHAPP_RATE_SESSION", ratelimit.DefaultSessionRate.PerSecond), "requests a second per session, burst twice that; 0 turns it off (DASHAPP_RATE_SESSION)")
	ipRate := fs.Float64("rate-ip", envFloat(getenv, "DASHAPP_RATE_IP", ratelimit.DefaultIPRate.PerSecond), "requests a second per client IP, burst twice that; 0 turns it off (DASHAPP_RATE_IP)")
	bevatelURL := fs.String("bevatel-url", getenv("DASHAPP_BEVATEL_URL"), "Bevatel base URL to verify each context against, such as https://chat.bevatel.com; needs DASHAPP_BEVATEL_TOKEN (DASHAPP_BEVATEL_URL)")
	failOpen, err := switchVar(fs, getenv, "verify-fail-open", "DASHAPP_VERIFY_FAIL_OPEN", false, "show data marked unverified when Bevatel cannot be asked")
	if err != nil {
		return serveConfig{}, err
	}
	explorer, err := switchVar(fs, getenv, "explorer", "DASHAPP_EXPLORER", true, "keep the payload explorer's in-memory log; off disables it")
	if err != nil {
		return serveConfig{}, err
	}
	simulator, err := switchVar(fs, getenv, "simulator", "DASHAPP_SIMULATOR", false, "serve the host simulator even with an access key; it also lets the app's loopback origins frame the app; always on in development")
	if err != nil {
		return serveConfig{}, err
	}
	orderURL := fs.String("order-url", getenv("DASHAPP_ORDER_URL"), "the order in the shop's admin, for orders whose platform gave no link: an http(s) URL with {number}, such as https://shop.example.com/admin/orders/{number} (DASHAPP_ORDER_URL)")
	actionsOn, err := switchVar(fs, getenv, "actions", "DASHAPP_ACTIONS", true, "the panel's actions (link the customer, private notes) through the Bevatel API; need DASHAPP_BEVATEL_URL and DASHAPP_BEVATEL_TOKEN; off removes them")
	if err != nil {
		return serveConfig{}, err
	}
	replies, err := switchVar(fs, getenv, "allow-replies", "DASHAPP_ALLOW_REPLIES", false, "let agents send an order's text to the customer (private: false) from the panel")
	if err != nil {
		return serveConfig{}, err
	}
	region := regionFlag(fs, getenv)
	drainFor := fs.String("drain", envOr(getenv, "DASHAPP_DRAIN", DefaultDrain), "after SIGTERM, how long /readyz answers 503 while requests are still served, such as 5s (DASHAPP_DRAIN)")
	if err := fs.Parse(args); err != nil {
		return serveConfig{}, err
	}
	if err := setRegion(*region); err != nil {
		return serveConfig{}, err
	}
	drainTime, err := time.ParseDuration(*drainFor)
	if err != nil || drainTime < 0 {
		return serveConfig{}, fmt.Errorf("DASHAPP_DRAIN %q: write a duration such as 5s or 0", *drainFor)
	}
	// The API token is read from the environment only: a flag would show it
	// in the process list.
	bevatelToken := getenv("DASHAPP_BEVATEL_TOKEN")
	if (*bevatelURL == "") != (bevatelToken == "") {
		return serveConfig{}, fmt.Errorf("verified context needs both DASHAPP_BEVATEL_URL and DASHAPP_BEVATEL_TOKEN (an agent's or bot's access token)")
	}
	if *bevatelURL != "" {
		if u, err := url.Parse(*bevatelURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return serveConfig{}, fmt.Errorf("DASHAPP_BEVATEL_URL %q: write it as https://host, such as https://chat.bevatel.com", *bevatelURL)
		}
	}
	if fs.NArg() > 0 {
		return serveConfig{}, fmt.Errorf("serve: unexpected argument %q", fs.Arg(0))
	}
	if err := handlers.CheckOrderURL(*orderURL); err != nil {
		return serveConfig{}, err
	}
	if !appcontext.ValidPrefix(*prefix) {
		return serveConfig{}, fmt.Errorf("host prefix %q: use lower-case letters, digits and dashes, such as bevatel or chatwoot", *prefix)
	}
	allowed, err := parseOrigins(*origins)
	if err != nil {
		return serveConfig{}, err
	}
	keys, err := parseKeys(*key)
	if err != nil {
		return serveConfig{}, err
	}
	if !demo.set && len(keys) > 0 {
		// With a key this is production: demo contact ids would collide
		// with real contacts, so seeding must be asked for.
		demo.on = false
	}
	return serveConfig{addr: *addr, dbPath: *dbPath, allowedOrigins: allowed, prefix: *prefix, demo: demo.on, keys: keys,
		sessionRate: rateOf(*sessionRate), ipRate: rateOf(*ipRate),
		bevatelURL: *bevatelURL, bevatelToken: bevatelToken, verifyFailOpen: failOpen.on,
		explorer: explorer.on, simulator: simulator.on, drain: drainTime, orderURL: *orderURL, actions: actionsOn.on, allowReplies: replies.on}, nil
}

// minKeyLength keeps keys out of guessing range: 16 random characters.
const minKeyLength = 16

// parseKeys reads "new" or "new,old": the first signs new sessions.
func parseKeys(list string) ([]string, error) {
	var keys []string
	for _, k := range strings.Split(list, ",") {
		k = strings.TrimSpace(k)
		if k == "" {
			continue
		}
		if len(k) < minKeyLength {
			// The message never repeats the key: it could end up in a log.
			return nil, fmt.Errorf("access key %d is %d characters; use at least %d random ones, such as the output of: openssl rand -hex 24", len(keys)+1, len(k), minKeyLength)
		}
		keys = append(keys, k)
	}
	if len(keys) > 2 {
		return nil, fmt.Errorf("DASHAPP_KEY holds %d keys; give one, or two (new,old) during a rotation", len(keys))
	}
	return keys, nil
}

// rateOf turns a flag's requests a second into a bucket with twice the
// burst; 0 or less turns the limit off.
func rateOf(perSecond float64) ratelimit.Rate {
	if perSecond <= 0 {
		return ratelimit.Rate{PerSecond: -1}
	}
	return ratelimit.Rate{PerSecond: perSecond, Burst: int(2 * perSecond)}
}

func envFloat(getenv func(string) string, name string, def float64) float64 {
	if f, err := strconv.ParseFloat(getenv(name), 64); err == nil {
		return f
	}
	return def
}

// parseOrigins reads "https://a.example, https://b.example" into exact
// origins: scheme and host (and port), nothing else, as browsers compare them.
func parseOrigins(list string) ([]string, error) {
	var origins []string
	for _, raw := range strings.Split(list, ",") {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			return nil, fmt.Errorf("allowed origin %q: write it as scheme://host[:port], such as https://chat.bevatel.com", raw)
		}
		origins = append(origins, u.Scheme+"://"+strings.ToLower(u.Host))
	}
	return origins, nil
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseServeConfig(args, getenv, stdout)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewJSONHandler(stderr, nil))
	if _, err := setMemoryLimit(getenv, logger); err != nil {
		return err
	}
	setGCPercent(getenv)

	store, err := db.Open(ctx, cfg.dbPath)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	if cfg.demo {
		if err := seedDemoIfEmpty(ctx, store, logger); err != nil {
			store.Close()
			return err
		}
	}
	live := db.NewLive(store, logger)
	defer func() {
		if err := live.Close(); err != nil {
			logger.Error("close database", slog.Any("err", err))
		}
	}()
	live.CheckInBackground(ctx)
	go live.Watch(ctx, time.Second)

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	base := baseURL(ln.Addr(), cfg.addr)
	dev := len(cfg.keys) == 0 // no access key: unauthenticated development mode
	allowed := cfg.allowedOrigins
	simulatorURL := ""
	if dev || cfg.simulator {
		// The simulator frames the app from the app's own other origin.
		allowed = appendUnique(allowed, ownOrigins(ln.Addr())...)
		simulatorURL = base + "/simulator"
	}
	assets, err := static.Load()
	if err != nil {
		return err
	}
	var verifier handlers.ContextVerifier
	if cfg.bevatelURL != "" {
		verifier = bevatel.NewVerifier(cfg.bevatelURL, cfg.bevatelToken, 0, nil)
	}
	var panelActions handlers.ActionService
	if cfg.actions {
		opts := actions.Options{AllowReplies: cfg.allowReplies, Logger: logger, Signer: session.New(cfg.keys, 0, time.Now)}
		if cfg.bevatelURL != "" {
			opts.API = bevatel.NewClient(cfg.bevatelURL, cfg.bevatelToken, 0)
		}
		panelActions = actions.New(live, opts)
	}
	drain := &drain{ready: live}
	app := handlers.NewServer(handlers.Deps{
		Verifier:   verifier,
		Actions:    panelActions,
		Store:      live,
		Shop:       live,
		Ready:      drain,
		Middleware: []fiber.Handler{drain.closeConnections, holdDatabase(live)},
		Assets:     assets,
		Logger:     logger,
		Config: handlers.Config{
			Prefix:         cfg.prefix,
			AllowedOrigins: allowed,
			SimulatorURL:   simulatorURL,
			Keys:           cfg.keys,
			SessionRate:    cfg.sessionRate,
			IPRate:         cfg.ipRate,
			VerifyFailOpen: cfg.verifyFailOpen,
			Simulator:      cfg.simulator,
			ExplorerOff:    !cfg.explorer,
			OrderURL:       cfg.orderURL,
			ActionsOff:     !cfg.actions,
			// Secrets come from the environment only: a flag would show
			// them in the process list.
			ShopifySecret:     getenv("DASHAPP_SHOPIFY_SECRET"),
			WooCommerceSecret: getenv("DASHAPP_WOOCOMMERCE_SECRET"),
			SallaSecret:       getenv("DASHAPP_SALLA_SECRET"),
			ZidAuth:           getenv("DASHAPP_ZID_AUTH"),
			IngestToken:       getenv("DASHAPP_INGEST_TOKEN"),
		},
	})

	fmt.Fprintf(stdout, "dashapp %s listening on %s\n", buildVersion(), base)
	if dev {
		fmt.Fprintf(stdout, "Paste this URL into Bevatel (Settings → Integrations → Dashboard apps): %s/\n", base)
	} else {
		// The key is a secret: print where it goes, never the key itself.
		fmt.Fprintf(stdout, "Register this URL in Bevatel (Settings → Integrations → Dashboard apps), with your DASHAPP_KEY: %s/?key=…\n", base)
	}
	fmt.Fprintf(stdout, "Dashboard origins allowed to frame the app: %s\n", strings.Join(allowed, " "))
	if simulatorURL != "" {
		fmt.Fprintf(stdout, "Host simulator, to try the app without Bevatel: %s\n", simulatorURL)
	}
	if verifier != nil {
		logger.Info("verified context: every context is confirmed with Bevatel", slog.String("url", cfg.bevatelURL), slog.Bool("fail_open", cfg.verifyFailOpen))
	}
	if dev {
		logger.Warn("development mode: no access key is set, anyone who can reach this server can read customer data")
	}

	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	drain.start()
	logger.Info("shutting down: draining", slog.Duration("drain", cfg.drain))
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-time.After(cfg.drain):
	}
	// In-flight requests finish; then the deferred Close checkpoints the database.
	if err := app.ShutdownWithTimeout(10 * time.Second); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	logger.Info("stopped")
	return nil
}

func seedDemoIfEmpty(ctx context.Context, store *db.DB, logger *slog.Logger) error {
	empty, err := store.IsEmpty(ctx)
	if err != nil {
		return fmt.Errorf("check for demo data: %w", err)
	}
	if !empty {
		return nil
	}
	logger.Warn("seeding demo data into the empty database: its fake customers carry contact ids that real Bevatel contacts also have; set DASHAPP_DEMO=off in production", slog.String("db", store.Path()))
	if err := db.SeedDemo(ctx, store); err != nil {
		return fmt.Errorf("seed demo data: %w", err)
	}
	return nil
}

// baseURL is the address to print: the configured host name, or localhost
// for an unspecified one, with the port actually bound (":0" picks one).
func baseURL(bound net.Addr, configured string) string {
	port := bound.(*net.TCPAddr).Port
	host, _, _ := net.SplitHostPort(configured)
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return fmt.Sprintf("http://%s", net.JoinHostPort(host, fmt.Sprint(port)))
}

// ownOrigins are the two loopback names of this server; the simulator
// serves on one and frames the app on the other, so the origin checks run
// exactly as they do under the real dashboard.
func ownOrigins(bound net.Addr) []string {
	port := bound.(*net.TCPAddr).Port
	return []string{fmt.Sprintf("http://localhost:%d", port), fmt.Sprintf("http://127.0.0.1:%d", port)}
}

func appendUnique(list []string, more ...string) []string {
	for _, m := range more {
		if !slices.Contains(list, m) {
			list = append(list, m)
		}
	}
	return list
}

// splitAddr turns a listen address into one a client can dial.
func splitAddr(addr string) (host, port string, err error) {
	host, port, err = net.SplitHostPort(addr)
	if err != nil {
		return "", "", fmt.Errorf("address %q: %w", addr, err)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return host, port, nil
}
