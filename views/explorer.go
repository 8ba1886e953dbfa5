package views

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"dashapp/handlers/appcontext"
)

// What the tree shows before "show all": the rest is one click away, in a
// nested <details>, so nothing needs a script.
const (
	treeStringRunes = 200
	treeItems       = 50
	treeOpenDepth   = 3 // levels open at first
)

// cutRunes keeps the first n runes of s.
func cutRunes(s string, n int) (string, bool) {
	if utf8.RuneCountInString(s) <= n {
		return s, false
	}
	i := 0
	for range n {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i], true
}

// visible shows the characters a hostile string hides behind: bidi
// overrides and isolates, zero-width and other control characters become
// ⟦U+202E⟧, so the explorer shows what was sent, not what it pretends to be.
func visible(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r != '\n' && r != '\t' && (unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError) {
			fmt.Fprintf(&b, "⟦U+%04X⟧", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func treeHead(n appcontext.Node) []appcontext.Node {
	if len(n.Children) > treeItems {
		return n.Children[:treeItems]
	}
	return n.Children
}

func treeRest(n appcontext.Node) []appcontext.Node {
	if len(n.Children) > treeItems {
		return n.Children[treeItems:]
	}
	return nil
}

func treeKey(n appcontext.Node) string {
	if n.Key == "" {
		return "message"
	}
	return n.Key
}

func treeCount(n appcontext.Node) string {
	if n.Kind == "array" {
		return fmt.Sprintf("%d items", n.Len)
	}
	return fmt.Sprintf("%d keys", n.Len)
}

func rowStatus(r ExplorerRow) string {
	if r.Ignored == "" {
		if r.WasString {
			return "accepted (string)"
		}
		return "accepted (object)"
	}
	return "ignored: " + r.Ignored
}

func findingsSummary(r appcontext.Report) string {
	if len(r.Findings) == 0 {
		return "Matches the documented payload."
	}
	return strconv.Itoa(len(r.Findings)) + " differences from the documented payload."
}

func seqID(prefix string, seq int) string { return prefix + strconv.Itoa(seq) }
