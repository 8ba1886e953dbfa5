// Command dashapp-bench is dashapp's load harness, kept out of the
// production binary: "seed" fills a database with generated customers, and
// "load" (the default) starts a dashapp server on it as a child process and
// measures it under load. See BENCHMARKS.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "dashapp-bench:", err)
		os.Exit(1)
	}
}

// run is the whole program, as in cmd/dashapp: results on stdout, the
// server's own log (when kept) on stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	command, rest := "load", args[1:]
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		command, rest = rest[0], rest[1:]
	}
	var err error
	switch command {
	case "load":
		err = bench(ctx, rest, stdout, stderr)
	case "seed":
		err = seed(ctx, rest, stdout)
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
  dashapp-bench [load] [flags]   seed a scale database (when empty), start dashapp on it, measure it under load
  dashapp-bench seed [flags]     fill a database with generated customers, for load tests
Run "dashapp-bench <command> -h" for the flags of a command.
`

// newFlags makes a FlagSet whose errors come back to run instead of exiting.
func newFlags(name string, stdout io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("dashapp-bench "+name, flag.ContinueOnError)
	fs.SetOutput(stdout)
	return fs
}
