package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"dashapp/db"
)

// postContact posts contact 1's context and returns the panel's HTML.
func postContact(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.Post(base+"/context", "text/plain", strings.NewReader(readFixture(t, "layla.json")))
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(t, resp)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /context: %d %s", resp.StatusCode, body)
	}
	return body
}

func readyz(t *testing.T, base string) (int, map[string]string) {
	t.Helper()
	resp, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

// Moving a new database into place loads it: the server notices, and the
// panel shows the new file's customer. A file that is no dashapp database
// is refused: the old one still serves and /readyz says why.
func TestServeFollowsAReplacedDatabaseFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "dashapp.db")
	base, logged := startAppWithLog(t, "-db", path)
	if panel := postContact(t, base); !strings.Contains(panel, "C-1001") {
		t.Fatalf("before: the panel does not show the demo's Layla")
	}

	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("x", 8192)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(garbage, path); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	status, body := readyz(t, base)
	for body["warning"] == "" && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		status, body = readyz(t, base)
	}
	if status != http.StatusOK || !strings.Contains(body["warning"], "not a SQLite database") {
		t.Errorf("readyz after a garbage file replaced the database: %d %v", status, body)
	}
	if panel := postContact(t, base); !strings.Contains(panel, "C-1001") {
		t.Errorf("after a garbage file: the old database no longer serves")
	}
	if !strings.Contains(logged(), "replacement database refused") {
		t.Errorf("the refusal was not logged")
	}

	next := filepath.Join(dir, "next.db")
	store, err := db.Open(context.Background(), next)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(context.Background(), store, db.ImportSources{Customers: db.NamedReader{Name: "c.csv",
		R: strings.NewReader("customer_ref,name,contact_id\nN-1,Noura Replacement,1\n")}}); err != nil {
		t.Fatal(err)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(next, path); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(5 * time.Second)
	panel := postContact(t, base)
	for !strings.Contains(panel, "Noura Replacement") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		panel = postContact(t, base)
	}
	if !strings.Contains(panel, "Noura Replacement") || strings.Contains(panel, "C-1001") {
		t.Errorf("after the replacement: the panel does not show only the new file's customer")
	}
	if status, body := readyz(t, base); status != http.StatusOK || body["warning"] != "" {
		t.Errorf("readyz after a good replacement: %d %v", status, body)
	}
}

// corruptDemo is a demo database with 16 KiB overwritten in its middle.
func corruptDemo(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "dashapp.db")
	store, err := db.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Seed(context.Background(), store, db.SeedOptions{Customers: 300, RandSeed: 1}); err != nil {
		t.Fatal(err)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	info, _ := f.Stat()
	if _, err := f.WriteAt([]byte(strings.Repeat("\xde\xad\xbe\xef", 4096)), info.Size()/2); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestServeOnACorruptFileIsNotReady(t *testing.T) {
	base := startApp(t, "-db", corruptDemo(t))
	deadline := time.Now().Add(10 * time.Second)
	status, body := readyz(t, base)
	for strings.Contains(body["error"], "checking") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		status, body = readyz(t, base)
	}
	if status != http.StatusServiceUnavailable || !strings.Contains(body["error"], "corrupt") {
		t.Errorf("readyz on a corrupt file: %d %v, want 503 saying corrupt", status, body)
	}
}

func TestImportRefusesACorruptDatabase(t *testing.T) {
	path := corruptDemo(t)
	customers := writeFile(t, t.TempDir(), "customers.csv", "customer_ref,name\nC-1,Sara\n")
	_, err := runCLI(t, nil, "import", "-db", path, "-customers", customers)
	if err == nil || !strings.Contains(err.Error(), "corrupt") || !strings.Contains(err.Error(), "nothing was imported") {
		t.Errorf("import into a corrupt file: %v, want a refusal saying corrupt", err)
	}
}
