package main

import (
	"flag"
	"fmt"
	"strings"
)

// parseSwitch reads an on/off value the way people write one. Anything else
// is an error rather than a guess: "DASHAPP_DEMO=of" must not seed.
func parseSwitch(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "on", "1", "yes":
		return true, nil
	case "false", "off", "0", "no":
		return false, nil
	}
	return false, fmt.Errorf("%q is not a switch: use true/false, on/off, yes/no or 1/0", s)
}

// switchFlag is a boolean flag that accepts the words of parseSwitch and
// remembers whether it was given, so a default can depend on other settings.
type switchFlag struct {
	on  bool
	set bool // given by the flag or the environment
}

func (f *switchFlag) String() string   { return fmt.Sprint(f.on) }
func (f *switchFlag) IsBoolFlag() bool { return true } // "-demo" alone means on
func (f *switchFlag) Set(s string) error {
	on, err := parseSwitch(s)
	if err != nil {
		return err
	}
	f.on, f.set = on, true
	return nil
}

// switchVar defines the flag name with its environment variable env. A
// value in env that is not a switch is an error naming env.
func switchVar(fs *flag.FlagSet, getenv func(string) string, name, env string, def bool, usage string) (*switchFlag, error) {
	f := &switchFlag{on: def}
	if raw := getenv(env); raw != "" {
		if err := f.Set(raw); err != nil {
			return nil, fmt.Errorf("%s: %w", env, err)
		}
	}
	fs.Var(f, name, usage+" ("+env+")")
	return f, nil
}
