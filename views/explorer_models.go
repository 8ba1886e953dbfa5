package views

import "time"

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
	Tree        TreeNode // the whole message
	TreeError   string
	Report      []Finding // how it differs from the documented payload
	PrevSeq     int       // the previous appContext of the session; 0 when none
	Diff        []Change  // since PrevSeq
	Raw         string    // the message object, for copying
	Pretty      string    // Raw indented (json.Indent: numbers and key order as sent); "" if it cannot be
	DownloadURL string
}

// TreeNode is one value of a payload: objects and arrays hold their
// members, scalars their text. The handler cuts long strings and arrays:
// what shows first, and the rest behind "show all".
type TreeNode struct {
	Key      string // object key, or "[i]" for an array item; "" for the root
	Path     string // e.g. "data.conversation.messages[3].sender.id"
	Kind     string // "object", "array", "string", "number", "bool" or "null"
	Value    string // scalars: the text shown first
	Full     string // scalars cut short: the whole text; "" when Value is whole
	Len      int    // runes of a string, members of an object, items of an array
	Children []TreeNode
	More     []TreeNode // members past the first ones, shown on demand
}

// Finding is one difference between a message and the documented payload.
type Finding struct {
	Path     string // e.g. "data.conversation.messages[].sender.id"
	Kind     string // a code such as "missing" or "type"; the catalog names it
	Expected string // documented type; "" for undocumented fields
	Got      string // received type; "" for missing fields
	Count    int    // how many array items it occurred in; at least 1
}

// Change is one difference between two messages of a session.
type Change struct {
	Path   string
	Op     string // "added", "removed", "changed" or "more"
	Before string // compact JSON, cut short; "" when added
	After  string // compact JSON, cut short; "" when removed
}
