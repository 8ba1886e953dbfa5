package db

import (
	"errors"
	"fmt"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrLocked is returned (wrapped) when another process, such as a long
// import, holds the database's write lock past the busy timeout.
var ErrLocked = errors.New("another import holds the database's write lock")

// primaryCode is SQLite's primary result code in err (SQLITE_BUSY for all
// of SQLITE_BUSY_*), or 0 when err does not come from SQLite.
func primaryCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() & 0xff
	}
	return 0
}

// isBusy reports SQLITE_BUSY in any of its extended forms.
func isBusy(err error) bool { return primaryCode(err) == sqlite3.SQLITE_BUSY }

// lockedError turns a busy error into ErrLocked, keeping SQLite's words
// after it for the log.
func lockedError(err error) error {
	if isBusy(err) {
		return fmt.Errorf("%w (%v)", ErrLocked, err)
	}
	return err
}
