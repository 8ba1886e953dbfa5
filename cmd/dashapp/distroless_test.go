package main

import (
	"bufio"
	"dashapp/cmd/internal/cli"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The image runs the CGO_ENABLED=0 binary on distroless/static as uid
// 65532, with nothing but the binary, /data, /tmp and CA certificates.
// Without Docker, this runs the same binary the same way, in an empty root
// (chroot): it must serve, pass its own healthcheck, and stop cleanly on
// SIGTERM. It needs root (CI runs as root); elsewhere it skips, in CI it
// fails.
func TestBinaryRunsAsDistrolessWould(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	chroot, err := exec.LookPath("chroot")
	if os.Geteuid() != 0 || err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI must run this test as root with chroot (euid %d, %v)", os.Geteuid(), err)
		}
		t.Skip("needs root and chroot to make an empty root; CI runs it")
	}
	root := t.TempDir()
	if err := os.Chmod(root, 0o755); err != nil {
		t.Fatal(err)
	}
	build := exec.Command("go", "build", "-trimpath", "-o", filepath.Join(root, "dashapp"), ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("CGO_ENABLED=0 go build: %v\n%s", err, out)
	}
	for dir, mode := range map[string]os.FileMode{"data": 0o755, "tmp": 0o1777, "etc/ssl/certs": 0o755} {
		if err := os.MkdirAll(filepath.Join(root, dir), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(filepath.Join(root, dir), mode); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chown(filepath.Join(root, "data"), 65532, 65532); err != nil {
		t.Fatal(err)
	}
	if certs, err := os.ReadFile("/etc/ssl/certs/ca-certificates.crt"); err == nil {
		if err := os.WriteFile(filepath.Join(root, "etc/ssl/certs/ca-certificates.crt"), certs, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// The image's environment (Dockerfile ENV) and the README's docker run.
	env := []string{"DASHAPP_DB=/data/dashapp.db", "DASHAPP_ALLOWED_ORIGINS=https://chat.bevatel.com",
		"DASHAPP_KEY=" + strings.Repeat("k", 48), "DASHAPP_DEMO=off", "DASHAPP_DRAIN=500ms"}
	server := exec.Command(chroot, "--userspec=65532:65532", root, "/dashapp", "serve", "-addr", "127.0.0.1:0")
	server.Env = env
	out, err := server.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var logged lockedBuffer
	server.Stderr = &logged
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- server.Wait() }()
	t.Cleanup(func() {
		server.Process.Kill()
	})
	lines := bufio.NewReader(io.TeeReader(out, &logged))
	base, err := cli.WaitListening(lines)
	if err != nil {
		t.Fatalf("the binary did not start in the empty root: %v\n%s", err, logged.String())
	}
	go io.Copy(&logged, lines)

	deadline := time.Now().Add(10 * time.Second)
	var status int
	for time.Now().Before(deadline) {
		if resp, err := http.Get(base + "/readyz"); err == nil {
			status = resp.StatusCode
			resp.Body.Close()
			if status == http.StatusOK {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if status != http.StatusOK {
		t.Fatalf("readyz in the empty root: %d\n%s", status, logged.String())
	}
	if resp, err := http.Get(base + "/"); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET / without the key: %v %v, want 401", resp, err)
	}

	check := exec.Command(chroot, "--userspec=65532:65532", root, "/dashapp", "healthcheck", "-addr", strings.TrimPrefix(base, "http://"))
	check.Env = env
	if out, err := check.CombinedOutput(); err != nil || !strings.Contains(string(out), "ok") {
		t.Errorf("healthcheck in the empty root: %v\n%s", err, out)
	}

	if err := server.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("the server exited with %v after SIGTERM\n%s", err, logged.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("the server did not stop within 15 s of SIGTERM\n%s", logged.String())
	}
	if !strings.Contains(logged.String(), `"msg":"stopped"`) || strings.Contains(logged.String(), `"level":"ERROR"`) {
		t.Errorf("no clean stop:\n%s", logged.String())
	}
	info, err := os.Stat(filepath.Join(root, "data", "dashapp.db"))
	if err != nil {
		t.Fatalf("no database in /data: %v", err)
	}
	if st, ok := info.Sys().(*syscall.Stat_t); !ok || st.Uid != 65532 {
		t.Errorf("the database is not owned by uid 65532: %+v", info.Sys())
	}
	if _, err := os.Stat(filepath.Join(root, "data", "dashapp.db-wal")); err == nil {
		t.Error("the WAL is still there after a clean stop: the checkpoint did not finish")
	}
	entries, _ := os.ReadDir(root)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "dashapp data etc tmp" {
		t.Errorf("the root holds %v: the server wrote outside /data and /tmp", names)
	}
}
