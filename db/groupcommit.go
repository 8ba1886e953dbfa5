package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

// Group commit for the small writes that arrive concurrently (webhook
// deliveries and their delivery-log lines): every write goes through the
// one write connection, and a transaction's BEGIN, COMMIT and the WAL
// frames of the pages every delivery touches (the delivery ids, the
// orders' indexes, the log's counts) cost more than the records
// themselves. Calls that find the connection busy wait in a queue; the
// call that frees it runs all of them in one transaction, each in its own
// savepoint, so one call's error undoes only its own writes. No call
// returns before the transaction holding its writes has committed.

// maxGroup bounds one transaction's calls, so that a group's latency stays
// a few milliseconds under any load.
const maxGroup = 64

// Savepoint statements, prepared on the write connection.
const (
	savepointSQL = `SAVEPOINT grouped`
	releaseSQL   = `RELEASE grouped`
	rollbackSQL  = `ROLLBACK TO grouped`
)

type writeGroup struct {
	mu      sync.Mutex
	pending []*groupCall
	busy    bool // a leader is running a group
}

type groupCall struct {
	ctx  context.Context
	fn   func(tx *sql.Tx) error
	err  error
	done bool      // fn ran and its transaction committed (or err says why not)
	wake chan bool // true: lead the next group; false: done, err is set
}

// inGroupTx runs fn in a write transaction that may hold other calls'
// writes too, and returns once that transaction has committed. fn must
// use ctx for its statements; it runs once.
func (d *DB) inGroupTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	call := &groupCall{ctx: ctx, fn: fn, wake: make(chan bool, 1)}
	g := &d.group
	g.mu.Lock()
	g.pending = append(g.pending, call)
	lead := !g.busy
	g.busy = true
	g.mu.Unlock()
	if !lead && !<-call.wake {
		return call.err
	}
	// Leading: run what is queued (this call first), then hand over, even
	// if a write panics, so that no queued call waits for ever.
	g.mu.Lock()
	n := min(len(g.pending), maxGroup)
	group := g.pending[:n:n]
	g.pending = g.pending[n:]
	g.mu.Unlock()
	defer d.handOver(group)
	d.runGroup(group)
	for _, c := range group {
		c.done = true
	}
	return call.err
}

// handOver wakes the next leader, if calls are queued, and the group's
// other calls with their results.
func (d *DB) handOver(group []*groupCall) {
	g := &d.group
	g.mu.Lock()
	var next *groupCall
	if len(g.pending) > 0 {
		next = g.pending[0]
	} else {
		g.busy = false
	}
	g.mu.Unlock()
	if next != nil {
		next.wake <- true
	}
	for _, c := range group[1:] {
		if c.err == nil && !c.done {
			c.err = errors.New("write group aborted") // the leader panicked
		}
		c.wake <- false
	}
}

// runGroup sets each call's err. A single call needs no savepoint.
func (d *DB) runGroup(group []*groupCall) {
	if len(group) == 1 {
		group[0].err = d.inWriteTx(group[0].ctx, group[0].fn)
		return
	}

	// The transaction outlives any one call's context; each call's
	// statements run under its own.
	tx, err := d.write.BeginTx(context.WithoutCancel(group[0].ctx), nil)
	if err != nil {
		for _, c := range group {
			c.err = lockedError(err)
		}
		return
	}
	sp := func(c *groupCall, query string) error {
		_, err := tx.StmtContext(context.WithoutCancel(c.ctx), d.stmts[query]).ExecContext(context.WithoutCancel(c.ctx))
		return err
	}
	abort := func(err error) {
		tx.Rollback()
		for _, c := range group {
			if c.err == nil {
				c.err = err
			}
		}
	}
	for i, c := range group {
		if err := c.ctx.Err(); err != nil {
			c.err = err
			continue
		}
		if err := sp(c, savepointSQL); err != nil {
			abort(lockedError(err))
			return
		}
		c.err = callFn(c, tx)
		if c.err == nil {
			if err := sp(c, releaseSQL); err != nil {
				abort(fmt.Errorf("release savepoint: %w", err))
				return
			}
			continue
		}
		if isBusy(c.err) {
			// Another process holds the write lock: the rest would
			// wait out the busy timeout one after another.
			c.err = lockedError(c.err)
			for _, rest := range group[i+1:] {
				rest.err = c.err
			}
			abort(c.err)
			return
		}
		if err := errors.Join(sp(c, rollbackSQL), sp(c, releaseSQL)); err != nil {
			abort(fmt.Errorf("roll back a failed write: %w", err))
			return
		}
	}
	if err := tx.Commit(); err != nil {
		for _, c := range group {
			if c.err == nil {
				c.err = lockedError(err)
			}
		}
	}
}

// callFn runs one call's writes; a panic becomes its error, so that the
// group's transaction still rolls back or commits.
func callFn(c *groupCall, tx *sql.Tx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("write panicked: %v", r)
		}
	}()
	return c.fn(tx)
}
