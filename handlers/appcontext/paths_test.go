package appcontext

import (
	"slices"
	"testing"
)

func TestJoinKey(t *testing.T) {
	tests := []struct{ path, key, want string }{
		{"", "data", "data"},
		{"data", "currentAgent", "data.currentAgent"},
		{"data.contact", "plan.tier", `data.contact["plan.tier"]`},
		{"x", "", `x[""]`},
		{"x", `a"b`, `x["a\"b"]`},
		{"x", "حقل", `x["حقل"]`},
		{"", "a b", `["a b"]`},
	}
	for _, tt := range tests {
		if got := joinKey(tt.path, tt.key); got != tt.want {
			t.Errorf("joinKey(%q, %q) = %q, want %q", tt.path, tt.key, got, tt.want)
		}
	}
	if got := joinIndex("m", 12); got != "m[12]" {
		t.Errorf("joinIndex = %q", got)
	}
}

func TestComparePaths(t *testing.T) {
	want := []string{
		"a",
		"a.b",
		"a.b[2]",
		"a.b[2].x",
		"a.b[10]",
		"a.b[010x]", // leading zeros compare as the number
		"a.b[]",
		"a.bc",
		"b9",
		"b10",
	}
	got := slices.Clone(want)
	slices.Reverse(got)
	slices.SortFunc(got, comparePaths)
	if !slices.Equal(got, want) {
		t.Errorf("sorted = %q, want %q", got, want)
	}
	if comparePaths("a[1]", "a[1]") != 0 || comparePaths("a[01]", "a[1]") != 0 {
		t.Errorf("equal paths do not compare equal")
	}
}
