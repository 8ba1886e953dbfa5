package appcontext

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDiff(t *testing.T) {
	tests := []struct {
		name      string
		prev, cur string
		want      []Change
	}{
		{"identical", `{"a":[1,{"b":"x"}]}`, `{ "a" : [ 1 , { "b" : "x" } ] }`, nil},
		{"scalars", `{"n":1,"s":"a","b":true,"z":null}`, `{"n":1.0,"s":"a\nb","b":false,"z":null}`, []Change{
			{"b", OpChanged, "true", "false"},
			{"n", OpChanged, "1", "1.0"},
			{"s", OpChanged, `"a"`, `"a\nb"`},
		}},
		{"same text, other escapes", `{"s":"\u0041<"}`, `{"s":"A<"}`, nil},
		{"added and removed keys", `{"keep":1,"gone":{"x":[1,2]}}`, `{"keep":1,"new":{"html":"<b>&</b>"}}`, []Change{
			{"gone", OpRemoved, `{"x":[1,2]}`, ""},
			{"new", OpAdded, "", `{"html":"<b>&</b>"}`},
		}},
		{"type changes are not descended", `{"a":{"b":1}}`, `{"a":[{"b":1}]}`, []Change{
			{"a", OpChanged, `{"b":1}`, `[{"b":1}]`},
		}},
		{"arrays index by index, indexes sorted numerically", `{"m":[0,1,2,3,4,5,6,7,8,9,10]}`, `{"m":[0,1,"two",3,4,5,6,7,8,9,"ten",11]}`, []Change{
			{"m[2]", OpChanged, "2", `"two"`},
			{"m[10]", OpChanged, "10", `"ten"`},
			{"m[11]", OpAdded, "", "11"},
		}},
		{"array shrinks", `[1,2,3]`, `[1]`, []Change{
			{"[1]", OpRemoved, "2", ""},
			{"[2]", OpRemoved, "3", ""},
		}},
		{"a key sent twice keeps its last value", `{"a":1,"a":2}`, `{"a":2}`, nil},
		{"odd keys are quoted", `{"a.b":1}`, `{"a.b":2}`, []Change{{`["a.b"]`, OpChanged, "1", "2"}}},
		{"root scalar", `1`, `"1"`, []Change{{"", OpChanged, "1", `"1"`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Diff([]byte(tt.prev), []byte(tt.cur))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Diff\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestDiffTruncatesText(t *testing.T) {
	long := strings.Repeat("ل", 500)
	got, err := Diff([]byte(`{"s":"`+long+`","o":{}}`), []byte(`{"s":"x","o":{"big":"`+long+`"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Path != "o.big" || got[1].Path != "s" {
		t.Fatalf("Diff = %q", got)
	}
	for _, text := range []string{got[0].After, got[1].Before} {
		if n := utf8.RuneCountInString(text); n != maxChangeText+1 || !strings.HasSuffix(text, "…") {
			t.Errorf("text has %d runes, want %d ending in …: %q", n, maxChangeText+1, text)
		}
	}
	if !strings.HasPrefix(got[0].After, `"لل`) || !strings.HasPrefix(got[1].Before, `"لل`) {
		t.Errorf("truncated text lost its start: %q, %q", got[0].After, got[1].Before)
	}
}

func TestDiffCapsChanges(t *testing.T) {
	prev, cur := make([]int, 250), make([]int, 250)
	for i := range cur {
		cur[i] = i + 1
	}
	a, _ := json.Marshal(prev)
	b, _ := json.Marshal(cur)
	got, err := Diff(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != MaxChanges+1 {
		t.Fatalf("%d changes, want %d", len(got), MaxChanges+1)
	}
	if got[MaxChanges-1].Path != fmt.Sprintf("[%d]", MaxChanges-1) {
		t.Errorf("last listed change is %q", got[MaxChanges-1].Path)
	}
	if last := got[MaxChanges]; last.Op != OpMore || last.After != "50 more changes not shown" {
		t.Errorf("last entry = %+v", last)
	}
}

func TestDiffErrors(t *testing.T) {
	if _, err := Diff([]byte(`{`), []byte(`{}`)); err == nil || !strings.Contains(err.Error(), "previous message") {
		t.Errorf("invalid previous: %v", err)
	}
	if _, err := Diff([]byte(`{}`), []byte(`nope`)); err == nil || !strings.Contains(err.Error(), "current message: the message is not JSON") {
		t.Errorf("invalid current: %v", err)
	}
}

// The explorer's common case: the host re-sent the context after a reply.
func TestDiffLaylaResent(t *testing.T) {
	prev := readFixture(t, "layla.json")
	var msg map[string]any
	if err := json.Unmarshal(prev, &msg); err != nil {
		t.Fatal(err)
	}
	conv := msg["data"].(map[string]any)["conversation"].(map[string]any)
	conv["status"] = "resolved"
	conv["messages"] = append(conv["messages"].([]any), map[string]any{"id": 5021, "content": "Delivered, thanks!"})
	cur, err := json.Marshal(msg)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Diff(prev, cur)
	if err != nil {
		t.Fatal(err)
	}
	want := []Change{
		{"data.conversation.messages[20]", OpAdded, "", `{"content":"Delivered, thanks!","id":5021}`},
		{"data.conversation.status", OpChanged, `"open"`, `"resolved"`},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Diff\n got %q\nwant %q", got, want)
	}
}
