package appcontext

import (
	"fmt"
	"slices"
	"strings"

	"dashapp/handlers/runes"
)

// Change operations.
const (
	OpAdded   = "added"
	OpRemoved = "removed"
	OpChanged = "changed"
	// OpMore is the last entry of a capped diff; After says how many
	// changes were left out.
	OpMore = "more"
)

// MaxChanges is how many changes Diff lists before summing up the rest.
const MaxChanges = 200

// maxChangeText bounds Before and After, in runes.
const maxChangeText = 120

// Change is one difference between two messages.
type Change struct {
	Path   string
	Op     string // OpAdded, OpRemoved, OpChanged or OpMore
	Before string // compact JSON, at most ~120 runes; "" when added
	After  string // compact JSON, at most ~120 runes; "" when removed
}

// Diff compares two messages structurally: objects by key, arrays index by
// index. Changes are sorted by path (indexes numerically), so map
// iteration order never shows. Beyond
// MaxChanges, a final OpMore entry counts the rest.
func Diff(prev, cur []byte) ([]Change, error) {
	whole := TreeOptions{MaxString: -1, MaxItems: -1}
	before, err := Tree(prev, whole)
	if err != nil {
		return nil, fmt.Errorf("previous message: %w", err)
	}
	after, err := Tree(cur, whole)
	if err != nil {
		return nil, fmt.Errorf("current message: %w", err)
	}
	var changes []Change
	diffNodes(&changes, &before, &after)
	slices.SortStableFunc(changes, func(a, b Change) int { return comparePaths(a.Path, b.Path) })
	if len(changes) > MaxChanges {
		more := len(changes) - MaxChanges
		changes = append(changes[:MaxChanges], Change{Op: OpMore, After: fmt.Sprintf("%d more changes not shown", more)})
	}
	return changes, nil
}

func diffNodes(changes *[]Change, a, b *Node) {
	switch {
	case a.Kind != b.Kind || (a.Kind != "object" && a.Kind != "array" && a.Value != b.Value):
		*changes = append(*changes, Change{Path: b.Path, Op: OpChanged, Before: preview(a), After: preview(b)})
	case a.Kind == "array":
		for i := range max(len(a.Children), len(b.Children)) {
			switch {
			case i >= len(b.Children):
				*changes = append(*changes, Change{Path: a.Children[i].Path, Op: OpRemoved, Before: preview(&a.Children[i])})
			case i >= len(a.Children):
				*changes = append(*changes, Change{Path: b.Children[i].Path, Op: OpAdded, After: preview(&b.Children[i])})
			default:
				diffNodes(changes, &a.Children[i], &b.Children[i])
			}
		}
	case a.Kind == "object":
		old, cur := membersByKey(a), membersByKey(b)
		for key, before := range old {
			if after, ok := cur[key]; ok {
				diffNodes(changes, before, after)
			} else {
				*changes = append(*changes, Change{Path: before.Path, Op: OpRemoved, Before: preview(before)})
			}
		}
		for key, after := range cur {
			if _, ok := old[key]; !ok {
				*changes = append(*changes, Change{Path: after.Path, Op: OpAdded, After: preview(after)})
			}
		}
	}
}

// membersByKey indexes an object's members; a key sent twice keeps its
// last value, as JSON.parse does.
func membersByKey(n *Node) map[string]*Node {
	members := make(map[string]*Node, len(n.Children))
	for i := range n.Children {
		members[n.Children[i].Key] = &n.Children[i]
	}
	return members
}

// preview renders a node as compact JSON, cut to maxChangeText runes.
func preview(n *Node) string {
	var b strings.Builder
	writeJSON(&b, n, 4*maxChangeText)
	return runes.Truncate([]byte(b.String()), maxChangeText)
}

// writeJSON renders n as compact JSON, stopping once b holds limit bytes.
func writeJSON(b *strings.Builder, n *Node, limit int) {
	if b.Len() > limit {
		return
	}
	switch n.Kind {
	case "object", "array":
		open, close := "{", "}"
		if n.Kind == "array" {
			open, close = "[", "]"
		}
		b.WriteString(open)
		for i := range n.Children {
			if i > 0 {
				b.WriteByte(',')
			}
			if n.Kind == "object" {
				writeJSONString(b, n.Children[i].Key)
				b.WriteByte(':')
			}
			writeJSON(b, &n.Children[i], limit)
			if b.Len() > limit {
				return
			}
		}
		b.WriteString(close)
	case "string":
		writeJSONString(b, n.Value)
	default:
		b.WriteString(n.Value)
	}
}

// writeJSONString quotes s as JSON does, but leaves <, > and & alone: the
// text is for reading, and the view escapes it.
func writeJSONString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20:
			fmt.Fprintf(b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
}
