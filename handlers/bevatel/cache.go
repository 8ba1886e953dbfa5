package bevatel

import (
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
)

// verdictCache remembers the host's answers (confirmed or denied, never
// "unreachable") for ttl, in bounded memory. The expirable LRU bounds the
// entries and drops them in real time; each verdict also keeps the time of
// the injected clock, checked on get, so tests move time without sleeping.
type verdictCache struct {
	ttl time.Duration
	now func() time.Time
	lru *expirable.LRU[[3]int64, verdict]
}

type verdict struct {
	err error
	at  time.Time
}

func newVerdictCache(ttl time.Duration, max int, now func() time.Time) *verdictCache {
	return &verdictCache{ttl: ttl, now: now, lru: expirable.NewLRU[[3]int64, verdict](max, nil, ttl)}
}

func (c *verdictCache) get(key [3]int64) (error, bool) {
	v, ok := c.lru.Get(key)
	if !ok || c.now().Sub(v.at) >= c.ttl {
		return nil, false
	}
	return v.err, true
}

func (c *verdictCache) put(key [3]int64, err error) {
	c.lru.Add(key, verdict{err: err, at: c.now()})
}
