package main

import (
	"fmt"
	"log/slog"
	"math"
	"runtime/debug"
	"strings"

	"github.com/KimMachineGun/automemlimit/memlimit"
	"github.com/dustin/go-humanize"
)

// DefaultMemoryLimit is the soft limit when the container sets none: the
// load a framed panel serves fits in it (BENCHMARKS.md), and the garbage
// collector works harder near it instead of letting the heap double.
const DefaultMemoryLimit = 128 << 20

// DefaultGCPercent is the garbage collector's target when GOGC is unset:
// the heap may grow to 1.5× the live heap between collections instead of
// Go's 2×. Under the normal load the live heap is ~7 MB, so this keeps
// the heap goal near 11 MB instead of 14–17 MB, for a few percent more GC
// CPU (BENCHMARKS.md).
const DefaultGCPercent = 50

// setGCPercent applies DefaultGCPercent unless GOGC was set, which the
// runtime has already read.
func setGCPercent(getenv func(string) string) {
	if strings.TrimSpace(getenv("GOGC")) == "" {
		debug.SetGCPercent(DefaultGCPercent)
	}
}

// cgroupShare of the container's memory limit becomes the soft limit,
// leaving the rest to SQLite's page caches and the runtime's own.
const cgroupShare = 0.8

// setMemoryLimit sets the Go runtime's soft memory limit: DASHAPP_MEMORY_LIMIT
// ("160MiB", or "off"), else GOMEMLIMIT as the runtime read it, else a share
// of the container's cgroup limit, else DefaultMemoryLimit. It returns the
// limit for the log, 0 when off.
func setMemoryLimit(getenv func(string) string, logger *slog.Logger) (int64, error) {
	raw := strings.TrimSpace(getenv("DASHAPP_MEMORY_LIMIT"))
	switch {
	case strings.EqualFold(raw, "off"):
		debug.SetMemoryLimit(math.MaxInt64)
		return 0, nil
	case raw != "":
		limit, err := humanize.ParseBytes(raw)
		if err != nil || limit < 16<<20 || limit > math.MaxInt64 {
			return 0, fmt.Errorf("DASHAPP_MEMORY_LIMIT %q: write a size of at least 16MiB, such as 160MiB or 1GiB, or off", raw)
		}
		debug.SetMemoryLimit(int64(limit))
		logger.Info("memory limit", slog.String("limit", humanize.IBytes(limit)), slog.String("from", "DASHAPP_MEMORY_LIMIT"))
		return int64(limit), nil
	case getenv("GOMEMLIMIT") != "":
		limit := debug.SetMemoryLimit(-1)
		logger.Info("memory limit", slog.String("limit", humanize.IBytes(uint64(limit))), slog.String("from", "GOMEMLIMIT"))
		return limit, nil
	}
	from := "the container's cgroup limit"
	limit, err := memlimit.ApplyRatio(memlimit.FromCgroup, cgroupShare)()
	if err != nil || limit == 0 {
		from, limit = "the default (no cgroup limit)", DefaultMemoryLimit
	}
	debug.SetMemoryLimit(int64(limit))
	logger.Info("memory limit", slog.String("limit", humanize.IBytes(limit)), slog.String("from", from))
	return int64(limit), nil
}
