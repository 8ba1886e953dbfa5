package views

import (
	"context"
	"strings"
	"time"
)

type timeZoneKey struct{}

// WithTimeZone sets the zone that DateTime and Date render in for every
// component rendered with ctx. Handlers choose it (see handlers/zone.go);
// without one, times show in UTC.
func WithTimeZone(ctx context.Context, loc *time.Location) context.Context {
	return context.WithValue(ctx, timeZoneKey{}, loc)
}

// TimeZone is the zone set by WithTimeZone, or UTC.
func TimeZone(ctx context.Context) *time.Location {
	if loc, ok := ctx.Value(timeZoneKey{}).(*time.Location); ok && loc != nil {
		return loc
	}
	return time.UTC
}

// zoneLabel names a zone for a date's tooltip: "Asia/Riyadh", "America/New York".
func zoneLabel(loc *time.Location) string {
	return strings.ReplaceAll(loc.String(), "_", " ")
}
