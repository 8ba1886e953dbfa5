package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"dashapp/db/shop"
)

// ErrNotEmpty is returned by SeedDemo when the database has customers.
var ErrNotEmpty = errors.New("database already has customers")

// demoRandSeed fixes the demo data: the same rows on every run.
const demoRandSeed = 20261101

const (
	// DemoSharedPhone is the phone demo customers C-1004 and C-1005 share:
	// a contact with only this phone matches both.
	DemoSharedPhone = "966555123456"
	laylaPhone      = "966500000001"
	// demoFirstContactID is the first contact id given to the other demo
	// customers; 1..3 are reserved (see SeedDemo).
	demoFirstContactID = 4
)

type demoCustomer struct {
	customer   shop.Customer
	source     string // where their orders come from
	orders     int
	currencies []string
	wallet     []paymentMethod
}

// demoSpecials are the hand-written customers; their ids follow their order.
func demoSpecials() []demoCustomer {
	days := func(n int) time.Time { return seedBase.Add(-time.Duration(n) * 24 * time.Hour) }
	return []demoCustomer{
		{customer: shop.Customer{Ref: "C-1002", Name: "James Carter", Email: "james.carter@example.com", Phone: "14155550123", CreatedAt: days(540)},
			source: shop.SourceShopify, orders: 9, currencies: []string{"USD"}, wallet: []paymentMethod{{"card", "amex", "0005"}, {"apple_pay", "visa", "1881"}}},
		{customer: shop.Customer{Ref: "C-1003", Name: `Omar "The <Best>" & Sons`, Email: "omar@best-sons.example.com", Phone: "96550001234", Identifier: "cust-1003", ContactID: demoFirstContactID, CreatedAt: days(800)},
			source: shop.SourceZid, orders: 7, currencies: []string{"KWD"}, wallet: []paymentMethod{{"card", "visa", "7310"}}},
		{customer: shop.Customer{Ref: "C-1004", Name: "Fatimah Al-Zahrani", Email: "fatimah.alzahrani@example.com", Phone: DemoSharedPhone, CreatedAt: days(420)},
			source: shop.SourceSalla, orders: 4, currencies: []string{"SAR"}, wallet: []paymentMethod{{"mada", "mada", "6621"}}},
		{customer: shop.Customer{Ref: "C-1005", Name: "Noura Al-Zahrani", Email: "noura.alzahrani@example.com", Phone: DemoSharedPhone, CreatedAt: days(300)},
			source: shop.SourceWooCommerce, orders: 3, currencies: []string{"SAR"}, wallet: []paymentMethod{{"apple_pay", "mastercard", "4417"}}},
		{customer: shop.Customer{Ref: "C-1006", Name: "حصة المطيري", Email: "hessa.almutairi@example.com", Phone: "966500000006", Identifier: "cust-1006", ContactID: demoFirstContactID + 1, CreatedAt: days(12)},
			orders: 0},
		{customer: shop.Customer{Ref: "C-1007", Name: "Daniel Okafor", Email: "daniel.okafor@example.com", Phone: "971500001007", Identifier: "cust-1007", ContactID: demoFirstContactID + 2, CreatedAt: days(700)},
			source: shop.SourceWooCommerce, orders: 14, currencies: []string{"AED", "USD"}, wallet: []paymentMethod{{"card", "mastercard", "5454"}, {"bank_transfer", "", ""}}},
	}
}

// Name pools for the generated demo customers: display name and the
// transliteration their email address uses.
type demoName struct{ display, ascii string }

var (
	arabicFirst = []demoName{{"محمد", "mohammed"}, {"عبدالله", "abdullah"}, {"خالد", "khalid"}, {"سارة", "sara"}, {"ريم", "reem"}, {"فيصل", "faisal"}, {"منيرة", "munira"}, {"سلطان", "sultan"}}
	arabicLast  = []demoName{{"العتيبي", "alotaibi"}, {"القحطاني", "alqahtani"}, {"الشمري", "alshammari"}, {"الدوسري", "aldosari"}, {"الغامدي", "alghamdi"}, {"البلوشي", "albalushi"}}
	latinFirst  = []demoName{{"Ahmed", "ahmed"}, {"Yousef", "yousef"}, {"Mariam", "mariam"}, {"Hamad", "hamad"}, {"Aisha", "aisha"}, {"Sophie", "sophie"}, {"Liam", "liam"}, {"Priya", "priya"}, {"Chen", "chen"}, {"Elena", "elena"}}
	latinLast   = []demoName{{"Al-Sabah", "alsabah"}, {"Al-Khalifa", "alkhalifa"}, {"Haddad", "haddad"}, {"Mansour", "mansour"}, {"Nasser", "nasser"}, {"Walker", "walker"}, {"Fischer", "fischer"}, {"Rao", "rao"}, {"Wei", "wei"}, {"Costa", "costa"}}
)

// demoCurrencies are the generated customers' home currencies with the
// country calling code their phones use.
var demoCurrencies = []struct {
	currency, phonePrefix string
	phoneDigits           int // after the prefix
}{
	{"SAR", "9665", 8}, {"SAR", "9665", 8}, {"AED", "9715", 8}, {"KWD", "9656", 7}, {"BHD", "9733", 7}, {"USD", "1212", 7},
}

const demoGenerated = 46

// SeedDemo fills an empty database with the demo shop, identical on every
// run. The host simulator's presets rely on:
//
//   - C-1001 Layla Al-Harbi: contact id 1, identifier cust-1001, email
//     layla@example.com, phone 966500000001; 27 SAR orders from Salla in every status,
//     declined charges, refunds and parcels.
//   - C-1002 James Carter: james.carter@example.com, no contact id or
//     identifier, so he matches by email; USD orders.
//   - Contact ids 2 and 3 belong to nobody: 3 is the anonymous visitor who
//     must see the no-match state.
//   - C-1003 Omar "The <Best>" & Sons (contact id 4): markup in a name.
//   - C-1004 and C-1005 share DemoSharedPhone (the ambiguous state).
//   - C-1006 (contact id 5) has no orders; C-1007 (contact id 6) pays in
//     AED and USD.
//
// 46 generated customers follow (C-1008…), in SAR, AED, KWD, BHD and USD,
// with contact ids from 7 up where they have one.
func SeedDemo(ctx context.Context, d *DB) error {
	err := d.inWriteTx(ctx, func(tx *sql.Tx) error {
		var empty bool
		if err := tx.QueryRowContext(ctx, isEmptySQL).Scan(&empty); err != nil {
			return err
		}
		if !empty {
			return ErrNotEmpty
		}
		w, err := newSeedWriter(ctx, tx)
		if err != nil {
			return err
		}
		defer w.close()
		g := &historyGen{rng: rand.New(rand.NewPCG(demoRandSeed, 0)), w: w, orderPrefix: "ORD-", paymentPrefix: "PAY-"}
		if err := seedLayla(ctx, g); err != nil {
			return fmt.Errorf("customer C-1001: %w", err)
		}
		customers := append(demoSpecials(), generateDemoCustomers(g.rng)...)
		for _, c := range customers {
			c.customer.ID = w.nextCustomer
			w.nextCustomer++
			if err := w.addCustomer(ctx, c.customer); err != nil {
				return err
			}
			if c.orders > 0 {
				p := liveProfile{customerID: c.customer.ID, source: c.source, address: randomAddress(g.rng, c.customer, c.currencies[0])}
				if err := g.randomHistory(ctx, p, c.orders, c.currencies, c.wallet, c.customer.CreatedAt); err != nil {
					return fmt.Errorf("customer %s: %w", c.customer.Ref, err)
				}
			}
		}
		return w.flush(ctx)
	})
	if err != nil {
		return fmt.Errorf("seed demo data: %w", err)
	}
	return nil
}

// laylaStatuses are C-1001's orders, oldest first: every status occurs,
// and the newest four are still in progress.
var laylaStatuses = []string{
	shop.OrderDelivered, shop.OrderDelivered, shop.OrderRefunded, shop.OrderDelivered, shop.OrderDelivered,
	shop.OrderCancelled, shop.OrderDelivered, shop.OrderDelivered, shop.OrderReturned, shop.OrderDelivered,
	shop.OrderDelivered, shop.OrderRefunded, shop.OrderDelivered, shop.OrderDelivered, shop.OrderPartiallyRefunded,
	shop.OrderCancelled, shop.OrderDelivered, shop.OrderDelivered, shop.OrderDelivered, shop.OrderDelivered,
	shop.OrderDelivered, shop.OrderDelivered, shop.OrderRefunded, shop.OrderOnHold, shop.OrderShipped, shop.OrderPaid,
	shop.OrderPending,
}

// laylaFailedFirst marks her orders whose first charge was declined.
var laylaFailedFirst = map[int]bool{7: true, 20: true}

func seedLayla(ctx context.Context, g *historyGen) error {
	w := g.w
	layla := shop.Customer{
		ID: w.nextCustomer, Ref: "C-1001", Name: "Layla Al-Harbi", Email: "layla@example.com", Phone: laylaPhone,
		Identifier: "cust-1001", ContactID: 1, CreatedAt: seedBase.AddDate(-3, 0, 0),
	}
	w.nextCustomer++
	if err := w.addCustomer(ctx, layla); err != nil {
		return err
	}
	wallet := []paymentMethod{{"card", "visa", "4242"}, {"mada", "mada", "1234"}, {"apple_pay", "mastercard", "8431"}}
	profile := liveProfile{customerID: layla.ID, source: shop.SourceSalla, address: shop.Address{
		Name: "ليلى الحربي", Phone: "+966 50 000 0001", City: "الرياض", Country: "SA", Line: "حي النخيل، شارع الأمير سلطان، مبنى 12",
	}}
	last := len(laylaStatuses) - 1
	for i, status := range laylaStatuses {
		// About a fortnight apart, the newest two hours ago.
		placed := seedBase.Add(-2*time.Hour - time.Duration(last-i)*13*24*time.Hour - time.Duration(g.rng.IntN(600))*time.Minute)
		if i == last {
			placed = seedBase.Add(-2 * time.Hour)
		}
		err := g.addOrder(ctx, orderSpec{liveProfile: profile, status: status, currency: "SAR", placedAt: placed,
			wallet: wallet, failedFirst: laylaFailedFirst[i]})
		if err != nil {
			return err
		}
	}
	return nil
}

// generateDemoCustomers draws the demo's generated customers: Arabic and
// Latin names, home currencies with matching phones, some with a second
// currency, some without orders, contact or identifier.
func generateDemoCustomers(rng *rand.Rand) []demoCustomer {
	// Every name at most once: shuffled pools of first × last names, each
	// larger than demoGenerated.
	arabicNames, latinNames := shuffledNames(rng, arabicFirst, arabicLast), shuffledNames(rng, latinFirst, latinLast)
	usedPhones := map[string]bool{laylaPhone: true}
	for _, c := range demoSpecials() {
		usedPhones[c.customer.Phone] = true
	}
	contactID := int64(demoFirstContactID + 3) // after the specials'
	out := make([]demoCustomer, 0, demoGenerated)
	for i := range demoGenerated {
		refNumber := 1008 + i
		names := &latinNames
		if rng.IntN(3) == 0 {
			names = &arabicNames
		}
		name := (*names)[0]
		*names = (*names)[1:]
		email := name.ascii + "@example.net"

		home := demoCurrencies[rng.IntN(len(demoCurrencies))]
		limit := 1
		for range home.phoneDigits {
			limit *= 10
		}
		phone := ""
		for phone == "" || usedPhones[phone] {
			phone = fmt.Sprintf("%s%0*d", home.phonePrefix, home.phoneDigits, rng.IntN(limit))
		}
		usedPhones[phone] = true

		c := shop.Customer{
			Ref: "C-" + strconv.Itoa(refNumber), Name: name.display, Email: email, Phone: phone,
			CreatedAt: seedBase.Add(-time.Duration(30+rng.IntN(1000)) * 24 * time.Hour),
		}
		switch k := rng.IntN(10); {
		case k < 1: // reachable by phone only
			c.Email = ""
		case k < 2: // reachable by email only
			c.Phone = ""
		}
		if rng.IntN(10) < 7 {
			c.ContactID = contactID
			contactID++
		}
		if rng.IntN(10) < 6 {
			c.Identifier = "cust-" + strconv.Itoa(refNumber)
		}
		currencies := []string{home.currency}
		if rng.IntN(7) == 0 {
			if second := demoCurrencies[rng.IntN(len(demoCurrencies))].currency; second != home.currency {
				currencies = append(currencies, second)
			}
		}
		orders := 0
		if rng.IntN(10) > 0 {
			orders = 1 + rng.IntN(15)
		}
		out = append(out, demoCustomer{customer: c, source: liveSources[rng.IntN(len(liveSources))], orders: orders, currencies: currencies, wallet: randomWallet(rng)})
	}
	return out
}

// shuffledNames pairs every first name with every last name, in random
// order.
func shuffledNames(rng *rand.Rand, first, last []demoName) []demoName {
	names := make([]demoName, 0, len(first)*len(last))
	for _, f := range first {
		for _, l := range last {
			names = append(names, demoName{display: f.display + " " + l.display, ascii: f.ascii + "." + l.ascii})
		}
	}
	rng.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	return names
}
