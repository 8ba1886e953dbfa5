package handlers

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"dashapp/handlers/appcontext"
	"dashapp/views"
)

// Headers the bridge sends with every request of a page session.
const (
	headerSession = "X-Dashapp-Session"
	headerOrigin  = "X-Dashapp-Origin" // the postMessage origin of the forwarded appContext
)

// The bridge reports ignored messages in batches: at most maxEventBatch
// events, each metadata and a short preview, in at most eventBodyLimit bytes.
const (
	maxEventBatch  = 20
	eventBodyLimit = 32 << 10
)

// pageSessionOf is the page session of a request: the bridge's header, or, for
// a download link, the query. "" when absent or malformed. It is a copy:
// Fiber's strings point into a buffer reused by the next request, and this
// one becomes a map key.
func pageSessionOf(c *fiber.Ctx) string {
	s := c.Get(headerSession)
	if s == "" {
		s = c.Query("session")
	}
	if !validSessionID(s) {
		return ""
	}
	return strings.Clone(s)
}

// recordContext logs an accepted appContext for the payload explorer.
func recordContext(c *fiber.Ctx, deps Deps, body []byte, msg *appcontext.Message) {
	session := pageSessionOf(c)
	if deps.explorer == nil || session == "" {
		return
	}
	deps.explorer.add(session, ExplorerEntry{
		Origin:    strings.Clone(c.Get(headerOrigin)),
		Size:      len(body),
		Raw:       msg.Raw, // Decode's own copy: the request body is reused by fasthttp
		WasString: msg.WasString,
	})
}

// explorerEvent is what the bridge reports about a message it ignored.
type explorerEvent struct {
	Origin  string `json:"origin"`
	Size    int    `json:"size"`
	Reason  string `json:"reason"`
	Preview string `json:"preview"`
}

// recordIgnored logs a batch of messages the bridge ignored: metadata and
// the first characters only, never the whole forged payload.
func recordIgnored(deps Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		session := pageSessionOf(c)
		if session == "" {
			return problem(fiber.StatusBadRequest, "problem.event_no_session", headerSession)
		}
		if len(c.Body()) > eventBodyLimit {
			return problem(fiber.StatusRequestEntityTooLarge, "problem.event_too_large", eventBodyLimit)
		}
		var batch []explorerEvent
		if err := json.Unmarshal(c.Body(), &batch); err != nil {
			return problem(fiber.StatusBadRequest, "problem.event_unreadable", err.Error())
		}
		if len(batch) == 0 || len(batch) > maxEventBatch {
			return problem(fiber.StatusBadRequest, "problem.event_batch_size", maxEventBatch, len(batch))
		}
		for _, ev := range batch {
			if ev.Reason == "" {
				return problem(fiber.StatusBadRequest, "problem.event_no_reason")
			}
		}
		for _, ev := range batch {
			deps.explorer.add(session, ExplorerEntry{
				Origin:  cutText(ev.Origin, 200),
				Size:    max(ev.Size, 0),
				Ignored: cutText(ev.Reason, 40),
				Preview: cutText(ev.Preview, previewRunes),
			})
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
}

// cutText keeps the first n runes of s, replacing invalid UTF-8.
func cutText(s string, n int) string {
	r := []rune(s)
	return string(r[:min(n, len(r))])
}

// showExplorer renders the explorer tab: the session's log and one
// appContext taken apart (?entry=N, else the latest).
func showExplorer(deps Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		session := pageSessionOf(c)
		if session == "" {
			return problem(fiber.StatusBadRequest, "problem.explorer_no_session")
		}
		entries, _ := deps.explorer.entries(session) // an unknown session has an empty log
		want := 0
		if s := c.Query("entry"); s != "" {
			n, err := strconv.Atoi(s)
			if i := findEntry(entries, n); err != nil || i < 0 || entries[i].Ignored != "" {
				return fiber.ErrNotFound
			}
			want = n
		}
		model := views.Explorer{Lang: langOf(c)}
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
		return render(c, views.ExplorerView(model))
	}
}

func findEntry(entries []ExplorerEntry, seq int) int {
	return slices.IndexFunc(entries, func(e ExplorerEntry) bool { return e.Seq == seq })
}

// explorerDetail takes entries[i] apart: tree, schema report, and the diff
// against the session's previous appContext still in the log.
func explorerDetail(entries []ExplorerEntry, i int, session string) views.ExplorerDetail {
	e := entries[i]
	d := views.ExplorerDetail{
		Seq:         e.Seq,
		WasString:   e.WasString,
		Report:      appcontext.Check(e.Raw),
		Raw:         string(e.Raw),
		DownloadURL: downloadURL(session, e.Seq),
	}
	tree, err := appcontext.Tree(e.Raw, appcontext.TreeOptions{MaxString: -1, MaxItems: -1})
	if err != nil {
		d.TreeError = err.Error()
	}
	d.Tree = tree
	for j := i - 1; j >= 0; j-- {
		if entries[j].Ignored != "" {
			continue
		}
		d.PrevSeq = entries[j].Seq
		changes, err := appcontext.Diff(entries[j].Raw, e.Raw)
		if err != nil && d.TreeError == "" { // the tree's own error says more
			d.TreeError = err.Error()
		}
		d.Diff = changes
		break
	}
	return d
}

func downloadURL(session string, seq int) string {
	return fmt.Sprintf("/explorer/entries/%d/payload.json?session=%s", seq, session)
}

// downloadEntry serves one accepted appContext as a .json file, exactly
// the message object that arrived: the simulator's editor loads it as is.
func downloadEntry(deps Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		session := pageSessionOf(c)
		seq, err := strconv.Atoi(c.Params("seq"))
		if session == "" || err != nil {
			return fiber.ErrNotFound
		}
		entries, _ := deps.explorer.entries(session)
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
