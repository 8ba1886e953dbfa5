package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dashapp/db"
	"dashapp/db/shop"
)

func TestAuditCommand(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.db")
	store, err := db.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC)
	for i := range 3 {
		a, _, err := store.BeginAction(context.Background(), shop.ActionRequest{
			Key: fmt.Sprintf("k%d", i), Fingerprint: "f", Kind: shop.ActionNote, AgentName: "Sara\x1b[2J\u202eevil", AgentID: 5,
			AccountID: 3, ConversationID: 7, ContactID: 41, Target: fmt.Sprintf("100%d", i), At: at.Add(time.Duration(i) * time.Minute),
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.FinishAction(context.Background(), a.ID, shop.ActionResult{Outcome: shop.OutcomeOK, MaybeApplied: true, MessageID: int64(500 + i)}, at); err != nil {
			t.Fatal(err)
		}
	}
	store.Close()

	out, err := runCLI(t, nil, "audit", "-db", path, "-limit", "2")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], "TIME (UTC)") ||
		!strings.Contains(lines[1], "2026-11-03 10:02:00") || !strings.Contains(lines[1], "1002") || !strings.Contains(lines[1], "502") ||
		!strings.Contains(lines[2], "1001") || !strings.HasPrefix(lines[4], "older: dashapp audit -before ") {
		t.Fatalf("first page:\n%s", out)
	}
	if strings.ContainsAny(out, "\x1b\u202e") || !strings.Contains(out, `"Sara\x1b[2J\u202eevil" #5`) {
		t.Errorf("the claimed agent name reached the terminal raw:\n%q", out)
	}
	cursor := strings.TrimPrefix(lines[4], "older: dashapp audit -before ")
	out, err = runCLI(t, nil, "audit", "-db", path, "-before", cursor)
	if err != nil || !strings.Contains(out, "1000") || strings.Contains(out, "1001") || strings.Contains(out, "older:") {
		t.Errorf("second page: %q, %v", out, err)
	}

	if _, err := runCLI(t, nil, "audit", "-db", path, "-before", "nonsense"); err == nil || !strings.Contains(err.Error(), "not a cursor") {
		t.Errorf("bad cursor: %v", err)
	}
	missing := filepath.Join(t.TempDir(), "missing.db")
	if _, err := runCLI(t, nil, "audit", "-db", missing); err == nil {
		t.Error("a missing database was audited")
	}
	empty := filepath.Join(t.TempDir(), "empty.db")
	s, err := db.Open(context.Background(), empty)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if out, err := runCLI(t, nil, "audit", "-db", empty); err != nil || !strings.Contains(out, "no actions recorded") {
		t.Errorf("empty: %q, %v", out, err)
	}
}
