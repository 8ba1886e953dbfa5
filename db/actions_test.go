package db

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"dashapp/db/shop"
)

var t0 = time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC)

func noteRequest(key string, at time.Time) shop.ActionRequest {
	return shop.ActionRequest{
		Key: key, Fingerprint: "fp-" + key, Kind: shop.ActionNote, AgentName: "Sara", AgentID: 5,
		AccountID: 3, ConversationID: 7, ContactID: 41, Target: "1001", At: at,
	}
}

func TestBeginActionIdempotent(t *testing.T) {
	d := openTestDB(t)
	ctx := context.Background()
	req := noteRequest("k1", t0)
	a, begun, err := d.BeginAction(ctx, req)
	if err != nil || !begun || !a.Pending() || a.ID <= 0 || a.AgentName != "Sara" || !a.At.Equal(t0) {
		t.Fatalf("first begin: %+v, begun %v, err %v", a, begun, err)
	}

	// The same key while the first is pending: in progress, not begun.
	if _, begun, err := d.BeginAction(ctx, noteRequest("k1", t0.Add(time.Second))); !errors.Is(err, shop.ErrActionInProgress) || begun {
		t.Errorf("second begin while pending: begun %v, err %v, want ErrActionInProgress", begun, err)
	}

	done, err := d.FinishAction(ctx, a.ID, shop.ActionResult{Outcome: shop.OutcomeOK, MaybeApplied: true, MessageID: 1001}, t0.Add(2*time.Second))
	if err != nil || done.Outcome != shop.OutcomeOK || done.MessageID != 1001 || !done.FinishedAt.Equal(t0.Add(2*time.Second)) {
		t.Fatalf("finish: %+v, %v", done, err)
	}

	// After it finished: the first's result, not begun again.
	again, begun, err := d.BeginAction(ctx, noteRequest("k1", t0.Add(time.Minute)))
	if err != nil || begun || again.ID != a.ID || again.Outcome != shop.OutcomeOK || again.MessageID != 1001 {
		t.Errorf("begin after finish: %+v, begun %v, err %v", again, begun, err)
	}

	// Finishing again changes nothing.
	if re, err := d.FinishAction(ctx, a.ID, shop.ActionResult{Outcome: "timeout"}, t0.Add(time.Hour)); err != nil || re.Outcome != shop.OutcomeOK || re.MessageID != 1001 {
		t.Errorf("second finish: %+v, %v", re, err)
	}

	// The same key for another request is refused.
	other := noteRequest("k1", t0)
	other.Fingerprint = "another text"
	if _, begun, err := d.BeginAction(ctx, other); !errors.Is(err, shop.ErrKeyReused) || begun {
		t.Errorf("reused key: begun %v, err %v, want ErrKeyReused", begun, err)
	}

	page, err := d.Audit(ctx, 0, "")
	if err != nil || len(page.Actions) != 1 {
		t.Errorf("audit after one action begun four times: %d rows, %v", len(page.Actions), err)
	}
}

func TestBeginActionAbandoned(t *testing.T) {
	d := openTestDB(t)
	ctx := context.Background()
	a, _, err := d.BeginAction(ctx, noteRequest("k", t0))
	if err != nil {
		t.Fatal(err)
	}
	later := t0.Add(ActionLease + time.Second)
	got, begun, err := d.BeginAction(ctx, noteRequest("k", later))
	if err != nil || begun || got.ID != a.ID || got.Outcome != shop.OutcomeAbandoned || !got.FinishedAt.Equal(later) {
		t.Errorf("begin past the lease: %+v, begun %v, err %v", got, begun, err)
	}
	stored, err := d.Action(ctx, "k")
	if err != nil || stored.Outcome != shop.OutcomeAbandoned || !stored.MaybeApplied {
		t.Errorf("stored: %+v, %v", stored, err)
	}
	// The process that began it finishing late changes nothing.
	if late, err := d.FinishAction(ctx, a.ID, shop.ActionResult{Outcome: shop.OutcomeOK, MaybeApplied: true, MessageID: 9}, later); err != nil || late.Outcome != shop.OutcomeAbandoned {
		t.Errorf("late finish: %+v, %v", late, err)
	}
}

func TestBeginActionConcurrent(t *testing.T) {
	d := openTestDB(t)
	const n = 12
	var wg sync.WaitGroup
	results := make(chan error, n)
	begun := make(chan bool, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, b, err := d.BeginAction(context.Background(), noteRequest("same", t0))
			begun <- b
			results <- err
		}()
	}
	wg.Wait()
	close(begun)
	close(results)
	first := 0
	for b := range begun {
		if b {
			first++
		}
	}
	inProgress := 0
	for err := range results {
		if errors.Is(err, shop.ErrActionInProgress) {
			inProgress++
		} else if err != nil {
			t.Errorf("unexpected error: %v", err)
		}
	}
	if first != 1 || inProgress != n-1 {
		t.Errorf("%d begun and %d in progress of %d, want 1 and %d", first, inProgress, n, n-1)
	}
}

func TestBeginActionRefusesBadRows(t *testing.T) {
	d := openTestDB(t)
	ctx := context.Background()
	for name, mutate := range map[string]func(*shop.ActionRequest){
		"unknown kind":    func(r *shop.ActionRequest) { r.Kind = "delete_everything" },
		"empty key":       func(r *shop.ActionRequest) { r.Key = "" },
		"no conversation": func(r *shop.ActionRequest) { r.ConversationID = 0 },
		"empty target":    func(r *shop.ActionRequest) { r.Target = "" },
	} {
		req := noteRequest("bad-"+name, t0)
		mutate(&req)
		if _, begun, err := d.BeginAction(ctx, req); err == nil || begun {
			t.Errorf("%s: begun %v, err %v, want an error", name, begun, err)
		}
	}
	if _, err := d.FinishAction(ctx, 1, shop.ActionResult{Outcome: shop.OutcomePending}, t0); err == nil {
		t.Error("finishing as pending was accepted")
	}
	if page, err := d.Audit(ctx, 0, ""); err != nil || len(page.Actions) != 0 {
		t.Errorf("refused rows left %d actions (%v)", len(page.Actions), err)
	}
}

func TestRecentAction(t *testing.T) {
	d := openTestDB(t)
	ctx := context.Background()
	finish := func(key string, at time.Time, mutate func(*shop.ActionRequest), result shop.ActionResult) {
		t.Helper()
		req := noteRequest(key, at)
		if mutate != nil {
			mutate(&req)
		}
		a, _, err := d.BeginAction(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.FinishAction(ctx, a.ID, result, at); err != nil {
			t.Fatal(err)
		}
	}
	ok := shop.ActionResult{Outcome: shop.OutcomeOK, MaybeApplied: true, MessageID: 1}
	finish("old", t0.Add(-20*time.Minute), nil, ok)
	finish("recent", t0.Add(-4*time.Minute), nil, ok)
	finish("refused", t0.Add(-time.Minute), nil, shop.ActionResult{Outcome: "unauthorized", Detail: "token refused"})
	finish("other conversation", t0.Add(-time.Minute), func(r *shop.ActionRequest) { r.ConversationID = 8 }, ok)
	finish("other order", t0.Add(-time.Minute), func(r *shop.ActionRequest) { r.Target = "1002" }, ok)
	finish("other kind", t0.Add(-time.Minute), func(r *shop.ActionRequest) { r.Kind = shop.ActionReply }, ok)

	since := t0.Add(-10 * time.Minute)
	a, found, err := d.RecentAction(ctx, 3, 7, shop.ActionNote, "1001", since)
	if err != nil || !found || a.Key != "recent" || !a.At.Equal(t0.Add(-4*time.Minute)) {
		t.Errorf("recent: %+v, found %v, err %v; want the one 4 minutes ago", a, found, err)
	}
	if _, found, err := d.RecentAction(ctx, 3, 7, shop.ActionNote, "1003", since); found || err != nil {
		t.Errorf("an order never added: found %v, err %v", found, err)
	}

	// A timeout may have added it: it counts.
	finish("timed out", t0.Add(-30*time.Second), func(r *shop.ActionRequest) { r.Target = "1004" }, shop.ActionResult{Outcome: "timeout", MaybeApplied: true})
	if a, found, _ := d.RecentAction(ctx, 3, 7, shop.ActionNote, "1004", since); !found || a.Outcome != "timeout" {
		t.Errorf("a timed-out note: %+v, found %v", a, found)
	}
}

func TestAuditPages(t *testing.T) {
	d := openTestDB(t)
	ctx := context.Background()
	for i := range 25 {
		if _, _, err := d.BeginAction(ctx, noteRequest(fmt.Sprintf("k%02d", i), t0.Add(time.Duration(i)*time.Second))); err != nil {
			t.Fatal(err)
		}
	}
	var keys []string
	cursor := ""
	pages := 0
	for {
		page, err := d.Audit(ctx, 10, cursor)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, a := range page.Actions {
			keys = append(keys, a.Key)
		}
		if page.Next == "" {
			break
		}
		cursor = page.Next
	}
	if pages != 3 || len(keys) != 25 || keys[0] != "k24" || keys[24] != "k00" {
		t.Errorf("%d pages, %d actions, first %q last %q; want 3 pages of the 25, newest first", pages, len(keys), keys[0], keys[len(keys)-1])
	}
	if _, err := d.Audit(ctx, 10, "not a cursor"); !errors.Is(err, ErrBadCursor) {
		t.Errorf("bad cursor: %v", err)
	}
}

func TestRecentActionUsesIndex(t *testing.T) {
	d := openTestDB(t)
	rows, err := d.read.Query("EXPLAIN QUERY PLAN "+recentActionSQL, 3, 7, "note", "1001", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		if isFullScan(detail) {
			t.Errorf("recentActionSQL: %s", detail)
		}
	}
}

// TestEveryActionKindIsStored: the table's CHECK lists every kind.
func TestEveryActionKindIsStored(t *testing.T) {
	d := openTestDB(t)
	for _, kind := range shop.ActionKinds {
		req := noteRequest("kind-"+string(kind), t0)
		req.Kind = kind
		if a, begun, err := d.BeginAction(context.Background(), req); err != nil || !begun || a.Kind != kind {
			t.Errorf("%s: %+v, begun %v, err %v", kind, a, begun, err)
		}
	}
}
