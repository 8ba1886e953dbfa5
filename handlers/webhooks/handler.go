package webhooks

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"dashapp/db/shop"
)

// Ingester is what a receiver writes to. The SQLite store in package db
// implements it. Ingest applies a batch in one transaction or not at all,
// and reports a delivery id it has seen before as IngestResult.Duplicate;
// LogDelivery appends one line to the source's delivery history.
type Ingester interface {
	Ingest(ctx context.Context, d shop.Delivery, b shop.Batch) (shop.IngestResult, error)
	LogDelivery(ctx context.Context, l shop.DeliveryLog) error
}

// Source is one platform's receiver: the two functions every platform
// package exposes (see the package comment), and optionally its handshake.
type Source struct {
	Name   string // one of the shop.Source constants
	Verify func(secret string, header func(name string) string, body []byte) error
	Decode func(header func(name string) string, body []byte) (shop.Delivery, shop.Batch, error)
	// Identify, when set, reads the delivery's id and topic from its
	// headers, so that a refused delivery's log line names them too
	// (shortened: they are not signed).
	Identify func(header func(name string) string) shop.Delivery
	// Ping, when set, recognises the unsigned handshake some platforms send
	// when a webhook is registered (WooCommerce's "webhook_id=N"): it is
	// answered 200 before any signature check, and writes nothing but its
	// line in the delivery log.
	Ping func(header func(name string) string, body []byte) bool
}

// AnswerWithin bounds every answer: Shopify and WooCommerce give up after
// a few seconds and count a slow answer as a failure, so the store gets
// StoreBudget of it and the delivery log what is left.
const (
	AnswerWithin = time.Second
	StoreBudget  = 800 * time.Millisecond
)

// MaxBody is the largest delivery accepted: an order with hundreds of
// lines fits many times over; anything bigger is abuse.
const MaxBody = 4 << 20

// Handler receives one source's deliveries. It verifies the signature over
// the raw body, decodes it and ingests it, and answers as the platforms
// expect: 401 for a bad signature, 400 for a signed but unreadable body,
// 200 for an unknown topic or a duplicate (so the platform stops retrying),
// 500 when the store fails (so it retries). With no secret the route does
// not exist (404): a source is enabled by setting its secret.
//
// Every delivery gets one line in the delivery log and one in log: the
// source, the delivery id, the topic and the outcome, never the body.
func Handler(src Source, secret string, store Ingester, log *slog.Logger, now func() time.Time) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if secret == "" {
			return fiber.ErrNotFound
		}
		start := time.Now()
		r := receiver{src: src, store: store, log: log, now: now, c: c, deadline: start.Add(AnswerWithin)}
		return r.receive(secret)
	}
}

type receiver struct {
	src      Source
	store    Ingester
	log      *slog.Logger
	now      func() time.Time
	c        *fiber.Ctx
	deadline time.Time
}

func (r *receiver) receive(secret string) error {
	c := r.c
	// The values go into records and the delivery log, which outlive the
	// request; fasthttp reuses the header buffer for the next one.
	header := func(name string) string { return strings.Clone(c.Get(name)) }
	if e := c.Get(fiber.HeaderContentEncoding); e != "" && !strings.EqualFold(e, "identity") {
		// The raw bytes are what is signed; inflating them (as c.Body would,
		// with no limit) is not our business.
		return r.answer(fiber.StatusUnsupportedMediaType, shop.Delivery{}, shop.OutcomeMalformed, "compressed body", 0)
	}
	// Request().Body is the raw body: no decompression, and it lives only
	// for this request, which is as long as Verify and Decode need it.
	body := c.Request().Body()
	if len(body) > MaxBody {
		return r.answer(fiber.StatusRequestEntityTooLarge, shop.Delivery{}, shop.OutcomeMalformed, "body too large", 0)
	}
	if r.src.Ping != nil && r.src.Ping(header, body) {
		return r.answer(fiber.StatusOK, shop.Delivery{}, shop.OutcomeIgnored, "ping", 0)
	}
	if err := r.src.Verify(secret, header, body); err != nil {
		var d shop.Delivery
		if r.src.Identify != nil {
			d = r.src.Identify(header)
			d.ID, d.Topic = unsigned(d.ID), unsigned(d.Topic)
		}
		return r.answer(fiber.StatusUnauthorized, d, shop.OutcomeRefused, err.Error(), 0)
	}
	d, batch, err := r.src.Decode(header, body)
	switch {
	case errors.Is(err, ErrUnknownTopic):
		return r.answer(fiber.StatusOK, d, shop.OutcomeIgnored, err.Error(), 0)
	case err != nil:
		return r.answer(fiber.StatusBadRequest, d, shop.OutcomeMalformed, reasonOf(err), 0)
	}
	ctx, cancel := context.WithDeadline(c.UserContext(), minTime(time.Now().Add(StoreBudget), r.deadline))
	defer cancel()
	res, err := r.store.Ingest(ctx, d, batch)
	switch {
	case err != nil:
		var re *shop.RecordError
		if errors.As(err, &re) && !errors.Is(err, shop.ErrNotFound) {
			// The platform's data breaks a rule of the store: retrying cannot
			// help. A record naming an order not seen yet is different: the
			// platforms reorder deliveries, and the retry finds it.
			return r.answer(fiber.StatusBadRequest, d, shop.OutcomeMalformed, reasonOf(err), 0)
		}
		return r.answer(fiber.StatusInternalServerError, d, shop.OutcomeFailed, storeReason(err), 0)
	case res.Duplicate:
		return r.answer(fiber.StatusOK, d, shop.OutcomeDuplicate, "", 0)
	}
	return r.answer(fiber.StatusOK, d, shop.OutcomeAccepted, "", res.Applied)
}

// answer logs the delivery and sends the status. The answer never carries
// the reason: the platform shows our body to the merchant, and the reason
// is the operator's, on the status page.
func (r *receiver) answer(status int, d shop.Delivery, outcome, reason string, records int) error {
	if d.Source == "" {
		d.Source = r.src.Name
	}
	entry := shop.DeliveryLog{Source: d.Source, DeliveryID: d.ID, Topic: d.Topic, Outcome: outcome,
		Reason: reason, Records: records, At: r.now()}
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	} else if status >= 400 {
		level = slog.LevelWarn
	}
	r.log.LogAttrs(r.c.UserContext(), level, "webhook",
		slog.String("source", entry.Source), slog.String("delivery_id", entry.DeliveryID),
		slog.String("topic", entry.Topic), slog.String("outcome", outcome),
		slog.String("reason", reason), slog.Int("records", records), slog.Int("status", status))
	// The log line is worth less than answering in time: it gets what is
	// left of the budget, detached from a cancelled store call.
	ctx, cancel := context.WithDeadline(context.WithoutCancel(r.c.UserContext()), r.deadline)
	defer cancel()
	if err := r.store.LogDelivery(ctx, entry); err != nil {
		r.log.LogAttrs(ctx, slog.LevelError, "webhook delivery log", slog.String("source", entry.Source),
			slog.String("delivery_id", entry.DeliveryID), slog.Any("err", err))
	}
	return r.c.Status(status).SendString(outcomeText[outcome])
}

// outcomeText is the body of each answer: a word, for whoever reads the
// platform's delivery log.
var outcomeText = map[string]string{
	shop.OutcomeAccepted:  "accepted",
	shop.OutcomeDuplicate: "duplicate",
	shop.OutcomeIgnored:   "ignored",
	shop.OutcomeRefused:   "refused",
	shop.OutcomeMalformed: "malformed",
	shop.OutcomeFailed:    "failed",
}

// storeReason says why the store failed without its error text, which may
// quote a record's values (a constraint naming an email).
func storeReason(err error) string {
	var re *shop.RecordError
	switch {
	case errors.As(err, &re):
		return reasonOf(err)
	case errors.Is(err, context.DeadlineExceeded):
		return "store did not answer in time"
	case errors.Is(err, context.Canceled):
		return "request cancelled"
	}
	return "store failed"
}

// reasonOf is the error's text when the platform packages built it (they
// name fields, never values); a RecordError keeps its index and field only.
func reasonOf(err error) string {
	var re *shop.RecordError
	if errors.As(err, &re) {
		why := "rejected by the store"
		if errors.Is(err, shop.ErrNotFound) {
			why = shop.ErrNotFound.Error()
		}
		return (&shop.RecordError{Index: re.Index, Field: re.Field, Err: errors.New(why)}).Error()
	}
	return err.Error()
}

// unsignedMax bounds what an unsigned header may put in the delivery log:
// platforms' ids and topics are far shorter.
const unsignedMax = 64

// unsigned is a header value of a delivery whose signature failed: valid
// UTF-8, at most unsignedMax bytes.
func unsigned(s string) string {
	s = strings.ToValidUTF8(s, "")
	if len(s) <= unsignedMax {
		return s
	}
	cut := unsignedMax
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
