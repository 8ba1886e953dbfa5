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

// isBusy reports SQLITE_BUSY in any of its extended forms.
func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// lockedError turns a busy error into ErrLocked, keeping SQLite's words
// after it for the log.
func lockedError(err error) error {
	if isBusy(err) {
		return fmt.Errorf("%w (%v)", ErrLocked, err)
	}
	return err
}
