// Package static embeds the files the app serves and gives each a
// fingerprinted URL, so they can be cached forever and still change on deploy.
package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"
)

//go:embed css js vendor/*.js
var files embed.FS

// Prefix is the URL path under which assets are served.
const Prefix = "/static/"

// HTMX is the logical name of the vendored htmx build (see vendor/README.md).
const HTMX = "vendor/htmx-4.0.1.min.js"

// Asset is one embedded file, ready to serve.
type Asset struct {
	Name        string // logical name, e.g. "js/bridge.js"
	URL         string // fingerprinted, e.g. "/static/js/bridge.3f2a1b9c0d.js"
	ContentType string
	Body        []byte
	Gzip        []byte // nil when compression does not pay
	ETag        string
}

// Set is every embedded asset, by logical name and by URL.
type Set struct {
	byName map[string]*Asset
	byURL  map[string]*Asset
}

// Load hashes and compresses every embedded file once, at start-up, so that
// serving an asset is a map lookup.
func Load() (*Set, error) {
	set := &Set{byName: map[string]*Asset{}, byURL: map[string]*Asset{}}
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := files.ReadFile(name)
		if err != nil {
			return fmt.Errorf("read asset %s: %w", name, err)
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])[:10]
		ext := path.Ext(name)
		base := strings.TrimSuffix(name, ext)
		if strings.HasSuffix(base, ".min") { // keep ".min" last: htmx-4.0.1.<hash>.min.js
			base = strings.TrimSuffix(base, ".min")
			ext = ".min" + ext
		}
		a := &Asset{
			Name:        name,
			URL:         Prefix + base + "." + hash + ext,
			ContentType: mime.TypeByExtension(path.Ext(name)),
			Body:        body,
			ETag:        `"` + hash + `"`,
		}
		if a.Gzip, err = gzipped(body); err != nil {
			return fmt.Errorf("compress asset %s: %w", name, err)
		}
		set.byName[name] = a
		set.byURL[a.URL] = a
		return nil
	})
	if err != nil {
		return nil, err
	}
	return set, nil
}

// URL returns the fingerprinted URL of a logical name. It panics on an
// unknown name: that is a programming error caught by any test that renders
// a page.
func (s *Set) URL(name string) string {
	a, ok := s.byName[name]
	if !ok {
		panic("static: no asset named " + name)
	}
	return a.URL
}

// Lookup finds the asset served at a URL path.
func (s *Set) Lookup(urlPath string) (*Asset, bool) {
	a, ok := s.byURL[urlPath]
	return a, ok
}

func gzipped(body []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(body); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	if buf.Len() >= len(body) {
		return nil, nil
	}
	return buf.Bytes(), nil
}
