package views

import (
	"os"
	"path/filepath"
	"regexp"
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
		if strings.Count(m.en, "%") != strings.Count(m.ar, "%") {
			t.Errorf("%s: the languages take different arguments: %q / %q", key, m.en, m.ar)
		}
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
