// Package explorer is the payload explorer: a bounded, in-memory log of the
// messages each app page received (Log), the handlers that record and show
// it, and the mapping of appcontext's tree, schema report and diff onto the
// views' models. A fork without it deletes this folder and its lines in
// handlers/routes.go.
package explorer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"dashapp/handlers/appcontext"
	"dashapp/handlers/runes"
	"dashapp/handlers/web"
	"dashapp/views"
)

// Headers the bridge sends with every request of a page session.
const (
	HeaderSession = "X-Dashapp-Session"
	HeaderOrigin  = "X-Dashapp-Origin" // the postMessage origin of the forwarded appContext
	// HeaderPostedString, "1", says the host posted a JSON string (the web
	// dashboard does) and the bridge forwarded its content, the message's
	// JSON text, not the string re-quoted: the browser has unquoted it
	// already, and unquoting the whole message again was a tenth of the
	// server's work for a panel (BENCHMARKS.md). A quoted body is still
	// accepted.
	HeaderPostedString = "X-Dashapp-Posted-String"
)

// The bridge reports ignored messages in batches: at most MaxEventBatch
// events, each metadata and a short preview, in at most EventBodyLimit bytes.
const (
	MaxEventBatch  = 20
	EventBodyLimit = 32 << 10
)

// pageSessionOf is the page session of a request: the bridge's header, or, for
// a download link, the query. "" when absent or malformed. It is a copy:
// Fiber's strings point into a buffer reused by the next request, and this
// one becomes a map key.
func pageSessionOf(c *fiber.Ctx) string {
	s := c.Get(HeaderSession)
	if s == "" {
		s = c.Query("session")
	}
	if !validSessionID(s) {
		return ""
	}
	return strings.Clone(s)
}

// RecordContext logs an accepted appContext of the request's page session.
// A nil log (the explorer is off) records nothing.
func (l *Log) RecordContext(c *fiber.Ctx, msg *appcontext.Message) {
	session := pageSessionOf(c)
	if l == nil || session == "" {
		return
	}
	body := c.Body()
	l.add(session, Entry{
		Origin:    strings.Clone(c.Get(HeaderOrigin)),
		Size:      len(body),
		Raw:       msg.Raw, // Decode's own copy: the request body is reused by fasthttp
		WasString: msg.WasString || c.Get(HeaderPostedString) == "1",
	})
}

// explorerEvent is what the bridge reports about a message it ignored.
type explorerEvent struct {
	Origin  string `json:"origin"`
	Size    int    `json:"size"`
	Reason  string `json:"reason"`
	Preview string `json:"preview"`
}

// RecordIgnored logs a batch of messages the bridge ignored: metadata and
// the first characters only, never the whole forged payload.
func RecordIgnored(log *Log) fiber.Handler {
	return func(c *fiber.Ctx) error {
		session := pageSessionOf(c)
		if session == "" {
			return web.Problem(fiber.StatusBadRequest, "problem.event_no_session", HeaderSession)
		}
		if len(c.Body()) > EventBodyLimit {
			return web.Problem(fiber.StatusRequestEntityTooLarge, "problem.event_too_large", EventBodyLimit)
		}
		var batch []explorerEvent
		if err := json.Unmarshal(c.Body(), &batch); err != nil {
			return web.Problem(fiber.StatusBadRequest, "problem.event_unreadable", err.Error())
		}
		if len(batch) == 0 || len(batch) > MaxEventBatch {
			return web.Problem(fiber.StatusBadRequest, "problem.event_batch_size", MaxEventBatch, len(batch))
		}
		for _, ev := range batch {
			if ev.Reason == "" {
				return web.Problem(fiber.StatusBadRequest, "problem.event_no_reason")
			}
		}
		for _, ev := range batch {
			log.add(session, Entry{
				Origin:  first(ev.Origin, 200),
				Size:    max(ev.Size, 0),
				Ignored: first(ev.Reason, 40),
				Preview: first(ev.Preview, previewRunes),
			})
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

// showExplorer renders the explorer tab: the session's log and one
// appContext taken apart (?entry=N, else the latest).
func Show(log *Log) fiber.Handler {
	return func(c *fiber.Ctx) error {
		session := pageSessionOf(c)
		if session == "" {
			return web.Problem(fiber.StatusBadRequest, "problem.explorer_no_session")
		}
		entries, _ := log.entries(session) // an unknown session has an empty log
		want := 0
		if s := c.Query("entry"); s != "" {
			n, err := strconv.Atoi(s)
			if i := findEntry(entries, n); err != nil || i < 0 || entries[i].Ignored != "" {
				return fiber.ErrNotFound
			}
			want = n
		}
		model := views.Explorer{Lang: web.Lang(c)}
		for i := len(entries) - 1; i >= 0; i-- {
			e := entries[i]
			if want == 0 && e.Ignored == "" {
				want = e.Seq
			}
			model.Rows = append(model.Rows, views.ExplorerRow{Seq: e.Seq, At: e.At, Origin: e.Origin, Size: e.Size,
				Ignored: e.Ignored, Preview: e.Preview, WasString: e.WasString})
		}
		if want > 0 {
			for i := range model.Rows {
				model.Rows[i].Selected = model.Rows[i].Seq == want
			}
			detail := explorerDetail(entries, findEntry(entries, want), session)
			model.Selected = &detail
		}
		return web.Render(c, views.ExplorerView(model))
	}
}

func findEntry(entries []Entry, seq int) int {
	return slices.IndexFunc(entries, func(e Entry) bool { return e.Seq == seq })
}

// explorerDetail takes entries[i] apart: tree, schema report, and the diff
// against the session's previous appContext still in the log.
func explorerDetail(entries []Entry, i int, session string) views.ExplorerDetail {
	e := entries[i]
	d := views.ExplorerDetail{
		Seq:         e.Seq,
		WasString:   e.WasString,
		Report:      web.Findings(appcontext.Check(e.Raw)),
		Raw:         string(e.Raw),
		DownloadURL: downloadURL(session, e.Seq),
	}
	var pretty bytes.Buffer
	if json.Indent(&pretty, e.Raw, "", "  ") == nil {
		d.Pretty = pretty.String()
	}
	tree, err := appcontext.Tree(e.Raw, appcontext.TreeOptions{MaxString: -1, MaxItems: -1})
	if err != nil {
		d.TreeError = err.Error()
	}
	d.Tree = treeView(tree)
	for j := i - 1; j >= 0; j-- {
		if entries[j].Ignored != "" {
			continue
		}
		d.PrevSeq = entries[j].Seq
		changes, err := appcontext.Diff(entries[j].Raw, e.Raw)
		if err != nil && d.TreeError == "" { // the tree's own error says more
			d.TreeError = err.Error()
		}
		d.Diff = changesView(changes)
		break
	}
	return d
}

func downloadURL(session string, seq int) string {
	return fmt.Sprintf("/explorer/entries/%d/payload.json?session=%s", seq, session)
}

// Download serves one accepted appContext as a .json file, exactly
// the message object that arrived: the simulator's editor loads it as is.
func Download(log *Log) fiber.Handler {
	return func(c *fiber.Ctx) error {
		session := pageSessionOf(c)
		seq, err := strconv.Atoi(c.Params("seq"))
		if session == "" || err != nil {
			return fiber.ErrNotFound
		}
		entries, _ := log.entries(session)
		i := findEntry(entries, seq)
		if i < 0 || entries[i].Ignored != "" {
			return fiber.ErrNotFound
		}
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
		c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="appcontext-%d.json"`, seq))
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Send(entries[i].Raw)
	}
}

// What the tree shows before "show all": the rest is one click away, in a
// nested <details>, so nothing needs a script.
const (
	treeStringRunes = 200
	treeItems       = 50
)

// treeView maps a whole (untruncated) payload tree onto the view's model,
// cutting long strings and arrays into what shows first and the rest.
func treeView(n appcontext.Node) views.TreeNode {
	v := views.TreeNode{Key: n.Key, Path: n.Path, Kind: n.Kind, Value: n.Value, Len: n.Len}
	if short, cut := runes.Cut(n.Value, treeStringRunes); cut {
		v.Value, v.Full = short, n.Value
	}
	for i, child := range n.Children {
		if i < treeItems {
			v.Children = append(v.Children, treeView(child))
		} else {
			v.More = append(v.More, treeView(child))
		}
	}
	return v
}

func changesView(changes []appcontext.Change) []views.Change {
	out := make([]views.Change, 0, len(changes))
	for _, ch := range changes {
		out = append(out, views.Change{Path: ch.Path, Op: ch.Op, Before: ch.Before, After: ch.After})
	}
	return out
}

// first keeps the first n runes of s.
func first(s string, n int) string {
	short, _ := runes.Cut(s, n)
	return short
}
