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
