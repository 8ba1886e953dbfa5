package handlers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dashapp/db"
)

// /readyz against a real database file that an operator broke: the answer
// names what is wrong.
func TestReadinessSaysWhatIsWrongWithTheDatabase(t *testing.T) {
	tests := []struct {
		name    string
		breakIt func(path string) error
		says    string
	}{
		{"missing", os.Remove, "no longer exists"},
		{"read-only", func(p string) error { return os.Chmod(p, 0o444) }, "read-only"},
		{"replaced", func(p string) error {
			if err := os.Remove(p); err != nil {
				return err
			}
			return os.WriteFile(p, []byte("not a database"), 0o644)
		}, "replaced"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "ready.db")
			store, err := db.Open(context.Background(), path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { store.Close() })
			app := newTestServer(t, func(d *Deps) { d.Ready = store })
			if resp := do(t, app, httptest.NewRequest(http.MethodGet, "/readyz", nil)); resp.status != http.StatusOK {
				t.Fatalf("healthy database: %d %s", resp.status, resp.body)
			}
			if err := tt.breakIt(path); err != nil {
				t.Fatal(err)
			}
			resp := do(t, app, httptest.NewRequest(http.MethodGet, "/readyz", nil))
			if resp.status != http.StatusServiceUnavailable || !strings.Contains(resp.body, tt.says) || !strings.Contains(resp.body, path) {
				t.Errorf("%s database: %d %s, want 503 saying %q and the path", tt.name, resp.status, resp.body, tt.says)
			}
		})
	}
}
