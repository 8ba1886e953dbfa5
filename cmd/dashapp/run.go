package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime/debug"

	"dashapp/cmd/internal/cli"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

// run is the whole program: main only supplies the process's context,
// arguments, environment and output, so tests can run it in-process.
// Messages for a person (the banner, command results) go to stdout; the
// server's slog JSON log goes to stderr, so a log collector reads only JSON.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return cli.Dispatch(args, "serve", usage, stdout, map[string]cli.Command{
		"serve":       func(rest []string) error { return serve(ctx, rest, getenv, stdout, stderr) },
		"import":      func(rest []string) error { return importCSV(ctx, rest, getenv, stdout) },
		"status":      func(rest []string) error { return status(ctx, rest, getenv, stdout) },
		"audit":       func(rest []string) error { return audit(ctx, rest, getenv, stdout) },
		"healthcheck": func(rest []string) error { return healthcheck(ctx, rest, getenv, stdout) },
		"version": func([]string) error {
			_, err := fmt.Fprintln(stdout, "dashapp", buildVersion())
			return err
		},
	})
}

const usage = `Usage:
  dashapp [serve] [flags]     serve the app (seeds a demo database on first start)
  dashapp import [flags]      load customers, orders, payments, items and shipments from CSV
  dashapp status [flags]      print each shop source's last deliveries and counts
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

// newFlags makes the FlagSet of a dashapp command.
func newFlags(name string, stdout io.Writer) *flag.FlagSet {
	return cli.NewFlags("dashapp "+name, stdout)
}

// envOr returns the environment variable's value, or def when it is unset.
func envOr(getenv func(string) string, name, def string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return def
}
