package ratelimit

import (
	"fmt"
	"testing"
	"time"
)

func TestLimiterMemoryIsBounded(t *testing.T) {
	now := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	l := New(Rate{PerSecond: 1, Burst: 1}, func() time.Time { return now })
	for i := range maxBuckets + 500 {
		if ok, _ := l.Allow(fmt.Sprint(i)); !ok {
			t.Fatalf("client %d was refused its first request", i)
		}
	}
	if n := l.buckets.Len(); n > maxBuckets {
		t.Errorf("%d buckets, want at most %d", n, maxBuckets)
	}
	if ok, wait := l.Allow(fmt.Sprint(maxBuckets + 499)); ok || wait != time.Second {
		t.Errorf("a recent client's bucket was dropped: ok %v, wait %s", ok, wait)
	}
}
