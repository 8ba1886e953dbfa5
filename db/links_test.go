package db

import (
	"context"
	"errors"
	"testing"

	"dashapp/db/shop"
)

// customerByEmail is the one customer matched by email.
func customerByEmail(t *testing.T, d *DB, email string) shop.Customer {
	t.Helper()
	m, err := shop.Resolve(context.Background(), d, shop.Identity{Email: email})
	if err != nil || len(m.Customers) != 1 {
		t.Fatalf("match %s: %+v, %v", email, m, err)
	}
	return m.Customers[0]
}

func matchContact(t *testing.T, d *DB, contactID int64) []shop.Customer {
	t.Helper()
	m, err := shop.Resolve(context.Background(), d, shop.Identity{ContactID: contactID})
	if err != nil {
		t.Fatal(err)
	}
	if m.Key != "" && m.Key != shop.KeyContactID {
		t.Fatalf("matched by %s", m.Key)
	}
	return m.Customers
}

func TestLinkCustomer(t *testing.T) {
	d := openDemoDB(t)
	ctx := context.Background()
	james := customerByEmail(t, d, "james.carter@example.com")
	if james.ContactID != 0 {
		t.Fatalf("James starts linked to %d", james.ContactID)
	}
	link, err := d.LinkCustomer(ctx, james.ID, 55, false)
	if err != nil || !link.Changed || link.CustomerRef != james.Ref || link.PreviousContactID != 0 {
		t.Fatalf("link: %+v, %v", link, err)
	}
	if got := matchContact(t, d, 55); len(got) != 1 || got[0].ID != james.ID {
		t.Errorf("contact 55 matches %+v, want James", got)
	}

	// Again: nothing to change.
	if link, err := d.LinkCustomer(ctx, james.ID, 55, false); err != nil || link.Changed || link.PreviousContactID != 55 {
		t.Errorf("link again: %+v, %v", link, err)
	}

	// To another contact: reported, not moved.
	_, err = d.LinkCustomer(ctx, james.ID, 66, false)
	var elsewhere *shop.LinkedElsewhereError
	if !errors.As(err, &elsewhere) || !errors.Is(err, shop.ErrLinkedElsewhere) || elsewhere.ContactID != 55 || elsewhere.CustomerID != james.ID {
		t.Fatalf("link to another contact: %v", err)
	}
	if got := matchContact(t, d, 55); len(got) != 1 {
		t.Errorf("a refused move changed the link: contact 55 matches %d", len(got))
	}

	// Moved when asked.
	link, err = d.LinkCustomer(ctx, james.ID, 66, true)
	if err != nil || !link.Changed || link.PreviousContactID != 55 {
		t.Fatalf("move: %+v, %v", link, err)
	}
	if len(matchContact(t, d, 55)) != 0 || len(matchContact(t, d, 66)) != 1 {
		t.Error("the move did not move the link")
	}

	if _, err := d.LinkCustomer(ctx, 999999, 55, false); !errors.Is(err, shop.ErrNotFound) {
		t.Errorf("unknown customer: %v", err)
	}
	if _, err := d.LinkCustomer(ctx, james.ID, 0, false); err == nil {
		t.Error("contact 0 was accepted")
	}
}

func TestUnlinkCustomer(t *testing.T) {
	d := openDemoDB(t)
	ctx := context.Background()
	james := customerByEmail(t, d, "james.carter@example.com")
	if _, err := d.LinkCustomer(ctx, james.ID, 55, false); err != nil {
		t.Fatal(err)
	}
	// From another contact: a stale panel does not undo the link.
	if link, err := d.UnlinkCustomer(ctx, james.ID, 66); err != nil || link.Changed {
		t.Errorf("unlink from another contact: %+v, %v", link, err)
	}
	if len(matchContact(t, d, 55)) != 1 {
		t.Error("unlinking another contact removed the link")
	}
	link, err := d.UnlinkCustomer(ctx, james.ID, 55)
	if err != nil || !link.Changed || link.CustomerRef != james.Ref || link.PreviousContactID != 55 {
		t.Fatalf("unlink: %+v, %v", link, err)
	}
	if len(matchContact(t, d, 55)) != 0 {
		t.Error("contact 55 still matches after unlink")
	}
	if _, err := d.UnlinkCustomer(ctx, 999999, 55); !errors.Is(err, shop.ErrNotFound) {
		t.Errorf("unknown customer: %v", err)
	}
}

func TestCustomerRef(t *testing.T) {
	d := openDemoDB(t)
	james := customerByEmail(t, d, "james.carter@example.com")
	if ref, err := d.CustomerRef(context.Background(), james.ID); err != nil || ref != james.Ref {
		t.Errorf("ref = %q, %v; want %q", ref, err, james.Ref)
	}
	if _, err := d.CustomerRef(context.Background(), 999999); !errors.Is(err, shop.ErrNotFound) {
		t.Errorf("unknown customer: %v", err)
	}
}
