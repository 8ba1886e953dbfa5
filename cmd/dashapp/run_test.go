package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func runCLI(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"dashapp"}, args...), func(k string) string { return env[k] }, &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestVersionAndUsage(t *testing.T) {
	out, err := runCLI(t, nil, "version")
	if err != nil || !strings.HasPrefix(out, "dashapp ") {
		t.Errorf("version: %q, %v", out, err)
	}
	if _, err := runCLI(t, nil, "frobnicate"); err == nil || !strings.Contains(err.Error(), `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %v", err)
	}
	if _, err := runCLI(t, nil, "-addr"); err == nil {
		t.Error("a flag without its value was accepted")
	}
	if out, err := runCLI(t, nil, "import", "-h"); err != nil || !strings.Contains(out, "-customers") {
		t.Errorf("import -h: %q, %v", out, err)
	}
}

func TestServeRejectsBadConfiguration(t *testing.T) {
	tests := []struct {
		env  map[string]string
		args []string
		says string
	}{
		{map[string]string{"DASHAPP_ALLOWED_ORIGINS": "chat.bevatel.com"}, nil, "scheme://host"},
		{map[string]string{"DASHAPP_ALLOWED_ORIGINS": "https://chat.bevatel.com/app"}, nil, "scheme://host"},
		{nil, []string{"-host", "Bevatel Dashboard"}, "host prefix"},
		{nil, []string{"stray-argument"}, `unexpected argument "stray-argument"`},
	}
	for _, tt := range tests {
		_, err := runCLI(t, tt.env, append([]string{"serve", "-db", filepath.Join(t.TempDir(), "x.db")}, tt.args...)...)
		if err == nil || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("env %v args %v: error %v, want it to say %q", tt.env, tt.args, err, tt.says)
		}
	}
}

func TestParseOriginsNormalises(t *testing.T) {
	got, err := parseOrigins(" https://Chat.Bevatel.com , http://localhost:3000/,")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"https://chat.bevatel.com", "http://localhost:3000"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("parseOrigins = %v, want %v", got, want)
	}
}

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportCommand(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "shop.db")
	customers := writeFile(t, dir, "customers.csv", "name,customer_ref,email,phone,identifier,contact_id\nSara,C-9,sara@example.com,+971 50 123 4567,,77\n")
	orders := writeFile(t, dir, "orders.csv", "order_number,customer_ref,status,currency,total,placed_at\nO-1,C-9,paid,KWD,12.345,2026-11-01T09:00:00Z\n")
	out, err := runCLI(t, nil, "import", "-db", dbPath, "-customers", customers, "-orders", orders)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if !strings.Contains(out, "imported 1 customers, 1 orders, 0 payments") {
		t.Errorf("import printed %q", out)
	}

	bad := writeFile(t, dir, "bad.csv", "order_number,customer_ref,status,currency,total,placed_at\nO-2,C-9,paid,SAR,12.345,2026-11-01T09:00:00Z\n")
	_, err = runCLI(t, nil, "import", "-db", dbPath, "-orders", bad)
	if err == nil {
		t.Fatal("an amount with too many decimals was imported")
	}
	for _, want := range []string{"bad.csv", "line 2", `"total"`, "nothing was imported"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("import error %q does not say %q", err, want)
		}
	}
	if _, err := runCLI(t, nil, "import", "-db", dbPath); err == nil {
		t.Error("import without files succeeded")
	}
	if _, err := runCLI(t, nil, "import", "-db", dbPath, "-orders", filepath.Join(dir, "missing.csv")); err == nil {
		t.Error("import of a missing file succeeded")
	}
}

// The whole server through run: it serves, answers health checks, and shuts
// down cleanly when its context ends (startApp's cleanup checks that).
func TestServeAnswersHealthAndReadiness(t *testing.T) {
	base := startApp(t)
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz: %d", resp.StatusCode)
	}
	waitReady(t, base) // ready once the start-up quick_check has passed
	if out, err := runCLI(t, map[string]string{"DASHAPP_ADDR": strings.TrimPrefix(base, "http://")}, "healthcheck"); err != nil || !strings.Contains(out, "ok") {
		t.Errorf("healthcheck: %q, %v", out, err)
	}
}

// A log collector reads stderr: every line there is one JSON record, and the
// banner (the URLs to paste) is on stdout, where no JSON record lands.
func TestLogsOnStderrBannerOnStdout(t *testing.T) {
	base, stdout, stderr := startAppWithOutput(t)
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	banner := stdout()
	if !strings.Contains(banner, "listening on "+base) || !strings.Contains(banner, "Paste this URL") {
		t.Errorf("stdout has no banner:\n%s", banner)
	}
	if strings.Contains(banner, `"level"`) {
		t.Errorf("a log record went to stdout:\n%s", banner)
	}
	logs := strings.Split(strings.TrimSpace(stderr()), "\n")
	if len(logs) < 2 {
		t.Fatalf("stderr holds %d log lines, want the development warning and the access log:\n%s", len(logs), stderr())
	}
	for _, line := range logs {
		var record map[string]any
		if err := json.Unmarshal([]byte(line), &record); err != nil || record["level"] == nil {
			t.Errorf("stderr line is not a JSON log record: %q (%v)", line, err)
		}
	}
}

// A second import started while another holds the write lock waits for
// it, saying so, and then imports.
func TestImportWaitsForAnotherImport(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "shop.db")
	customers := writeFile(t, dir, "customers.csv", "customer_ref,name\nC-1,Sara\n")
	if _, err := runCLI(t, nil, "import", "-db", dbPath, "-customers", customers); err != nil {
		t.Fatal(err)
	}
	other, err := sql.Open("sqlite", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	var out lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(context.Background(), []string{"dashapp", "import", "-db", dbPath, "-customers", customers}, func(string) string { return "" }, &out, &out)
	}()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(out.String(), "another import holds the database; waiting") {
		if time.Now().After(deadline) {
			t.Fatalf("the second import did not say it waits: %q", out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("the second import failed once the lock was released: %v", err)
	}
	if !strings.Contains(out.String(), "imported 1 customers") {
		t.Errorf("second import printed %q", out.String())
	}
}
