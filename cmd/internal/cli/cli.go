// Package cli is what dashapp's commands share: the process wrapper that
// main is, splitting "command [flags]", flag sets that return their errors,
// and reading the server's banner for the URL it listens on.
package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"syscall"
)

// Main runs run with a context that ends on SIGINT or SIGTERM, and exits 1
// with name's error message when it fails.
func Main(name string, run func(ctx context.Context) error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, name+":", err)
		os.Exit(1)
	}
}

// Command runs one command with the arguments after its name.
type Command func(args []string) error

// Dispatch reads "program [command] [flags]" and runs the command, def when
// the arguments start with a flag. "help" prints usage; -h, which the flag
// package answered, is success.
func Dispatch(args []string, def, usage string, stdout io.Writer, commands map[string]Command) error {
	name, rest := def, args[1:]
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		name, rest = rest[0], rest[1:]
	}
	if name == "help" {
		_, err := fmt.Fprint(stdout, usage)
		return err
	}
	command, ok := commands[name]
	if !ok {
		return fmt.Errorf("unknown command %q\n\n%s", name, usage)
	}
	if err := command(rest); !errors.Is(err, flag.ErrHelp) {
		return err
	}
	return nil
}

// NewFlags makes a FlagSet whose errors come back to the caller instead of
// exiting, and whose help goes to stdout.
func NewFlags(name string, stdout io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stdout)
	return fs
}

var listeningLine = regexp.MustCompile(`listening on (http://\S+)`)

// WaitListening reads a dashapp server's banner up to the line that says
// where it listens, and returns that base URL.
func WaitListening(r io.Reader) (string, error) {
	lines := bufio.NewScanner(r)
	for lines.Scan() {
		if m := listeningLine.FindStringSubmatch(lines.Text()); m != nil {
			return m[1], nil
		}
	}
	return "", fmt.Errorf("server exited before it listened (read error: %v)", lines.Err())
}
