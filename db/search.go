package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"dashapp/db/shop"
)

// MaxMentionNumbers is how many order numbers MentionedOrders looks up in
// one query: its IN list has exactly this many parameters, unused ones
// NULL, so that the statement is prepared once (a LIMIT or list length
// bound to another value would recompile it).
const MaxMentionNumbers = 20

// The search's queries, prepared with the panel's; explain_test.go checks
// each is an index search.
var (
	mentionedOrdersSQL = `SELECT o.id, o.number, o.status, o.customer_id, c.name, c.ref
FROM orders o JOIN customers c ON c.id = o.customer_id
WHERE o.number IN (?` + strings.Repeat(", ?", MaxMentionNumbers-1) + `)`
	// orders.number is UNIQUE: its automatic index answers.
	searchByOrderSQL = `SELECT ` + customerColumns + ` FROM customers WHERE id = (SELECT customer_id FROM orders WHERE number = ?)`
	// customers_name_lower (migration 0011) holds lower(name) and the
	// rowid, so the range and its order need neither a scan nor a sort.
	searchByNamePrefixSQL = `SELECT ` + customerColumns + ` FROM customers
WHERE lower(name) >= ? AND lower(name) < ?
ORDER BY lower(name), id LIMIT ?`
	customerByIDSQL = `SELECT ` + customerColumns + ` FROM customers WHERE id = ?`
)

var searchQueries = []string{mentionedOrdersSQL, searchByOrderSQL, searchByNamePrefixSQL, customerByIDSQL}

func init() { panelQueries = append(panelQueries, searchQueries...) }

// MentionedOrders returns the orders among numbers that exist, each with
// its customer, in the order of numbers. Only the first MaxMentionNumbers
// numbers are looked up, in one query through orders.number's index.
func (d *DB) MentionedOrders(ctx context.Context, numbers []string) ([]shop.MentionedOrder, error) {
	numbers = numbers[:min(len(numbers), MaxMentionNumbers)]
	if len(numbers) == 0 {
		return nil, nil
	}
	args := make([]any, MaxMentionNumbers)
	for i, n := range numbers {
		args[i] = n
	}
	rows, err := d.query(ctx, mentionedOrdersSQL, args...)
	if err != nil {
		return nil, fmt.Errorf("mentioned orders: %w", err)
	}
	defer rows.Close()
	found := map[string]shop.MentionedOrder{}
	for rows.Next() {
		var m shop.MentionedOrder
		if err := rows.Scan(&m.OrderID, &m.Number, &m.Status, &m.CustomerID, &m.CustomerName, &m.CustomerRef); err != nil {
			return nil, fmt.Errorf("mentioned orders: %w", err)
		}
		found[m.Number] = m
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("mentioned orders: %w", err)
	}
	out := make([]shop.MentionedOrder, 0, len(found))
	for _, n := range numbers {
		if m, ok := found[n]; ok {
			out = append(out, m)
			delete(found, n) // a number given twice shows once
		}
	}
	return out, nil
}

// CustomerByID is one customer; ok is false when there is none.
func (d *DB) CustomerByID(ctx context.Context, id int64) (shop.Customer, bool, error) {
	customers, err := d.queryCustomers(ctx, customerByIDSQL, id)
	if err != nil {
		return shop.Customer{}, false, fmt.Errorf("customer %d: %w", id, err)
	}
	if len(customers) == 0 {
		return shop.Customer{}, false, nil
	}
	return customers[0], true, nil
}

// SearchCustomers finds up to limit customers for what an agent typed:
// an order number, a customer ref, an email, a phone in any format the
// default region reads, an identifier, or the start of a name. Exact keys
// come first, then names, without repeats; each is one index search.
func (d *DB) SearchCustomers(ctx context.Context, query string, limit int) ([]shop.Customer, error) {
	query = strings.TrimSpace(query)
	if query == "" || limit <= 0 {
		return nil, nil
	}
	var out []shop.Customer
	seen := map[int64]bool{}
	add := func(q string, args ...any) error {
		if len(out) >= limit {
			return nil
		}
		found, err := d.queryCustomers(ctx, q, args...)
		for _, c := range found {
			if !seen[c.ID] && len(out) < limit {
				seen[c.ID] = true
				out = append(out, c)
			}
		}
		return err
	}
	exact := strings.TrimPrefix(query, "#")
	err := errors.Join(
		add(searchByOrderSQL, exact),
		add(matchByRefSQL, exact, limit),
		add(matchByIdentifierSQL, exact, limit),
	)
	if email := shop.NormalizeEmail(query); strings.Contains(email, "@") {
		err = errors.Join(err, add(matchByEmailSQL, email, limit))
	}
	if phone := shop.NormalizePhone(query); phone != "" && looksLikePhone(query) {
		err = errors.Join(err, add(matchByPhoneSQL, phone, limit))
	}
	if low := asciiLower(query); utf8.RuneCountInString(low) >= 2 {
		err = errors.Join(err, add(searchByNamePrefixSQL, low, low+string(utf8.MaxRune), limit))
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("search customers: %w", err)
	}
	return out, nil
}

// looksLikePhone keeps a name or an order number with a few digits from
// being read as a phone: digits, spaces and + ( ) - . only.
func looksLikePhone(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= '٠' && r <= '٩', r >= '۰' && r <= '۹':
			digits++
		case strings.ContainsRune(" +()-.", r):
		default:
			return false
		}
	}
	return digits >= 6
}

// asciiLower folds A-Z only, as SQLite's lower() does, so that the
// search's bounds compare like the index's values.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, s)
}

// SearchCustomers is DB.SearchCustomers on the current file.
func (l *Live) SearchCustomers(ctx context.Context, query string, limit int) ([]shop.Customer, error) {
	return liveCall(l, ctx, func(d *DB) ([]shop.Customer, error) { return d.SearchCustomers(ctx, query, limit) })
}

// CustomerByID is DB.CustomerByID on the current file.
func (l *Live) CustomerByID(ctx context.Context, id int64) (shop.Customer, bool, error) {
	var ok bool
	c, err := liveCall(l, ctx, func(d *DB) (shop.Customer, error) {
		c, found, err := d.CustomerByID(ctx, id)
		ok = found
		return c, err
	})
	return c, ok, err
}

// MentionedOrders is DB.MentionedOrders on the current file.
func (l *Live) MentionedOrders(ctx context.Context, numbers []string) ([]shop.MentionedOrder, error) {
	return liveCall(l, ctx, func(d *DB) ([]shop.MentionedOrder, error) { return d.MentionedOrders(ctx, numbers) })
}
