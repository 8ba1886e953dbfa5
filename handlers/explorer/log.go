package explorer

import (
	"container/list"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

// Retention of the payload explorer's log. Payloads live in process memory
// only, never on disk: a page session keeps its last MaxSessionEntries
// messages, at most maxSessions sessions are kept (least recently used
// evicted first), all of them hold at most maxLogBytes (the counts alone
// would allow 200 GB of 4 MB payloads), and a session idle for sessionIdle
// is dropped.
const (
	MaxSessionEntries = 50
	maxSessions       = 1000
	maxLogBytes       = 64 << 20
	sessionIdle       = 30 * time.Minute
	previewRunes      = 200 // of an ignored message: enough to recognise it
)

// Entry is one message the app received in a page session.
type Entry struct {
	Seq       int // 1, 2, ... within the session; never reused
	At        time.Time
	Origin    string // the postMessage origin, as the bridge saw it
	Size      int    // bytes (string) or JSON length (object), as received
	Ignored   string // the bridge's reason, or "" for an accepted appContext
	Raw       []byte // accepted: the message object (appcontext Message.Raw)
	WasString bool   // accepted: the host posted a JSON string
	Preview   string // ignored: the first previewRunes of the message, as text
}

// NewSessionID is 128 random bits: the only thing that scopes a log to the
// page that produced it.
func NewSessionID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// validSessionID accepts exactly what NewSessionID makes.
func validSessionID(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Log is the bounded, in-memory log of every page session.
type Log struct {
	mu       sync.Mutex
	now      func() time.Time
	sessions map[string]*list.Element // of *sessionLog
	lru      *list.List               // front: most recently used
	bytes    int                      // entrySize of every entry kept
}

type sessionLog struct {
	id      string
	last    time.Time
	seq     int
	entries []Entry // oldest first, at most MaxSessionEntries
	bytes   int     // entrySize of its entries
}

// entrySize is what an entry holds in memory, near enough for a budget.
func entrySize(e Entry) int {
	return len(e.Raw) + len(e.Origin) + len(e.Ignored) + len(e.Preview)
}

// NewLog returns an empty log that reads the time from now.
func NewLog(now func() time.Time) *Log {
	return &Log{now: now, sessions: map[string]*list.Element{}, lru: list.New()}
}

// add appends e to the session's log, creating the session, and returns
// the sequence number it was given.
func (l *Log) add(session string, e Entry) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	s, now := l.touch(session)
	if s == nil {
		s = &sessionLog{id: session, last: now}
		l.sessions[session] = l.lru.PushFront(s)
		for l.lru.Len() > maxSessions {
			l.drop(l.lru.Back())
		}
	}
	s.seq++
	e.Seq, e.At = s.seq, now
	if len(s.entries) == MaxSessionEntries {
		s.dropOldest(l)
	}
	s.entries = append(s.entries, e)
	s.bytes += entrySize(e)
	l.bytes += entrySize(e)
	// Over the budget: the least recently used sessions go first, then
	// this one's oldest entries; the entry just added always stays.
	for l.bytes > maxLogBytes {
		if back := l.lru.Back(); back.Value != s {
			l.drop(back)
		} else if len(s.entries) > 1 {
			s.dropOldest(l)
		} else {
			break
		}
	}
	return e.Seq
}

// dropOldest removes the session's oldest entry.
func (s *sessionLog) dropOldest(l *Log) {
	n := entrySize(s.entries[0])
	s.bytes -= n
	l.bytes -= n
	s.entries = append(s.entries[:0], s.entries[1:]...)
}

// entries returns a copy of the session's log, oldest first; false when the
// session is unknown or expired.
func (l *Log) entries(session string) ([]Entry, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if s, _ := l.touch(session); s != nil {
		return append([]Entry(nil), s.entries...), true
	}
	return nil, false
}

// touch drops the idle sessions, then finds session and marks it used;
// nil when it is unknown or expired. l.mu must be held.
func (l *Log) touch(session string) (*sessionLog, time.Time) {
	now := l.now()
	l.expire(now)
	el, ok := l.sessions[session]
	if !ok {
		return nil, now
	}
	l.lru.MoveToFront(el)
	s := el.Value.(*sessionLog)
	s.last = now
	return s, now
}

// expire drops idle sessions from the back, where the least recently used are.
func (l *Log) expire(now time.Time) {
	for el := l.lru.Back(); el != nil && now.Sub(el.Value.(*sessionLog).last) > sessionIdle; el = l.lru.Back() {
		l.drop(el)
	}
}

func (l *Log) drop(el *list.Element) {
	s := el.Value.(*sessionLog)
	delete(l.sessions, s.id)
	l.bytes -= s.bytes
	l.lru.Remove(el)
}
