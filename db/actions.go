package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"dashapp/db/shop"
)

// ActionLease is how long a begun action may stay pending before a
// request with its key treats it as abandoned: longer than any call to
// Bevatel can take.
const ActionLease = 2 * time.Minute

const (
	actionColumns = `id, idempotency_key, fingerprint, action, agent_name, agent_id, account_id, conversation_id,
	contact_id, target, outcome, maybe_applied, detail, coalesce(message_id, 0), started_at, coalesce(finished_at, 0)`

	beginActionSQL = `INSERT INTO actions (idempotency_key, fingerprint, action, agent_name, agent_id, account_id,
	conversation_id, contact_id, target, started_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (idempotency_key) DO NOTHING`
	actionByKeySQL   = `SELECT ` + actionColumns + ` FROM actions WHERE idempotency_key = ?`
	actionByIDSQL    = `SELECT ` + actionColumns + ` FROM actions WHERE id = ?`
	finishActionSQL  = `UPDATE actions SET outcome = ?, maybe_applied = ?, detail = ?, message_id = nullif(?, 0), finished_at = ? WHERE id = ? AND outcome = 'pending'`
	abandonActionSQL = `UPDATE actions SET outcome = 'abandoned', finished_at = ? WHERE id = ? AND outcome = 'pending'`
	recentActionSQL  = `SELECT ` + actionColumns + ` FROM actions
WHERE account_id = ? AND conversation_id = ? AND action = ? AND target = ? AND started_at >= ? AND maybe_applied = 1
ORDER BY started_at DESC, id DESC LIMIT 1`
	auditFirstSQL = `SELECT ` + actionColumns + ` FROM actions ORDER BY id DESC LIMIT ?`
	auditAfterSQL = `SELECT ` + actionColumns + ` FROM actions WHERE id < ? ORDER BY id DESC LIMIT ?`
)

// BeginAction records that an action is about to be taken under its
// idempotency key. It returns the new row and true when the caller should
// act (then FinishAction), or the earlier row and false when the key was
// seen before and that action has finished: the caller returns its
// result instead of acting again. A key whose action is still pending is
// ErrActionInProgress; one pending for longer than ActionLease is marked
// abandoned and returned. A key used for another request (another
// fingerprint) is ErrKeyReused.
func (d *DB) BeginAction(ctx context.Context, req shop.ActionRequest) (shop.Action, bool, error) {
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return shop.Action{}, false, fmt.Errorf("begin action: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, beginActionSQL, req.Key, req.Fingerprint, string(req.Kind), req.AgentName, req.AgentID,
		req.AccountID, req.ConversationID, req.ContactID, req.Target, req.At.Unix())
	if err != nil {
		return shop.Action{}, false, fmt.Errorf("begin %s action: %w", req.Kind, err)
	}
	inserted, err := res.RowsAffected()
	if err != nil {
		return shop.Action{}, false, fmt.Errorf("begin %s action: %w", req.Kind, err)
	}
	a, err := scanAction(tx.QueryRowContext(ctx, actionByKeySQL, req.Key))
	if err != nil {
		return shop.Action{}, false, fmt.Errorf("begin %s action: read it back: %w", req.Kind, err)
	}
	switch {
	case inserted == 1:
		// Ours.
	case a.Fingerprint != req.Fingerprint:
		return shop.Action{}, false, fmt.Errorf("action %d: %w", a.ID, shop.ErrKeyReused)
	case a.Pending() && req.At.Sub(a.At) < ActionLease:
		return a, false, fmt.Errorf("action %d: %w", a.ID, shop.ErrActionInProgress)
	case a.Pending():
		if _, err := tx.ExecContext(ctx, abandonActionSQL, req.At.Unix(), a.ID); err != nil {
			return shop.Action{}, false, fmt.Errorf("abandon action %d: %w", a.ID, err)
		}
		a.Outcome, a.FinishedAt = shop.OutcomeAbandoned, unixTime(req.At.Unix())
	}
	if err := tx.Commit(); err != nil {
		return shop.Action{}, false, fmt.Errorf("begin %s action: %w", req.Kind, err)
	}
	return a, inserted == 1, nil
}

// FinishAction records how a begun action ended. Finishing an action that
// is not pending (finished, or abandoned meanwhile) changes nothing and
// returns the row as it is.
func (d *DB) FinishAction(ctx context.Context, id int64, result shop.ActionResult, at time.Time) (shop.Action, error) {
	if result.Outcome == "" || result.Outcome == shop.OutcomePending {
		return shop.Action{}, fmt.Errorf("finish action %d: outcome %q is not an end", id, result.Outcome)
	}
	if _, err := d.write.ExecContext(ctx, finishActionSQL, result.Outcome, result.MaybeApplied, result.Detail, result.MessageID, at.Unix(), id); err != nil {
		return shop.Action{}, fmt.Errorf("finish action %d: %w", id, err)
	}
	a, err := scanAction(d.write.QueryRowContext(ctx, actionByIDSQL, id))
	if err != nil {
		return shop.Action{}, fmt.Errorf("finish action %d: read it back: %w", id, err)
	}
	return a, nil
}

// Action is the action recorded under an idempotency key; an error
// wrapping shop.ErrNotFound when there is none.
func (d *DB) Action(ctx context.Context, key string) (shop.Action, error) {
	a, err := scanAction(d.read.QueryRowContext(ctx, actionByKeySQL, key))
	if errors.Is(err, sql.ErrNoRows) {
		return shop.Action{}, fmt.Errorf("action: %w", shop.ErrNotFound)
	}
	if err != nil {
		return shop.Action{}, fmt.Errorf("action: %w", err)
	}
	return a, nil
}

// RecentAction is the newest action of kind with target in a conversation
// that began at or after since and may have been carried out (succeeded,
// pending, or failed without knowing), so that the panel can ask "this
// order was added 4 minutes ago: add again?". ok is false when there is
// none.
func (d *DB) RecentAction(ctx context.Context, accountID, conversationID int64, kind shop.ActionKind, target string, since time.Time) (shop.Action, bool, error) {
	a, err := scanAction(d.read.QueryRowContext(ctx, recentActionSQL, accountID, conversationID, string(kind), target, since.Unix()))
	if errors.Is(err, sql.ErrNoRows) {
		return shop.Action{}, false, nil
	}
	if err != nil {
		return shop.Action{}, false, fmt.Errorf("recent %s action in conversation %d: %w", kind, conversationID, err)
	}
	return a, true, nil
}

// Audit is a page of the audit trail, newest first: up to limit actions
// (DefaultPageSize when limit <= 0, at most MaxPageSize) older than
// cursor ("" for the newest). A cursor it did not make wraps
// ErrBadCursor.
func (d *DB) Audit(ctx context.Context, limit int, cursor string) (shop.AuditPage, error) {
	n := shop.PageLimit(limit)
	var rows *sql.Rows
	var err error
	if cursor == "" {
		rows, err = d.read.QueryContext(ctx, auditFirstSQL, n+1)
	} else {
		after, cerr := shop.ParseCursor(cursor)
		if cerr != nil {
			return shop.AuditPage{}, fmt.Errorf("audit: %w", cerr)
		}
		rows, err = d.read.QueryContext(ctx, auditAfterSQL, after.ID, n+1)
	}
	if err != nil {
		return shop.AuditPage{}, fmt.Errorf("audit: %w", err)
	}
	defer rows.Close()
	var page shop.AuditPage
	for rows.Next() {
		a, err := scanAction(rows)
		if err != nil {
			return shop.AuditPage{}, fmt.Errorf("audit: %w", err)
		}
		page.Actions = append(page.Actions, a)
	}
	if err := rows.Err(); err != nil {
		return shop.AuditPage{}, fmt.Errorf("audit: %w", err)
	}
	if len(page.Actions) > n {
		page.Actions = page.Actions[:n]
		last := page.Actions[n-1]
		page.Next = shop.Cursor{At: last.At, ID: last.ID}.String()
	}
	return page, nil
}

type scanner interface{ Scan(dest ...any) error }

func scanAction(row scanner) (shop.Action, error) {
	var a shop.Action
	var kind string
	var started, finished int64
	err := row.Scan(&a.ID, &a.Key, &a.Fingerprint, &kind, &a.AgentName, &a.AgentID, &a.AccountID, &a.ConversationID,
		&a.ContactID, &a.Target, &a.Outcome, &a.MaybeApplied, &a.Detail, &a.MessageID, &started, &finished)
	if err != nil {
		return shop.Action{}, err
	}
	a.Kind = shop.ActionKind(kind)
	a.At = unixTime(started)
	if finished != 0 {
		a.FinishedAt = unixTime(finished)
	}
	return a, nil
}
