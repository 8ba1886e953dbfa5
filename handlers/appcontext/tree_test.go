package appcontext

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestTree(t *testing.T) {
	raw := `{"z":1.50e3,"a":{"y":null,"b":[true,"<b>x</b>"]},"k.v":"\u0644"}`
	got, err := Tree([]byte(raw), TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := Node{Kind: "object", Len: 3, Children: []Node{
		{Key: "z", Path: "z", Kind: "number", Value: "1.50e3"},
		{Key: "a", Path: "a", Kind: "object", Len: 2, Children: []Node{
			{Key: "y", Path: "a.y", Kind: "null", Value: "null"},
			{Key: "b", Path: "a.b", Kind: "array", Len: 2, Children: []Node{
				{Key: "[0]", Path: "a.b[0]", Kind: "bool", Value: "true"},
				{Key: "[1]", Path: "a.b[1]", Kind: "string", Value: "<b>x</b>", Len: 8},
			}},
		}},
		{Key: "k.v", Path: `["k.v"]`, Kind: "string", Value: "ل", Len: 1},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Tree\n got %+v\nwant %+v", got, want)
	}
}

func TestTreeLimits(t *testing.T) {
	items := strings.TrimSuffix(strings.Repeat("0,", 60), ",")
	raw := []byte(`{"s":"` + strings.Repeat("ب", 300) + `","list":[` + items + `],"o":{"a":1,"b":[],"c":3,"d":4}}`)
	tests := []struct {
		name                         string
		opt                          TreeOptions
		wantRunes, wantItems, wantOf int
	}{
		{"defaults", TreeOptions{}, 200, 50, 4},
		{"custom", TreeOptions{MaxString: 3, MaxItems: 3}, 3, 3, 3},
		{"unlimited", TreeOptions{MaxString: -1, MaxItems: -1}, 300, 60, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, err := Tree(raw, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(root.Children) != 3 || root.Truncated {
				t.Fatalf("root has %d children, Truncated %v", len(root.Children), root.Truncated)
			}
			s, list, o := root.Children[0], root.Children[1], root.Children[2]
			if s.Value != strings.Repeat("ب", tt.wantRunes) || s.Len != 300 || s.Truncated != (tt.wantRunes < 300) {
				t.Errorf("string: %d runes, Len %d, Truncated %v", len([]rune(s.Value)), s.Len, s.Truncated)
			}
			if len(list.Children) != tt.wantItems || list.Len != 60 || list.Truncated != (tt.wantItems < 60) {
				t.Errorf("list: %d children, Len %d, Truncated %v", len(list.Children), list.Len, list.Truncated)
			}
			if last := list.Children[len(list.Children)-1]; last.Key != "["+strconv.Itoa(tt.wantItems-1)+"]" {
				t.Errorf("last kept item is %q", last.Key)
			}
			if len(o.Children) != tt.wantOf || o.Len != 4 || o.Truncated != (tt.wantOf < 4) {
				t.Errorf("object: %d children of %d, Truncated %v", len(o.Children), o.Len, o.Truncated)
			}
			if empty := o.Children[1]; empty.Kind != "array" || empty.Len != 0 || empty.Children != nil || empty.Truncated {
				t.Errorf("empty array = %+v", empty)
			}
		})
	}
}

func TestTreeErrors(t *testing.T) {
	tests := []struct {
		name   string
		raw    string
		opt    TreeOptions
		reason Reason
	}{
		{"not JSON", `{"a":}`, TreeOptions{}, ReasonNotJSON},
		{"empty", ``, TreeOptions{}, ReasonNotJSON},
		{"too deep", strings.Repeat("[", 600) + strings.Repeat("]", 600), TreeOptions{}, ReasonTooDeep},
		{"too deep for a custom limit", `[[[1]]]`, TreeOptions{MaxDepth: 2}, ReasonTooDeep},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Tree([]byte(tt.raw), tt.opt)
			var de *DecodeError
			if !errors.As(err, &de) || de.Reason != tt.reason {
				t.Errorf("error = %v, want a %s DecodeError", err, tt.reason)
			}
		})
	}
}

func TestTreeLayla(t *testing.T) {
	root, err := Tree(readFixture(t, "layla.json"), TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, c := range root.Children[1].Children {
		keys = append(keys, c.Key)
	}
	if want := []string{"conversation", "contact", "currentAgent", "customAttributes", "theme"}; !reflect.DeepEqual(keys, want) {
		t.Errorf("data keys = %q, want the order received %q", keys, want)
	}
	msgs := root.Children[1].Children[0].Children[2]
	if msgs.Path != "data.conversation.messages" || msgs.Len != 20 || msgs.Children[19].Children[0].Path != "data.conversation.messages[19].id" {
		t.Errorf("messages node: %s Len %d", msgs.Path, msgs.Len)
	}
}
