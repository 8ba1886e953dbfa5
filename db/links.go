package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"dashapp/db/shop"
)

const (
	customerLinkSQL = `SELECT ref, coalesce(contact_id, 0) FROM customers WHERE id = ?`
	setContactSQL   = `UPDATE customers SET contact_id = ? WHERE id = ?`
	clearContactSQL = `UPDATE customers SET contact_id = NULL WHERE id = ? AND contact_id = ?`
)

// LinkCustomer records that Bevatel contact contactID is customer
// customerID, so that the panel matches them by contact id from then on.
// A customer linked to another contact is an error wrapping
// shop.ErrLinkedElsewhere (a *shop.LinkedElsewhereError naming that
// contact) unless move is true, so that the panel can ask before moving
// the link. An unknown customer wraps shop.ErrNotFound.
func (d *DB) LinkCustomer(ctx context.Context, customerID, contactID int64, move bool) (shop.Link, error) {
	if contactID <= 0 {
		return shop.Link{}, fmt.Errorf("link customer %d: contact id %d is not positive", customerID, contactID)
	}
	return d.relink(ctx, customerID, func(tx *sql.Tx, link *shop.Link) error {
		switch link.PreviousContactID {
		case contactID:
			return nil
		case 0:
		default:
			if !move {
				return &shop.LinkedElsewhereError{CustomerID: customerID, ContactID: link.PreviousContactID}
			}
		}
		if _, err := tx.ExecContext(ctx, setContactSQL, contactID, customerID); err != nil {
			return err
		}
		link.Changed = true
		return nil
	})
}

// UnlinkCustomer removes the link between customer customerID and contact
// contactID. A customer linked to another contact, or to none, is left as
// it is (Changed is false): an old panel cannot undo a newer link. An
// unknown customer wraps shop.ErrNotFound.
func (d *DB) UnlinkCustomer(ctx context.Context, customerID, contactID int64) (shop.Link, error) {
	return d.relink(ctx, customerID, func(tx *sql.Tx, link *shop.Link) error {
		res, err := tx.ExecContext(ctx, clearContactSQL, customerID, contactID)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		link.Changed = n == 1
		return err
	})
}

// relink reads the customer's ref and contact and runs change on them in
// one transaction.
func (d *DB) relink(ctx context.Context, customerID int64, change func(*sql.Tx, *shop.Link) error) (shop.Link, error) {
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return shop.Link{}, fmt.Errorf("link customer %d: %w", customerID, err)
	}
	defer tx.Rollback()
	link := shop.Link{CustomerID: customerID}
	err = tx.QueryRowContext(ctx, customerLinkSQL, customerID).Scan(&link.CustomerRef, &link.PreviousContactID)
	if errors.Is(err, sql.ErrNoRows) {
		return shop.Link{}, fmt.Errorf("customer %d: %w", customerID, shop.ErrNotFound)
	}
	if err != nil {
		return shop.Link{}, fmt.Errorf("link customer %d: %w", customerID, err)
	}
	if err := change(tx, &link); err != nil {
		return shop.Link{}, fmt.Errorf("link customer %d: %w", customerID, err)
	}
	if err := tx.Commit(); err != nil {
		return shop.Link{}, fmt.Errorf("link customer %d: %w", customerID, err)
	}
	return link, nil
}

const customerRefSQL = `SELECT ref FROM customers WHERE id = ?`

// CustomerRef is the shop's reference of customer id (what dashapp writes
// to the Bevatel contact as shop_customer_ref). An unknown customer wraps
// shop.ErrNotFound.
func (d *DB) CustomerRef(ctx context.Context, id int64) (string, error) {
	var ref string
	err := d.read.QueryRowContext(ctx, customerRefSQL, id).Scan(&ref)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("customer %d: %w", id, shop.ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("customer %d: %w", id, err)
	}
	return ref, nil
}
