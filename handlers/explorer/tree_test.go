package explorer

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	"dashapp/handlers/appcontext"
	"dashapp/views"
)

// These tests render the views' tree from appcontext's, through treeView:
// the cutting happens in the mapping, the escaping in the view.

func renderHTML(t *testing.T, c templ.Component) string {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(templ.WithNonce(context.Background(), "test-nonce"), &buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	return buf.String()
}

// parse parses HTML and fails on what a strict CSP would block or what
// would let customer text run: style or on* attributes, inline scripts.
func parse(t *testing.T, s string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(s))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	doc.Find("*").Each(func(_ int, el *goquery.Selection) {
		for _, a := range el.Nodes[0].Attr {
			if name := strings.ToLower(a.Key); name == "style" || strings.HasPrefix(name, "on") {
				t.Errorf("<%s> has a %s attribute: CSP forbids inline styles and handlers", goquery.NodeName(el), a.Key)
			}
		}
	})
	if n := doc.Find("script").Length(); n != 0 {
		t.Errorf("%d inline scripts", n)
	}
	return doc
}

// hostileTree is testdata/hostile.json with a 5000-rune note and 60
// messages: script tags, attribute breakouts, an RTL override, a hostile key.
func hostileTree(t *testing.T) views.TreeNode {
	t.Helper()
	raw, err := os.ReadFile("testdata/hostile.json")
	if err != nil {
		t.Fatal(err)
	}
	items := make([]string, 60)
	for i := range items {
		items[i] = `{"id":` + strconv.Itoa(i) + `}`
	}
	doc := strings.NewReplacer("LONG", strings.Repeat("ب<i>", 1250), "ITEMS", strings.Join(items, ",")).Replace(string(raw))
	tree, err := appcontext.Tree([]byte(doc), appcontext.TreeOptions{MaxString: -1, MaxItems: -1})
	if err != nil {
		t.Fatal(err)
	}
	return treeView(tree)
}

func TestTreeRendersHostileValuesAsText(t *testing.T) {
	out := renderHTML(t, views.TreeView(views.English, hostileTree(t), 0))
	doc := parse(t, out) // no inline script, handler or style attribute anywhere
	if n := doc.Find("script, img, b, i").Length(); n != 0 {
		t.Errorf("customer text became %d elements", n)
	}
	leaf := func(path string) string {
		return doc.Find(`.tree-leaf[data-path="` + path + `"] > .tree-value`).Text()
	}
	if got := leaf("data.contact.name"); got != "<script>alert(1)</script>" {
		t.Errorf("name shown as %q", got)
	}
	if got := leaf("data.contact.email"); got != `"><img src=x onerror=alert(2)>` {
		t.Errorf("email shown as %q", got)
	}
	if got := leaf("data.contact.phone_number"); got != "⟦U+202E⟧gnp.exe" {
		t.Errorf("RTL override shown as %q, want it made visible", got)
	}
	if strings.ContainsRune(out, '\u202E') {
		t.Error("a raw RTL override reached the page")
	}
	if doc.Find(`.tree-key`).FilterFunction(func(_ int, s *goquery.Selection) bool { return s.Text() == "<b onmouseover=alert(3)>" }).Length() != 1 {
		t.Error("the hostile key is not shown as text")
	}
}

func TestTreeCutsLongStringsAndArraysBehindDetails(t *testing.T) {
	doc := parse(t, renderHTML(t, views.TreeView(views.English, hostileTree(t), 0)))
	note := doc.Find(`.tree-leaf[data-path="data.contact.note"]`)
	if got := []rune(note.Find(".tree-value").Text()); len(got) != treeStringRunes+1 { // and the ellipsis
		t.Errorf("a 5000-rune string shows %d runes before expanding", len(got))
	}
	if full := note.Find("details.tree-more pre.tree-full").Text(); full != strings.Repeat("ب<i>", 1250) {
		t.Errorf("the expanded string has %d runes, want all 5000", len([]rune(full)))
	}
	messages := doc.Find(`details.tree-node[data-path="data.conversation.messages"]`)
	if n := messages.ChildrenFiltered("ul.tree").Children().Length(); n != treeItems {
		t.Errorf("array shows %d items before expanding, want %d", n, treeItems)
	}
	more := messages.ChildrenFiltered("details.tree-more")
	if n := more.ChildrenFiltered("ul.tree").Children().Length(); n != 10 {
		t.Errorf("array's expander holds %d items, want the other 10", n)
	}
	if !strings.Contains(more.Find("summary").First().Text(), "10 more") {
		t.Errorf("expander says %q", more.Find("summary").First().Text())
	}
}
