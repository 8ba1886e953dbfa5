package shop

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Page sizes: PageLimit turns a caller's limit into the rows a page holds.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// PageLimit is limit, or DefaultPageSize when limit <= 0, capped at
// MaxPageSize.
func PageLimit(limit int) int {
	if limit <= 0 {
		return DefaultPageSize
	}
	return min(limit, MaxPageSize)
}

// Cursor is the position of the last row of a keyset page in newest-first
// order: its time (to the second) and its ID, which breaks ties. Both
// stores in this repository use it; a store over a shop API may pass the
// API's own cursor through instead, since callers never read one.
type Cursor struct {
	At time.Time
	ID int64
}

// String is the opaque cursor: base64url of "unixSeconds:id".
func (c Cursor) String() string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(c.At.Unix(), 10) + ":" + strconv.FormatInt(c.ID, 10)))
}

// Precedes reports whether the cursor's row comes before a row at (at, id)
// in newest-first order, so that the row belongs to a later page.
func (c Cursor) Precedes(at time.Time, id int64) bool {
	if s, cs := at.Unix(), c.At.Unix(); s != cs {
		return s < cs
	}
	return id < c.ID
}

// ParseCursor reads a String. Errors wrap ErrBadCursor.
func ParseCursor(s string) (Cursor, error) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return Cursor{}, fmt.Errorf("%w: %q is not base64url", ErrBadCursor, s)
	}
	atText, idText, ok := strings.Cut(string(raw), ":")
	if !ok {
		return Cursor{}, fmt.Errorf("%w: %q has no separator", ErrBadCursor, s)
	}
	at, errAt := strconv.ParseInt(atText, 10, 64)
	id, errID := strconv.ParseInt(idText, 10, 64)
	if errAt != nil || errID != nil || id <= 0 {
		return Cursor{}, fmt.Errorf("%w: %q does not hold a time and an id", ErrBadCursor, s)
	}
	return Cursor{At: time.Unix(at, 0).UTC(), ID: id}, nil
}
