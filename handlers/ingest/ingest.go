// Package ingest is POST /ingest: the API through which a shop on any
// system sends its customers, orders (with their items), payments and
// shipments. A request is one transaction: a bad record is refused with
// its index and field, and nothing of the request is written.
package ingest

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/gofiber/fiber/v2"

	"dashapp/db/shop"
)

// Store applies one batch in one transaction. Its errors: a
// *shop.RecordError (with shop.ErrNotFound for a record naming a customer
// or order that does not exist) for a bad record; anything else is the
// store's own failure.
type Store interface {
	Ingest(ctx context.Context, d shop.Delivery, b shop.Batch) (shop.IngestResult, error)
}

// Limits bound one request.
type Limits struct {
	Bytes   int // largest body accepted; larger is a 413
	Records int // most records in one request; more is a 413
}

// DefaultMaxRecords is the record limit when Limits.Records is unset: a
// 10,000-record batch, the size the performance target is set for.
const DefaultMaxRecords = 10_000

// Topic names /ingest requests in the delivery log.
const Topic = "ingest"

// HeaderIdempotencyKey, when a client sends it, identifies the request:
// a retry with the same key is acknowledged and writes nothing again.
const HeaderIdempotencyKey = "Idempotency-Key"

// Result is the answer to an accepted request.
type Result struct {
	Applied   int  `json:"applied"`
	Stale     int  `json:"stale"`
	Duplicate bool `json:"duplicate"`
}

// Problem is the answer to a refused request. Index and Field name the
// bad record when there is one.
type Problem struct {
	Error string `json:"error"`
	Index *int   `json:"index,omitempty"`
	Field string `json:"field,omitempty"`
}

// Handler serves POST /ingest. With no token the API is off and answers
// 404, as an unset webhook secret does. limits.Bytes should be the app's
// body limit.
func Handler(store Store, token string, limits Limits, logger *slog.Logger) fiber.Handler {
	if token == "" {
		return func(c *fiber.Ctx) error { return fiber.ErrNotFound }
	}
	if limits.Records <= 0 {
		limits.Records = DefaultMaxRecords
	}
	want := sha256.Sum256([]byte(token))
	return func(c *fiber.Ctx) error {
		sent, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
		got := sha256.Sum256([]byte(strings.TrimSpace(sent)))
		// Comparing hashes keeps the time independent of the token's length.
		if subtle.ConstantTimeCompare(want[:], got[:]) != 1 || !ok {
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="dashapp ingest"`)
			return answer(c, fiber.StatusUnauthorized, Problem{Error: "missing or wrong bearer token"})
		}
		body := c.Body()
		if limits.Bytes > 0 && len(body) > limits.Bytes {
			return answer(c, fiber.StatusRequestEntityTooLarge, Problem{
				Error: fmt.Sprintf("the body is %d KB; /ingest accepts at most %d KB", kb(len(body)), kb(limits.Bytes)),
			})
		}
		decoded, err := Decode(body, c.Get(fiber.HeaderContentType), limits.Records)
		if err != nil {
			return refuse(c, err, func(i int) int { return i })
		}
		delivery := shop.Delivery{Source: shop.SourceAPI, ID: strings.TrimSpace(c.Get(HeaderIdempotencyKey)), Topic: Topic}
		res, err := store.Ingest(c.UserContext(), delivery, decoded.Batch)
		if err != nil {
			var rec *shop.RecordError
			if errors.As(err, &rec) || errors.Is(err, shop.ErrNotFound) {
				return refuse(c, err, decoded.Request)
			}
			logger.Error("ingest failed", "records", decoded.Batch.Len(), "err", err)
			return answer(c, fiber.StatusInternalServerError, Problem{Error: "the store failed; nothing was written, the request can be retried"})
		}
		logger.Info("ingest", "records", decoded.Batch.Len(), "applied", res.Applied, "stale", res.Stale, "duplicate", res.Duplicate)
		return answer(c, fiber.StatusOK, Result{Applied: res.Applied, Stale: res.Stale, Duplicate: res.Duplicate})
	}
}

// refuse answers a bad request: 413 for too many records, else 400 with
// the record's index in the request (requestIndex maps the index the
// error carries) and field.
func refuse(c *fiber.Ctx, err error, requestIndex func(int) int) error {
	if errors.Is(err, ErrTooManyRecords) {
		return answer(c, fiber.StatusRequestEntityTooLarge, Problem{Error: err.Error()})
	}
	p := Problem{Error: err.Error()}
	var rec *shop.RecordError
	if errors.As(err, &rec) {
		i := requestIndex(rec.Index)
		p = Problem{Error: (&shop.RecordError{Index: i, Field: rec.Field, Err: rec.Err}).Error(), Index: &i, Field: rec.Field}
	}
	return answer(c, fiber.StatusBadRequest, p)
}

func answer(c *fiber.Ctx, status int, body any) error {
	return c.Status(status).JSON(body)
}

// kb is a byte count in KB, rounded up: never "4096 KB; at most 4096 KB".
func kb(n int) int { return (n + 1023) >> 10 }
