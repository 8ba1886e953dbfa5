package bevatel

import (
	"testing"
	"time"
)

// The verdict cache is bounded: the oldest entries go first.
func TestVerdictCacheIsBounded(t *testing.T) {
	clock := func() time.Time { return time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC) }
	small := newVerdictCache(time.Minute, 3, clock)
	for i := range 10 {
		small.put([3]int64{1, int64(i), 1}, nil)
	}
	if small.lru.Len() > 3 {
		t.Errorf("cache holds %d entries, want at most 3", small.lru.Len())
	}
	if _, ok := small.get([3]int64{1, 9, 1}); !ok {
		t.Error("the newest entry was evicted")
	}
}
