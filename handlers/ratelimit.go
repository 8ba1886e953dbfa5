package handlers

import (
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Rate is a token bucket's refill per second and its burst. In Config, a
// zero Rate takes its default and a negative PerSecond turns the limit off.
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
const maxBuckets = 10_000

type bucket struct {
	tokens float64
	at     time.Time
}

// limiter is a bounded in-memory set of token buckets, one per key.
type limiter struct {
	rate Rate
	now  func() time.Time
	mu   sync.Mutex
	m    map[string]*bucket
}

func newLimiter(rate Rate, now func() time.Time) *limiter {
	if rate.PerSecond <= 0 {
		return nil
	}
	if rate.Burst < 1 {
		rate.Burst = int(math.Ceil(rate.PerSecond))
	}
	return &limiter{rate: rate, now: now, m: map[string]*bucket{}}
}

// allow takes one token from key's bucket, or says how long until one is
// there.
func (l *limiter) allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b := l.m[key]
	if b == nil {
		if len(l.m) >= maxBuckets {
			l.evict(now)
		}
		b = &bucket{tokens: float64(l.rate.Burst), at: now}
		l.m[key] = b
	}
	b.tokens = min(float64(l.rate.Burst), b.tokens+now.Sub(b.at).Seconds()*l.rate.PerSecond)
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.rate.PerSecond * float64(time.Second))
}

// evict drops the buckets that have refilled (they are the same as new
// ones); when every client is active, it drops arbitrary ones, which only
// gives those clients a fresh burst.
func (l *limiter) evict(now time.Time) {
	full := time.Duration(float64(l.rate.Burst) / l.rate.PerSecond * float64(time.Second))
	for k, b := range l.m {
		if now.Sub(b.at) >= full {
			delete(l.m, k)
		}
	}
	for k := range l.m {
		if len(l.m) < maxBuckets {
			break
		}
		delete(l.m, k)
	}
}

// rateLimit answers 429 with Retry-After once key's bucket is empty. key
// returns "" for requests it does not limit.
func rateLimit(l *limiter, what string, key func(*fiber.Ctx) string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		k := key(c)
		if l == nil || k == "" {
			return c.Next()
		}
		ok, wait := l.allow(k)
		if ok {
			return c.Next()
		}
		seconds := max(1, int(math.Ceil(wait.Seconds())))
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(seconds))
		return problem(fiber.StatusTooManyRequests, "problem.rate_limited."+what, l.rate.PerSecond, seconds).retryable()
	}
}
