// Command dashapp is the reference Bevatel dashboard app.
package main

import (
	"context"
	"os"

	"dashapp/cmd/internal/cli"
)

func main() {
	cli.Main("dashapp", func(ctx context.Context) error {
		return run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr)
	})
}
