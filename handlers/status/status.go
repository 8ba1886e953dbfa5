// Package status serves GET /status: per shop data source, the last
// delivery accepted, the last refused and why, and counts per outcome. It
// shows no customer data (the delivery log holds none), but it tells who
// sends what, so it sits behind the access key like the simulator.
package status

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"dashapp/db/shop"
	"dashapp/views"
)

// SourceStatuses is what the page reads. The SQLite store implements it.
type SourceStatuses interface {
	SourceStatuses(ctx context.Context) ([]shop.SourceStatus, error)
}

// Source is one row of the page: a source and the variable that enables
// it. Enabled sources get a row even before their first delivery.
type Source struct {
	Name       string // a shop.Source constant
	EnableWith string // the variable that turns it on, shown while it is off
	Enabled    bool
}

// outcomes is the order the counts are shown in.
var outcomes = []string{shop.OutcomeAccepted, shop.OutcomeDuplicate, shop.OutcomeIgnored,
	shop.OutcomeRefused, shop.OutcomeMalformed, shop.OutcomeFailed}

// Page renders the status page. sources lists the receivers the server
// has, in the order they are shown; a source the store reports that is not
// listed (csv, api) follows them. lang picks the request's language.
func Page(store SourceStatuses, sources []Source, stylesheet string, lang func(*fiber.Ctx) string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		got, err := store.SourceStatuses(c.UserContext())
		if err != nil {
			return fmt.Errorf("status page: %w", err)
		}
		page := views.StatusPage{Lang: lang(c), Stylesheet: stylesheet, Sources: rows(sources, got)}
		ctx := c.UserContext()
		if trail, ok := store.(AuditTrail); ok {
			audit, err := trail.Audit(ctx, auditRows, "")
			if err != nil {
				return fmt.Errorf("status page audit: %w", err)
			}
			ctx = templ.WithChildren(ctx, views.AuditTable(page.Lang, auditView(audit.Actions)))
		}
		var buf bytes.Buffer
		if err := views.StatusView(page).Render(ctx, &buf); err != nil {
			return fmt.Errorf("render status page: %w", err)
		}
		c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Send(buf.Bytes())
	}
}

// AuditTrail is the actions taken from the panel; a store that has it
// gets the audit section.
type AuditTrail interface {
	Audit(ctx context.Context, limit int, cursor string) (shop.AuditPage, error)
}

// auditRows is how many actions the page shows; `dashapp audit` pages
// through them all.
const auditRows = 50

func auditView(actions []shop.Action) []views.AuditRow {
	out := make([]views.AuditRow, 0, len(actions))
	for _, a := range actions {
		out = append(out, views.AuditRow{At: a.At, AgentName: a.AgentName, AgentID: a.AgentID, ConversationID: a.ConversationID,
			ContactID: a.ContactID, Action: string(a.Kind), Target: a.Target, Outcome: a.Outcome, MessageID: a.MessageID})
	}
	return out
}

// rows maps the store's statuses onto the configured sources.
func rows(sources []Source, got []shop.SourceStatus) []views.SourceStatus {
	byName := map[string]shop.SourceStatus{}
	for _, s := range got {
		byName[s.Source] = s
	}
	var out []views.SourceStatus
	for _, src := range sources {
		st := byName[src.Name]
		delete(byName, src.Name)
		row := row(src.Name, st)
		if !src.Enabled {
			row.EnableWith = src.EnableWith
		}
		out = append(out, row)
	}
	rest := make([]string, 0, len(byName))
	for name := range byName {
		rest = append(rest, name)
	}
	slices.Sort(rest)
	for _, name := range rest {
		out = append(out, row(name, byName[name]))
	}
	return out
}

func row(name string, st shop.SourceStatus) views.SourceStatus {
	r := views.SourceStatus{Source: name, LastAccepted: line(st.LastAccepted), LastRefused: line(st.LastRefused)}
	for _, o := range outcomes {
		r.Counts = append(r.Counts, views.OutcomeCount{Outcome: o, Count: st.Counts[o]})
	}
	return r
}

func line(l *shop.DeliveryLog) *views.DeliveryLine {
	if l == nil {
		return nil
	}
	return &views.DeliveryLine{At: l.At, Topic: l.Topic, DeliveryID: l.DeliveryID, Outcome: l.Outcome, Reason: l.Reason, Records: l.Records}
}
