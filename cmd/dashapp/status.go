package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"dashapp/db"
	"dashapp/db/shop"
)

// status prints what an operator needs of each shop source: the last
// delivery accepted, the last refused and why, and counts per outcome.
func status(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlags("status", stdout)
	dbPath := fs.String("db", envOr(getenv, "DASHAPP_DB", "dashapp.db"), "SQLite database file (DASHAPP_DB)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, err := db.Open(ctx, *dbPath)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer store.Close()
	sources, err := store.SourceStatuses(ctx)
	if err != nil {
		return fmt.Errorf("status: %w", err)
	}
	writeStatus(stdout, sources)
	return nil
}

// outcomeOrder is the order counts are printed in.
var outcomeOrder = []string{shop.OutcomeAccepted, shop.OutcomeDuplicate, shop.OutcomeIgnored, shop.OutcomeRefused, shop.OutcomeMalformed, shop.OutcomeFailed}

func writeStatus(w io.Writer, sources []shop.SourceStatus) {
	if len(sources) == 0 {
		fmt.Fprintln(w, "no deliveries yet")
		return
	}
	for _, s := range sources {
		fmt.Fprintln(w, printable(s.Source))
		var counts []string
		for _, outcome := range outcomeOrder {
			if n := s.Counts[outcome]; n > 0 {
				counts = append(counts, fmt.Sprintf("%s %d", outcome, n))
			}
		}
		fmt.Fprintf(w, "  deliveries     %s\n", strings.Join(counts, ", "))
		fmt.Fprintf(w, "  last accepted  %s\n", describeDelivery(s.LastAccepted))
		fmt.Fprintf(w, "  last refused   %s\n", describeDelivery(s.LastRefused))
	}
}

func describeDelivery(l *shop.DeliveryLog) string {
	if l == nil {
		return "none"
	}
	parts := []string{l.At.UTC().Format(time.RFC3339)}
	if l.Topic != "" {
		parts = append(parts, printable(l.Topic))
	}
	if l.DeliveryID != "" {
		parts = append(parts, "id "+printable(l.DeliveryID))
	}
	if l.Outcome == shop.OutcomeAccepted {
		parts = append(parts, fmt.Sprintf("%d records", l.Records))
	} else {
		reason := l.Outcome
		if l.Reason != "" {
			reason += ": " + printable(l.Reason)
		}
		parts = append(parts, reason)
	}
	return strings.Join(parts, "  ")
}

// printable drops control characters: topics, ids and reasons come from
// the platforms' requests, and must not drive the operator's terminal.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
}
