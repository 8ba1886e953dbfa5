package explorer

import (
	"testing"
	"time"
)

func TestExplorerLogEvictsLeastRecentlyUsedAndIdleSessions(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	l := NewLog(func() time.Time { return now })
	first := NewSessionID()
	l.add(first, Entry{Ignored: "origin"})
	for range maxSessions - 1 {
		l.add(NewSessionID(), Entry{Ignored: "origin"})
	}
	if _, ok := l.entries(first); !ok { // touching it makes it the most recent
		t.Fatal("first session gone before the limit")
	}
	l.add(NewSessionID(), Entry{Ignored: "origin"})
	if _, ok := l.entries(first); !ok {
		t.Error("the most recently used session was evicted")
	}
	if got := len(l.sessions); got != maxSessions {
		t.Errorf("%d sessions kept, want %d", got, maxSessions)
	}
	now = now.Add(sessionIdle + time.Second)
	if _, ok := l.entries(first); ok {
		t.Error("a session idle for longer than sessionIdle is still readable")
	}
	if got := len(l.sessions); got != 0 {
		t.Errorf("%d idle sessions kept", got)
	}
}

// Entry and session counts alone would let 1000 sessions of 50 payloads of
// 4 MB each hold 200 GB; the log also keeps to a byte budget, dropping the
// least recently used sessions first, then the oldest entries of the one
// being added to.
func TestExplorerLogKeepsToItsByteBudget(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	l := NewLog(func() time.Time { return now })
	payload := make([]byte, 4<<20) // handlers.DefaultBodyLimit: the largest message POST /context takes
	older, newer := NewSessionID(), NewSessionID()
	l.add(older, Entry{Raw: payload})
	for range maxLogBytes / len(payload) {
		l.add(newer, Entry{Raw: payload})
	}
	if l.bytes > maxLogBytes {
		t.Errorf("log holds %d bytes, budget %d", l.bytes, maxLogBytes)
	}
	if _, ok := l.entries(older); ok {
		t.Error("the least recently used session survived the budget")
	}
	entries, _ := l.entries(newer)
	if want := maxLogBytes / len(payload); len(entries) != want || entries[len(entries)-1].Seq != want {
		t.Errorf("newer session keeps %d entries, last %d; want the newest %d", len(entries), entries[len(entries)-1].Seq, want)
	}
	huge := NewSessionID()
	l.add(huge, Entry{Raw: make([]byte, maxLogBytes+1)})
	if entries, _ := l.entries(huge); len(entries) != 1 || len(l.sessions) != 1 || l.bytes != maxLogBytes+1 {
		t.Errorf("an entry over the whole budget: %d entries, %d sessions, %d bytes; want it kept alone", len(entries), len(l.sessions), l.bytes)
	}
}
