package db

import (
	"context"
	"time"

	"dashapp/db/shop"
)

// The actions' calls on the current file, so that the panel's writes
// follow a replaced database like its reads.

// BeginAction is DB.BeginAction on the current file.
func (l *Live) BeginAction(ctx context.Context, req shop.ActionRequest) (shop.Action, bool, error) {
	type r struct {
		a     shop.Action
		begun bool
	}
	got, err := liveCall(l, ctx, func(d *DB) (r, error) {
		a, begun, err := d.BeginAction(ctx, req)
		return r{a, begun}, err
	})
	return got.a, got.begun, err
}

// FinishAction is DB.FinishAction on the current file.
func (l *Live) FinishAction(ctx context.Context, id int64, result shop.ActionResult, at time.Time) (shop.Action, error) {
	return liveCall(l, ctx, func(d *DB) (shop.Action, error) { return d.FinishAction(ctx, id, result, at) })
}

// Action is DB.Action on the current file.
func (l *Live) Action(ctx context.Context, key string) (shop.Action, error) {
	return liveCall(l, ctx, func(d *DB) (shop.Action, error) { return d.Action(ctx, key) })
}

// RecentAction is DB.RecentAction on the current file.
func (l *Live) RecentAction(ctx context.Context, accountID, conversationID int64, kind shop.ActionKind, target string, since time.Time) (shop.Action, bool, error) {
	type r struct {
		a  shop.Action
		ok bool
	}
	got, err := liveCall(l, ctx, func(d *DB) (r, error) {
		a, ok, err := d.RecentAction(ctx, accountID, conversationID, kind, target, since)
		return r{a, ok}, err
	})
	return got.a, got.ok, err
}

// Audit is DB.Audit on the current file.
func (l *Live) Audit(ctx context.Context, limit int, cursor string) (shop.AuditPage, error) {
	return liveCall(l, ctx, func(d *DB) (shop.AuditPage, error) { return d.Audit(ctx, limit, cursor) })
}

// CustomerRef is DB.CustomerRef on the current file.
func (l *Live) CustomerRef(ctx context.Context, customerID int64) (string, error) {
	return liveCall(l, ctx, func(d *DB) (string, error) { return d.CustomerRef(ctx, customerID) })
}

// LinkCustomer is DB.LinkCustomer on the current file.
func (l *Live) LinkCustomer(ctx context.Context, customerID, contactID int64, move bool) (shop.Link, error) {
	return liveCall(l, ctx, func(d *DB) (shop.Link, error) { return d.LinkCustomer(ctx, customerID, contactID, move) })
}

// UnlinkCustomer is DB.UnlinkCustomer on the current file.
func (l *Live) UnlinkCustomer(ctx context.Context, customerID, contactID int64) (shop.Link, error) {
	return liveCall(l, ctx, func(d *DB) (shop.Link, error) { return d.UnlinkCustomer(ctx, customerID, contactID) })
}
