package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"dashapp/db/shop"
)

// DeliveryLogKeep is how many deliveries of each source and outcome the
// log keeps; delivery_counts counts them all.
const DeliveryLogKeep = 20

// maxReasonBytes bounds the reason a log line keeps.
const maxReasonBytes = 300

const (
	insertDeliveryLogSQL = `INSERT INTO delivery_log (source, delivery_id, topic, outcome, reason, records, at) VALUES (?, ?, ?, ?, ?, ?, ?)`
	pruneDeliveryLogSQL  = `DELETE FROM delivery_log WHERE source = ?1 AND outcome = ?2 AND id <= (
	SELECT id FROM delivery_log WHERE source = ?1 AND outcome = ?2 ORDER BY id DESC LIMIT 1 OFFSET ?3)`
	countDeliverySQL = `INSERT INTO delivery_counts (source, outcome, count) VALUES (?, ?, 1)
ON CONFLICT DO UPDATE SET count = count + 1`

	// deliveryCountsSQL reads every row of delivery_counts: one per source
	// and outcome, so a handful.
	deliveryCountsSQL  = `SELECT source, outcome, count FROM delivery_counts ORDER BY source, outcome`
	deliveryLogColumns = `source, delivery_id, topic, outcome, reason, records, at`
	lastAcceptedSQL    = `SELECT ` + deliveryLogColumns + ` FROM delivery_log WHERE source = ? AND outcome = 'accepted' ORDER BY id DESC LIMIT 1`
	lastRefusedSQL     = `SELECT ` + deliveryLogColumns + ` FROM delivery_log WHERE source = ? AND outcome IN ('refused', 'malformed', 'failed') ORDER BY id DESC LIMIT 1`
)

var deliveryOutcomes = []string{shop.OutcomeAccepted, shop.OutcomeDuplicate, shop.OutcomeIgnored, shop.OutcomeRefused, shop.OutcomeMalformed, shop.OutcomeFailed}

// LogDelivery records one delivery's outcome for the status page: the log
// keeps the newest DeliveryLogKeep per source and outcome, the counts every
// one. The reason is cut to a few hundred bytes; callers put no body in it.
func (d *DB) LogDelivery(ctx context.Context, l shop.DeliveryLog) error {
	l.Source = strings.TrimSpace(l.Source)
	if l.Source == "" {
		return errors.New("log delivery: no source")
	}
	if !slices.Contains(deliveryOutcomes, l.Outcome) {
		return fmt.Errorf("log delivery: outcome %q is not one of %s", l.Outcome, strings.Join(deliveryOutcomes, ", "))
	}
	if l.At.IsZero() {
		l.At = time.Now()
	}
	l.Reason = truncateUTF8(l.Reason, maxReasonBytes)
	err := d.inGroupTx(ctx, func(tx *sql.Tx) error {
		for _, w := range []struct {
			query string
			args  []any
		}{
			{insertDeliveryLogSQL, []any{l.Source, l.DeliveryID, l.Topic, l.Outcome, l.Reason, max(l.Records, 0), l.At.UnixMilli()}},
			{pruneDeliveryLogSQL, []any{l.Source, l.Outcome, DeliveryLogKeep}},
			{countDeliverySQL, []any{l.Source, l.Outcome}},
		} {
			if _, err := tx.StmtContext(ctx, d.stmts[w.query]).ExecContext(ctx, w.args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("log delivery from %s: %w", l.Source, err)
	}
	return nil
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

// SourceStatuses is every source that delivered anything, by name: its
// counts per outcome, its last accepted and its last refused delivery.
func (d *DB) SourceStatuses(ctx context.Context) ([]shop.SourceStatus, error) {
	rows, err := d.read.QueryContext(ctx, deliveryCountsSQL)
	if err != nil {
		return nil, fmt.Errorf("delivery counts: %w", err)
	}
	var out []shop.SourceStatus
	for rows.Next() {
		var source, outcome string
		var n int
		if err := rows.Scan(&source, &outcome, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("delivery counts: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].Source != source {
			out = append(out, shop.SourceStatus{Source: source, Counts: map[string]int{}})
		}
		out[len(out)-1].Counts[outcome] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("delivery counts: %w", err)
	}
	for i := range out {
		s := &out[i]
		if s.LastAccepted, err = d.lastDelivery(ctx, lastAcceptedSQL, s.Source); err != nil {
			return nil, err
		}
		if s.LastRefused, err = d.lastDelivery(ctx, lastRefusedSQL, s.Source); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (d *DB) lastDelivery(ctx context.Context, query, source string) (*shop.DeliveryLog, error) {
	var l shop.DeliveryLog
	var at int64
	err := d.read.QueryRowContext(ctx, query, source).Scan(&l.Source, &l.DeliveryID, &l.Topic, &l.Outcome, &l.Reason, &l.Records, &at)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("last delivery from %s: %w", source, err)
	}
	l.At = time.UnixMilli(at).UTC()
	return &l, nil
}
