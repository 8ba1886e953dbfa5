package views

import (
	"time"

	"dashapp/handlers/appcontext"
)

// Explorer is the payload explorer tab: the page session's log, newest
// first, and the inspected appContext. Every string in it is untrusted
// text from the host or from another frame; templ escapes it.
type Explorer struct {
	Lang     string
	Rows     []ExplorerRow
	Selected *ExplorerDetail // nil until an appContext arrived
}

// ExplorerRow is one message the app received.
type ExplorerRow struct {
	Seq       int
	At        time.Time
	Origin    string
	Size      int
	Ignored   string // the bridge's reason, "" when accepted
	Preview   string // ignored messages: their first characters
	WasString bool
	Selected  bool
}

// ExplorerDetail is one accepted appContext, taken apart.
type ExplorerDetail struct {
	Seq         int
	WasString   bool
	Tree        appcontext.Node // the whole message, untruncated: the view cuts
	TreeError   string
	Report      appcontext.Report
	PrevSeq     int // the previous appContext of the session; 0 when none
	Diff        []appcontext.Change
	Raw         string // the message object, for copying
	DownloadURL string
}
