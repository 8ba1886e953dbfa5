package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"strings"
	"testing"
)

// The checksum noted in vendor/README.md: the vendored htmx must be exactly
// the pinned release.
const htmxSHA256 = "a0abb04f2f45a1f89d1d4844023245537e5e6014c87b144553e0607b4cc32130"

func TestVendoredHTMXMatchesPinnedChecksum(t *testing.T) {
	body, err := files.ReadFile(HTMX)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(body)
	if got := hex.EncodeToString(sum[:]); got != htmxSHA256 {
		t.Fatalf("%s sha256 = %s, want %s", HTMX, got, htmxSHA256)
	}
	readme, err := os.ReadFile("vendor/README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), htmxSHA256) {
		t.Errorf("vendor/README.md does not note checksum %s", htmxSHA256)
	}
}

func TestAssetsAreFingerprintedAndCompressed(t *testing.T) {
	set, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{HTMX, "js/bridge.js", "css/app.css"} {
		url := set.URL(name)
		a, ok := set.Lookup(url)
		if !ok || a.Name != name {
			t.Fatalf("Lookup(%q) = %v, %v", url, a, ok)
		}
		if !strings.Contains(url, strings.Trim(a.ETag, `"`)) {
			t.Errorf("URL %q does not carry the content hash %s", url, a.ETag)
		}
		if a.Gzip == nil {
			t.Errorf("%s was not compressed", name)
			continue
		}
		zr, err := gzip.NewReader(bytes.NewReader(a.Gzip))
		if err != nil {
			t.Fatal(err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(plain, a.Body) {
			t.Errorf("%s: gzip body does not round-trip (err %v)", name, err)
		}
	}
	if _, ok := set.Lookup("/static/js/bridge.js"); ok {
		t.Error("an unfingerprinted URL must not be served")
	}
}

// assetBudget is what a first load may transfer in scripts and styles,
// htmx included, compressed as they are served.
const assetBudget = 30 << 10

// TestAssetsFitTheBudget sums what the browser downloads for every asset:
// the gzip body where one is kept, the plain body otherwise.
func TestAssetsFitTheBudget(t *testing.T) {
	set, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for name := range set.byName {
		a, _ := set.Lookup(set.URL(name))
		size := len(a.Body)
		if a.Gzip != nil {
			size = len(a.Gzip)
		}
		t.Logf("%-28s %6d bytes served (%d plain)", name, size, len(a.Body))
		total += size
	}
	t.Logf("total %d bytes, budget %d", total, assetBudget)
	if total > assetBudget {
		t.Errorf("scripts and styles weigh %d bytes gzipped, over the %d-byte budget", total, assetBudget)
	}
}
