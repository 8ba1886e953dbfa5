package views

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

func TestNormalizeLangAndDir(t *testing.T) {
	tests := []struct{ in, lang, dir string }{
		{"ar", "ar", "rtl"},
		{"ar-SA", "ar", "rtl"},
		{"AR-ae", "ar", "rtl"},
		{"ar_KW", "ar", "rtl"},
		{" ar ", "ar", "rtl"},
		{"en", "en", "ltr"},
		{"en-GB", "en", "ltr"},
		{"fr", "en", "ltr"},
		{"arn", "en", "ltr"}, // Mapudungun, not Arabic
		{"", "en", "ltr"},
	}
	for _, tt := range tests {
		if got := NormalizeLang(tt.in); got != tt.lang {
			t.Errorf("NormalizeLang(%q) = %q, want %q", tt.in, got, tt.lang)
		}
		if got := Dir(tt.in); got != tt.dir {
			t.Errorf("Dir(%q) = %q, want %q", tt.in, got, tt.dir)
		}
	}
}

func TestT(t *testing.T) {
	tests := []struct{ lang, key, want string }{
		{"en", "orders.title", "Orders"},
		{"ar", "orders.title", "الطلبات"},
		{"ar-SA", "payments.title", "المدفوعات"},
		{"de", "orders.more", "Load more orders"}, // unknown language: English
		{"ar", "no.such.key", "no.such.key"},      // visible, not blank
	}
	for _, tt := range tests {
		if got := T(tt.lang, tt.key); got != tt.want {
			t.Errorf("T(%q, %q) = %q, want %q", tt.lang, tt.key, got, tt.want)
		}
	}
	if got, want := Tf("en", "ambiguous.phone", 3), "3 customers share this phone; none was picked."; got != want {
		t.Errorf("Tf = %q, want %q", got, want)
	}
}

// Every entry has both languages, and the Arabic is Arabic unless the
// string is a brand name written the same way in both.
func TestCatalogComplete(t *testing.T) {
	for key, m := range catalog {
		if strings.TrimSpace(m.en) == "" || strings.TrimSpace(m.ar) == "" {
			t.Errorf("%s: missing a translation: %+v", key, m)
			continue
		}
		if m.ar != m.en && !strings.ContainsFunc(m.ar, func(r rune) bool { return unicode.Is(unicode.Arabic, r) }) {
			t.Errorf("%s: Arabic %q has no Arabic letters", key, m.ar)
		}
		if en, ar := verbs.FindAllString(m.en, -1), verbs.FindAllString(m.ar, -1); !slices.Equal(en, ar) {
			t.Errorf("%s: the languages take different arguments: %q / %q", key, en, ar)
		}
	}
}

// verbs matches fmt verbs, %% included: Tf gives both languages the same
// arguments in the same order.
var verbs = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)

func TestVerbsPattern(t *testing.T) {
	if got := verbs.FindAllString("%d KB, %s; %g a second, %[1]s, 100%%, %5.2f", -1); !slices.Equal(got, []string{"%d", "%s", "%g", "%[1]s", "%%", "%5.2f"}) {
		t.Errorf("verbs found %q", got)
	}
}

// Every problem has a title and a detail, in both languages.
func TestProblemsArePairs(t *testing.T) {
	n := 0
	for key := range catalog {
		base, ok := strings.CutPrefix(key, "problem.")
		if !ok || key == "problem.title" || key == "problem.status" {
			continue
		}
		n++
		stem := "problem." + base[:strings.LastIndexByte(base, '.')]
		for _, part := range []string{".title", ".detail"} {
			if _, ok := catalog[stem+part]; !ok {
				t.Errorf("%s has no %s", key, stem+part)
			}
		}
	}
	if n < 40 {
		t.Errorf("only %d problem entries; is the prefix still right?", n)
	}
}

// Every literal key the templates and helpers pass to T or Tf exists.
func TestCatalogCoversSources(t *testing.T) {
	literal := regexp.MustCompile(`\bTf?\([\w.]+, "([^"]+)"`)
	files, err := filepath.Glob("*.templ")
	if err != nil {
		t.Fatal(err)
	}
	goFiles, _ := filepath.Glob("*.go")
	used := 0
	for _, name := range append(files, goFiles...) {
		if strings.HasSuffix(name, "_templ.go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			used++
			if _, ok := catalog[m[1]]; !ok {
				t.Errorf("%s: key %q is not in the catalog", name, m[1])
			}
		}
	}
	if used < 40 {
		t.Errorf("found only %d uses of T; is the pattern still right?", used)
	}
}
