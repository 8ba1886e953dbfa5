package appcontext

import (
	"strconv"
	"unicode/utf8"

	"dashapp/handlers/runes"
)

// Node is one value of a message, for the payload explorer. Values are
// plain text: escaping them is the view's job.
type Node struct {
	Key       string // object key, or "[i]" for an array item; "" for the root
	Path      string // e.g. "data.conversation.messages[3].sender.id"; "" for the root
	Kind      string // "object", "array", "string", "number", "bool" or "null"
	Value     string // scalars: the text (strings decoded, at most MaxString runes) or literal
	Len       int    // full length: runes of a string, members of an object, items of an array
	Truncated bool   // Value or Children hold less than Len
	Children  []Node // at most MaxItems, in the order received
}

// TreeOptions bound a tree for display. Zero takes the default; a negative
// value means no limit.
type TreeOptions struct {
	MaxString int // runes kept per string; default 200
	MaxItems  int // children kept per object or array; default 50
	MaxDepth  int // nesting accepted; default 512
}

func (o TreeOptions) withDefaults() TreeOptions {
	limit := func(v, def int) int {
		switch {
		case v == 0:
			return def
		case v < 0:
			return int(^uint(0) >> 1)
		}
		return v
	}
	return TreeOptions{
		MaxString: limit(o.MaxString, 200),
		MaxItems:  limit(o.MaxItems, 50),
		MaxDepth:  limit(o.MaxDepth, maxInspectDepth),
	}
}

// Tree parses a JSON document into a tree that keeps keys in the order
// they were received. It fails, with a *DecodeError, only on invalid JSON
// or nesting beyond MaxDepth.
func Tree(raw []byte, opt TreeOptions) (Node, error) {
	opt = opt.withDefaults()
	t := treeBuilder{r: newCursor(raw, opt.MaxDepth, -1), opt: opt}
	defer t.r.release()
	root := t.node("", "")
	t.r.end()
	if t.r.err != nil {
		return Node{}, readError(raw, t.r.err)
	}
	return root, nil
}

type treeBuilder struct {
	r   *cursor
	opt TreeOptions
}

func (t *treeBuilder) node(key, path string) Node {
	n := Node{Key: key, Path: path}
	switch t.r.peekKind() {
	case kindObject:
		n.Kind = "object"
		t.r.object(func(k []byte) {
			if !t.keep(&n) {
				return
			}
			name := string(k)
			n.Children = append(n.Children, t.node(name, joinKey(path, name)))
		})
	case kindArray:
		n.Kind = "array"
		t.r.array(func() {
			if !t.keep(&n) {
				return
			}
			i := n.Len - 1
			n.Children = append(n.Children, t.node("["+strconv.Itoa(i)+"]", joinIndex(path, i)))
		})
	case kindString:
		s := t.r.stringBytes()
		n.Kind = "string"
		n.Len = utf8.RuneCount(s)
		n.Value, n.Truncated = runes.Cut(s, t.opt.MaxString)
	case kindNumber:
		n.Kind = "number"
		n.Value = string(t.r.read())
	case kindBool:
		n.Kind = "bool"
		n.Value = t.r.str()
	case kindNull:
		n.Kind = "null"
		n.Value = "null"
		t.r.skip()
	default:
		t.r.skip() // records the syntax error
	}
	return n
}

// keep counts the next member of n and reports whether it fits within
// MaxItems; a member that does not is skipped.
func (t *treeBuilder) keep(n *Node) bool {
	n.Len++
	if len(n.Children) < t.opt.MaxItems {
		return true
	}
	n.Truncated = true
	t.r.skip()
	return false
}
