package views

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// treeOpenDepth is how many levels of the tree are open at first.
const treeOpenDepth = 3

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

func treeKey(n TreeNode) string {
	if n.Key == "" {
		return "message"
	}
	return n.Key
}

func treeCount(lang string, n TreeNode) string {
	if n.Kind == "array" {
		return Tf(lang, "explorer.items", n.Len)
	}
	return Tf(lang, "explorer.keys", n.Len)
}

// rowStatus says whether a message was accepted, or why the bridge ignored
// it. The reason comes from the page: an unknown one is shown as sent.
func rowStatus(lang string, r ExplorerRow) string {
	if r.Ignored == "" {
		if r.WasString {
			return T(lang, "explorer.acceptedString")
		}
		return T(lang, "explorer.acceptedObject")
	}
	return tOr(lang, "explorer.reason."+r.Ignored, Tf(lang, "explorer.ignored", visible(r.Ignored)))
}

func findingsSummary(lang string, findings []Finding) string {
	if len(findings) == 0 {
		return T(lang, "explorer.schemaClean")
	}
	return Tf(lang, "explorer.schemaFindings", len(findings))
}

func seqID(prefix string, seq int) string { return prefix + strconv.Itoa(seq) }
