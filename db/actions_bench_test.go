package db

import (
	"context"
	"fmt"
	"testing"
	"time"

	"dashapp/db/shop"
)

// BenchmarkActionBeginFinish is what the audit and idempotency add to
// every action: two write transactions on the single writer.
func BenchmarkActionBeginFinish(b *testing.B) {
	d := openTestDB(b)
	ctx := context.Background()
	ok := shop.ActionResult{Outcome: shop.OutcomeOK, MaybeApplied: true, MessageID: 1}
	b.ResetTimer()
	for i := range b.N {
		a, _, err := d.BeginAction(ctx, noteRequest(fmt.Sprintf("bench-%d", i), t0))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := d.FinishAction(ctx, a.ID, ok, t0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRecentAction looks up "added N minutes ago" among 50,000
// actions spread over 500 conversations.
func BenchmarkRecentAction(b *testing.B) {
	d := openTestDB(b)
	ctx := context.Background()
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	for i := range 50_000 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO actions (idempotency_key, fingerprint, action, account_id, conversation_id,
	contact_id, target, outcome, message_id, started_at, finished_at) VALUES (?, 'f', 'note', 3, ?, 41, ?, 'ok', 1, ?, ?)`,
			fmt.Sprintf("seed-%d", i), 1+i%500, fmt.Sprintf("%d", 1000+i%37), t0.Unix()+int64(i), t0.Unix()+int64(i)); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	since := t0.Add(40_000 * time.Second)
	b.ResetTimer()
	for i := range b.N {
		if _, _, err := d.RecentAction(ctx, 3, int64(1+i%500), shop.ActionNote, "1005", since); err != nil {
			b.Fatal(err)
		}
	}
}
