package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func runBench(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"dashapp-bench"}, args...), &out, &errOut)
	return out.String() + errOut.String(), err
}

func TestSeedCommand(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "load.db")
	out, err := runBench(t, "seed", "-db", dbPath, "-customers", "20")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "seeded 20 customers") {
		t.Errorf("seed printed %q", out)
	}
	if _, err := runBench(t, "seed", "-db", dbPath, "-customers", "0"); err == nil {
		t.Error("seed of 0 customers succeeded")
	}
}

func TestUnknownCommand(t *testing.T) {
	if _, err := runBench(t, "frobnicate"); err == nil || !strings.Contains(err.Error(), `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %v", err)
	}
}
