package main

import (
	"dashapp/cmd/internal/cli"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMain lets a test start this test binary as the real program: with
// DASHAPP_TEST_MAIN=1 it runs main, signals and exit code included.
func TestMain(m *testing.M) {
	if os.Getenv("DASHAPP_TEST_MAIN") == "1" {
		os.Args = append([]string{"dashapp"}, strings.Fields(os.Getenv("DASHAPP_TEST_ARGS"))...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// process is dashapp running as a process of its own.
type process struct {
	cmd  *exec.Cmd
	base string
	out  *lockedBuffer // stdout and stderr
	done chan error
}

// startProcess runs dashapp serve in a process of its own on a free port,
// with the given extra environment, and waits until it listens.
func startProcess(t *testing.T, dbPath string, env []string, args ...string) *process {
	t.Helper()
	if dbPath == "" {
		dbPath = filepath.Join(t.TempDir(), "dashapp.db")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "DASHAPP_TEST_MAIN=1",
		"DASHAPP_TEST_ARGS="+strings.Join(append([]string{"serve", "-addr", "127.0.0.1:0", "-db", dbPath}, args...), " "))
	cmd.Env = append(cmd.Env, env...)
	pr, pw := io.Pipe()
	p := &process{cmd: cmd, out: &lockedBuffer{}, done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- cmd.Wait(); pw.Close() }()
	base, err := cli.WaitListening(io.TeeReader(pr, p.out))
	if err != nil {
		cmd.Process.Kill()
		t.Fatalf("dashapp did not start: %v\n%s", err, p.out.String())
	}
	go io.Copy(p.out, pr)
	p.base = base
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-p.done
	})
	return p
}

// wait is the process's exit, or a test failure after timeout.
func (p *process) wait(t *testing.T, timeout time.Duration) error {
	t.Helper()
	select {
	case err := <-p.done:
		p.done <- err // for the cleanup
		return err
	case <-time.After(timeout):
		t.Fatalf("dashapp did not exit within %s\n%s", timeout, p.out.String())
		return nil
	}
}
