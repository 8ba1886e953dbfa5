package appcontext

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// schema.json transcribes the payload documented in the host's "Dashboard
// Apps" page, shaped like the payload itself. A leaf names its type:
// "string", "integer", "boolean", "array" (items not documented), "object"
// or {} (a free-form object, not checked inside), "string || null"
// (nullable), or null (documented only as null: any type, nullable). An
// object lists its documented members; an array holds its item's shape.
//
//go:embed schema.json
var schemaJSON []byte

// Kind classifies a difference between a message and the documentation.
type Kind string

const (
	KindMissing      Kind = "missing"       // a documented field is absent
	KindUndocumented Kind = "undocumented"  // a field the documentation does not mention
	KindTypeMismatch Kind = "type_mismatch" // the field has another type than documented
	KindNull         Kind = "null"          // a field documented as non-null is null
	KindInvalid      Kind = "invalid"       // the message is not JSON at all; Got says why
)

// Report lists how one message differs from the documented payload.
type Report struct {
	Findings []Finding // sorted by Path (indexes numerically), then Kind
}

// Finding is one difference. The same difference in several array items is
// reported once, with "[]" in place of the index and Count items; a
// difference in a single item keeps its index.
type Finding struct {
	Path     string // e.g. "data.conversation.messages[].sender.id"
	Kind     Kind
	Expected string // documented type: "integer", "string || null", ...; "" for undocumented fields
	Got      string // received type: "integer", "number", "string", "null", ...; "" for missing fields
	Count    int    // how many times it occurred (array items); at least 1
}

// maxInspectDepth bounds nesting for Check and Tree: looser than Decode's
// limit, since a developer inspecting a rejected message wants to see it.
const maxInspectDepth = 512

// Check compares a message object (Message.Raw) with the documented
// payload. It never fails: a message that is not JSON yields one
// KindInvalid finding.
func Check(raw []byte) Report {
	c := checker{r: newCursor(raw, maxInspectDepth, -1)}
	defer c.r.release()
	c.value(documented())
	c.r.end()
	if c.r.err != nil {
		return Report{Findings: []Finding{{Kind: KindInvalid, Expected: "JSON", Got: describe(raw, c.r.err), Count: 1}}}
	}
	return Report{Findings: aggregate(c.found)}
}

// schemaNode is one documented value.
type schemaNode struct {
	typ      string // "string", "integer", "boolean", "object", "array", or "any"
	nullable bool
	fields   []schemaField // documented members; nil for a free-form object
	items    *schemaNode   // documented array item; nil when not documented
}

type schemaField struct {
	name string
	node *schemaNode
}

func (s *schemaNode) expected() string {
	switch {
	case s.typ == "any":
		return "null" // as documented: snoozed_until
	case s.nullable:
		return s.typ + " || null"
	}
	return s.typ
}

func (s *schemaNode) field(name []byte) int {
	for i, f := range s.fields {
		if f.name == string(name) {
			return i
		}
	}
	return -1
}

var documented = sync.OnceValue(func() *schemaNode {
	var doc any
	if err := json.Unmarshal(schemaJSON, &doc); err != nil {
		panic(fmt.Sprintf("appcontext: schema.json: %v", err))
	}
	node, err := parseSchema(doc)
	if err != nil {
		panic(fmt.Sprintf("appcontext: schema.json: %v", err))
	}
	return node
})

func parseSchema(doc any) (*schemaNode, error) {
	switch v := doc.(type) {
	case nil:
		return &schemaNode{typ: "any", nullable: true}, nil
	case string:
		node := &schemaNode{}
		for _, part := range strings.Split(v, "||") {
			switch part = strings.TrimSpace(part); part {
			case "null":
				node.nullable = true
			case "string", "integer", "boolean", "object", "array":
				if node.typ != "" {
					return nil, fmt.Errorf("type %q names two types", v)
				}
				node.typ = part
			default:
				return nil, fmt.Errorf("unknown type %q", part)
			}
		}
		if node.typ == "" {
			return nil, fmt.Errorf("type %q names no type", v)
		}
		return node, nil
	case map[string]any:
		node := &schemaNode{typ: "object"}
		for name, member := range v {
			child, err := parseSchema(member)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			node.fields = append(node.fields, schemaField{name: name, node: child})
		}
		slices.SortFunc(node.fields, func(a, b schemaField) int { return strings.Compare(a.name, b.name) })
		return node, nil
	case []any:
		if len(v) != 1 {
			return nil, fmt.Errorf("an array shape holds one item, not %d", len(v))
		}
		item, err := parseSchema(v[0])
		if err != nil {
			return nil, fmt.Errorf("[]: %w", err)
		}
		return &schemaNode{typ: "array", items: item}, nil
	}
	return nil, fmt.Errorf("unexpected %T", doc)
}

// checker walks a message alongside the schema. The path to the current
// value is a stack of segments, rendered only for findings since most
// values have none.
type checker struct {
	r     *cursor
	at    []segment
	found []located
}

type segment struct {
	key   string // member name, when index < 0
	index int    // array index, or -1 for an object member
}

// located is a finding with its generic path ("[]" for indexes), by which
// findings from different array items are merged.
type located struct {
	Finding
	generic string
}

func (c *checker) path(generic bool) string {
	path := ""
	for _, seg := range c.at {
		switch {
		case seg.index < 0:
			path = joinKey(path, seg.key)
		case generic:
			path += "[]"
		default:
			path = joinIndex(path, seg.index)
		}
	}
	return path
}

func (c *checker) add(kind Kind, expected, got string) {
	c.found = append(c.found, located{Finding{Path: c.path(false), Kind: kind, Expected: expected, Got: got, Count: 1}, c.path(true)})
}

// enter runs fn with seg appended to the current path.
func (c *checker) enter(seg segment, fn func()) {
	c.at = append(c.at, seg)
	fn()
	c.at = c.at[:len(c.at)-1]
}

func (c *checker) value(s *schemaNode) {
	got := c.r.typeName()
	switch {
	case got == "null":
		if !s.nullable {
			c.add(KindNull, s.expected(), got)
		}
		c.r.skip()
	case s.typ != "any" && s.typ != got:
		c.add(KindTypeMismatch, s.expected(), got)
		c.r.skip()
	case s.fields != nil:
		c.object(s)
	case s.items != nil:
		i := 0
		c.r.array(func() {
			c.enter(segment{index: i}, func() { c.value(s.items) })
			i++
		})
	default: // free-form object, undocumented items, or a scalar
		c.r.skip()
	}
}

func (c *checker) object(s *schemaNode) {
	seen := make([]bool, len(s.fields))
	c.r.object(func(key []byte) {
		i := s.field(key)
		if i < 0 {
			c.enter(segment{key: string(key), index: -1}, func() { c.add(KindUndocumented, "", c.r.typeName()) })
			c.r.skip()
			return
		}
		seen[i] = true
		c.enter(segment{key: s.fields[i].name, index: -1}, func() { c.value(s.fields[i].node) })
	})
	for i, f := range s.fields {
		if !seen[i] {
			c.enter(segment{key: f.name, index: -1}, func() { c.add(KindMissing, f.node.expected(), "") })
		}
	}
}

// aggregate merges identical findings from different array items.
func aggregate(found []located) []Finding {
	type key struct {
		generic       string
		kind          Kind
		expected, got string
	}
	var findings []Finding
	index := map[key]int{}
	for _, f := range found {
		k := key{f.generic, f.Kind, f.Expected, f.Got}
		if i, ok := index[k]; ok {
			findings[i].Path = f.generic
			findings[i].Count++
			continue
		}
		index[k] = len(findings)
		findings = append(findings, f.Finding)
	}
	slices.SortStableFunc(findings, func(a, b Finding) int {
		if c := comparePaths(a.Path, b.Path); c != 0 {
			return c
		}
		return strings.Compare(string(a.Kind), string(b.Kind))
	})
	return findings
}
