// Command dashapp-bench is dashapp's load harness, kept out of the
// production binary: "seed" fills a database with generated customers, and
// "load" (the default) starts a dashapp server on it as a child process and
// measures it under load. See BENCHMARKS.md.
package main

import (
	"context"
	"flag"
	"io"
	"os"

	"dashapp/cmd/internal/cli"
)

func main() {
	cli.Main("dashapp-bench", func(ctx context.Context) error {
		return run(ctx, os.Args, os.Stdout, os.Stderr)
	})
}

// run is the whole program, as in cmd/dashapp: results on stdout, the
// server's own log (when kept) on stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return cli.Dispatch(args, "load", usage, stdout, map[string]cli.Command{
		"load":     func(rest []string) error { return bench(ctx, rest, stdout, stderr) },
		"seed":     func(rest []string) error { return seed(ctx, rest, stdout) },
		"memory":   func(rest []string) error { return benchMemory(ctx, rest, stdout, stderr) },
		"webhooks": func(rest []string) error { return benchWebhooks(ctx, rest, stdout, stderr) },
	})
}

const usage = `Usage:
  dashapp-bench [load] [flags]   seed a scale database (when empty), start dashapp on it, measure it under load
  dashapp-bench seed [flags]     fill a database with generated customers, for load tests
  dashapp-bench memory [flags]   post large messages from new explorer sessions and report the server's peak memory (VmHWM)
  dashapp-bench webhooks [flags] live shop data: /ingest batches, signed Shopify orders/updated with POST /context beside them, and POST /context for customers with and without items and shipments
Run "dashapp-bench <command> -h" for the flags of a command.
`

// newFlags makes the FlagSet of a dashapp-bench command.
func newFlags(name string, stdout io.Writer) *flag.FlagSet {
	return cli.NewFlags("dashapp-bench "+name, stdout)
}
