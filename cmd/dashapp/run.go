package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

// errUsage marks errors already explained by the flag package.
var errUsage = errors.New("usage")

// run is the whole program: main only supplies the process's context,
// arguments, environment and output, so tests can run it in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	command, rest := "serve", args[1:]
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		command, rest = rest[0], rest[1:]
	}
	var err error
	switch command {
	case "serve":
		err = serve(ctx, rest, getenv, stdout)
	case "import":
		err = importCSV(ctx, rest, getenv, stdout)
	case "seed":
		err = seed(ctx, rest, getenv, stdout)
	case "bench":
		err = bench(ctx, rest, getenv, stdout)
	case "healthcheck":
		err = healthcheck(ctx, rest, getenv, stdout)
	case "audit":
		err = audit(ctx, rest, getenv, stdout)
	case "version":
		fmt.Fprintln(stdout, "dashapp", buildVersion())
	case "help":
		fmt.Fprint(stdout, usage)
	default:
		return fmt.Errorf("unknown command %q\n\n%s", command, usage)
	}
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}

const usage = `Usage:
  dashapp [serve] [flags]     serve the app (seeds a demo database on first start)
  dashapp import [flags]      load customers, orders and payments from CSV
  dashapp seed [flags]        fill a database with generated customers, for load tests
  dashapp bench [flags]       seed a scale database and measure the server under load
  dashapp healthcheck         exit 0 when the server answers /healthz (for containers)
  dashapp audit [flags]       print what agents did from the panel, newest first
  dashapp version             print the version
Run "dashapp <command> -h" for the flags of a command.
`

func buildVersion() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "devel"
}

// newFlags makes a FlagSet whose errors come back to run instead of exiting.
func newFlags(name string, stdout io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("dashapp "+name, flag.ContinueOnError)
	fs.SetOutput(stdout)
	return fs
}

// envOr returns the environment variable's value, or def when it is unset.
func envOr(getenv func(string) string, name, def string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return def
}
