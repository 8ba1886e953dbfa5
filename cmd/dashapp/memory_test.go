package main

import (
	"io"
	"log/slog"
	"runtime/debug"
	"strings"
	"testing"
)

func TestMemoryLimitIsSetByDefault(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))

	debug.SetMemoryLimit(1 << 62)
	limit, err := setMemoryLimit(env(nil), logger)
	if err != nil || limit <= 0 || limit > DefaultMemoryLimit || debug.SetMemoryLimit(-1) != limit {
		t.Errorf("default: limit %d (runtime %d), %v; want a soft limit of at most %d", limit, debug.SetMemoryLimit(-1), err, DefaultMemoryLimit)
	}
	limit, err = setMemoryLimit(env(map[string]string{"DASHAPP_MEMORY_LIMIT": "160MiB"}), logger)
	if err != nil || limit != 160<<20 || debug.SetMemoryLimit(-1) != 160<<20 {
		t.Errorf("DASHAPP_MEMORY_LIMIT=160MiB: %d, %v", limit, err)
	}
	for _, bad := range []string{"lots", "1MiB"} {
		if _, err := setMemoryLimit(env(map[string]string{"DASHAPP_MEMORY_LIMIT": bad}), logger); err == nil || !strings.Contains(err.Error(), "DASHAPP_MEMORY_LIMIT") {
			t.Errorf("DASHAPP_MEMORY_LIMIT=%s: %v, want an error naming the variable", bad, err)
		}
	}
}

// The heap goal is live × (1 + GOGC/100): with Go's default of 100 the
// loaded server's 7 MB live heap grew to a 14–17 MB goal, about a third of
// the 50 MB budget (BENCHMARKS.md). The server uses 50 unless GOGC is set.
func TestGCPercentDefaultsToFifty(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	gcPercent := func() int { p := debug.SetGCPercent(-1); debug.SetGCPercent(p); return p }

	setGCPercent(func(string) string { return "" })
	if got := gcPercent(); got != DefaultGCPercent || DefaultGCPercent != 50 {
		t.Errorf("GOGC unset: GC percent %d, want %d (DefaultGCPercent %d)", got, 50, DefaultGCPercent)
	}
	debug.SetGCPercent(80) // as the runtime would have read GOGC=80
	setGCPercent(func(k string) string { return map[string]string{"GOGC": "80"}[k] })
	if got := gcPercent(); got != 80 {
		t.Errorf("GOGC=80: GC percent %d, want the runtime's 80 kept", got)
	}
}
