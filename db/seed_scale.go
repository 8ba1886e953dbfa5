package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"dashapp/db/shop"
)

// SeedOptions sizes the scale seed.
type SeedOptions struct {
	Customers int
	RandSeed  uint64 // the same seed writes the same rows into an empty database
}

// scaleContactOffset keeps the scale seed's contact ids (offset + customer
// id) clear of the demo's.
const scaleContactOffset = 1000

// ScaleCustomer is the customer Seed writes with row id id (without its
// creation time, which is drawn): load generators use it to post the
// identity the dashboard would know for a seeded customer.
func ScaleCustomer(id int64) shop.Customer {
	return shop.Customer{
		ID: id, Ref: fmt.Sprintf("S-%07d", id), Name: fmt.Sprintf("Scale Customer %d", id),
		Email: fmt.Sprintf("s%d@example.org", id), Phone: fmt.Sprintf("96611%07d", id), // landlines: no clash with the demo's mobiles
		Identifier: fmt.Sprintf("s-%d", id), ContactID: scaleContactOffset + id,
	}
}

var scaleCurrencies = []string{"SAR", "SAR", "SAR", "AED", "AED", "KWD", "BHD", "USD"}

// Seed adds opt.Customers generated customers with about 10 orders and 12
// payments each, in one transaction. Refs (S-…, SO-…, SP-…) and contact
// ids derive from the row ids, so Seed can also run after SeedDemo or
// another Seed.
func Seed(ctx context.Context, d *DB, opt SeedOptions) (Counts, error) {
	if opt.Customers <= 0 {
		return Counts{}, errors.New("seed: the number of customers must be positive")
	}
	var counts Counts
	err := d.inBulkWriteTx(ctx, func(tx *sql.Tx) error {
		w, err := newSeedWriter(ctx, tx)
		if err != nil {
			return err
		}
		defer w.close()
		rng := rand.New(rand.NewPCG(opt.RandSeed, 0x5eed))
		g := &historyGen{rng: rng, w: w, orderPrefix: "SO-", paymentPrefix: "SP-"}
		for range opt.Customers {
			id := w.nextCustomer
			w.nextCustomer++
			home := scaleCurrencies[rng.IntN(len(scaleCurrencies))]
			c := ScaleCustomer(id)
			c.CreatedAt = seedBase.Add(-time.Duration(30+rng.IntN(1065)) * 24 * time.Hour)
			if err := w.addCustomer(ctx, c); err != nil {
				return err
			}
			currencies := []string{home}
			if rng.IntN(10) == 0 {
				currencies = append(currencies, scaleCurrencies[rng.IntN(len(scaleCurrencies))])
			}
			p := liveProfile{customerID: id, source: liveSources[rng.IntN(len(liveSources))], address: randomAddress(rng, c, home)}
			if err := g.randomHistory(ctx, p, rng.IntN(21), currencies, randomWallet(rng), c.CreatedAt); err != nil {
				return fmt.Errorf("customer %s: %w", c.Ref, err)
			}
		}
		if err := w.flush(ctx); err != nil {
			return err
		}
		counts = w.counts()
		return nil
	})
	if err != nil {
		return Counts{}, fmt.Errorf("seed %d customers: %w", opt.Customers, err)
	}
	return counts, nil
}
