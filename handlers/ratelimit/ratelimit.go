// Package ratelimit answers 429 with Retry-After once a client's token
// bucket is empty. The buckets are golang.org/x/time/rate limiters, one per
// key, kept in a bounded LRU.
package ratelimit

import (
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/time/rate"

	"dashapp/handlers/web"
)

// Rate is a token bucket's refill per second and its burst. In the server's
// Config, a zero Rate takes its default and a negative PerSecond turns the
// limit off.
type Rate struct {
	PerSecond float64
	Burst     int
}

// Default limits are generous: a busy agent switching conversations makes
// a handful of requests a second.
var (
	DefaultSessionRate = Rate{PerSecond: 20, Burst: 40}
	DefaultIPRate      = Rate{PerSecond: 50, Burst: 100}
)

// maxBuckets bounds the limiter's memory whatever the number of clients.
// Dropping the least recently used bucket only gives that client a fresh
// burst.
const maxBuckets = 10_000

// Limiter is a bounded set of token buckets, one per key.
type Limiter struct {
	rate    Rate
	now     func() time.Time
	mu      sync.Mutex // makes finding or adding a key's bucket one step
	buckets *lru.Cache[string, *rate.Limiter]
}

// New returns a limiter at r, reading the time from now; nil (no limit)
// when r.PerSecond is not positive.
func New(r Rate, now func() time.Time) *Limiter {
	if r.PerSecond <= 0 {
		return nil
	}
	if r.Burst < 1 {
		r.Burst = int(math.Ceil(r.PerSecond))
	}
	buckets, err := lru.New[string, *rate.Limiter](maxBuckets)
	if err != nil {
		panic(err) // only for a size below 1
	}
	return &Limiter{rate: r, now: now, buckets: buckets}
}

// Allow takes one token from key's bucket, or says how long until one is
// there.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	b, ok := l.buckets.Get(key)
	if !ok {
		b = rate.NewLimiter(rate.Limit(l.rate.PerSecond), l.rate.Burst)
		l.buckets.Add(key, b)
	}
	l.mu.Unlock()
	now := l.now()
	r := b.ReserveN(now, 1)
	if wait := r.DelayFrom(now); wait > 0 {
		r.CancelAt(now) // a refused request spends no token
		return false, wait
	}
	return true, 0
}

// Middleware limits the requests of each key(c); key returns "" for
// requests it does not limit. what names the key in the 429's text
// ("session" or "address"). A nil l limits nothing.
func Middleware(l *Limiter, what string, key func(*fiber.Ctx) string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		k := key(c)
		if l == nil || k == "" {
			return c.Next()
		}
		ok, wait := l.Allow(k)
		if ok {
			return c.Next()
		}
		seconds := max(1, int(math.Ceil(wait.Seconds())))
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(seconds))
		return web.Problem(fiber.StatusTooManyRequests, "problem.rate_limited."+what, l.rate.PerSecond, seconds).Retryable()
	}
}
