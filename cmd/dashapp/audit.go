package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"

	"dashapp/db"
	"dashapp/db/shop"
)

// audit prints the trail of what agents did from the panel, newest first.
func audit(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlags("audit", stdout)
	dbPath := fs.String("db", envOr(getenv, "DASHAPP_DB", "dashapp.db"), "SQLite database file (DASHAPP_DB)")
	limit := fs.Int("limit", db.DefaultPageSize, fmt.Sprintf("actions to print (at most %d)", db.MaxPageSize))
	before := fs.String("before", "", "print the actions older than this cursor (printed at the end of the previous page)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("audit: unexpected argument %q", fs.Arg(0))
	}
	// Opening creates a missing file: an audit of a mistyped path would
	// silently be empty.
	if _, err := os.Stat(*dbPath); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	store, err := db.Open(ctx, *dbPath)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer store.Close()
	page, err := store.Audit(ctx, *limit, *before)
	if errors.Is(err, db.ErrBadCursor) {
		return fmt.Errorf("audit: -before %q is not a cursor this command printed", *before)
	}
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	if len(page.Actions) == 0 {
		fmt.Fprintln(stdout, "no actions recorded")
		return nil
	}
	printAudit(stdout, page.Actions)
	if page.Next != "" {
		fmt.Fprintf(stdout, "\nolder: dashapp audit -before %s\n", page.Next)
	}
	return nil
}

func printAudit(w io.Writer, actions []shop.Action) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME (UTC)\tAGENT (CLAIMED)\tACCOUNT\tCONVERSATION\tCONTACT\tACTION\tTARGET\tOUTCOME\tMESSAGE")
	for _, a := range actions {
		agent := terminalSafe(a.AgentName)
		if a.AgentID > 0 {
			agent += " #" + strconv.FormatInt(a.AgentID, 10)
		}
		message := "-"
		if a.MessageID > 0 {
			message = strconv.FormatInt(a.MessageID, 10)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\t%s\t%s\t%s\n", a.At.UTC().Format("2006-01-02 15:04:05"), agent,
			a.AccountID, a.ConversationID, a.ContactID, a.Kind, terminalSafe(a.Target), terminalSafe(a.Outcome), message)
	}
	tw.Flush()
}

// terminalSafe quotes a string that holds anything but printable
// characters: the agent's name comes from the host's payload, and escape
// sequences or bidi overrides in it must not rewrite the operator's
// terminal or the table.
func terminalSafe(s string) string {
	if s == "" {
		return "-"
	}
	if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsGraphic(r) || r == '\t' }) < 0 {
		return s
	}
	return strconv.QuoteToGraphic(s)
}
