package main

import (
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
)

func TestSwitchesAcceptEveryWayOfSayingOnAndOff(t *testing.T) {
	for _, word := range []string{"true", "TRUE", "on", "On", "1", "yes", "YES"} {
		for _, env := range []string{"DASHAPP_DEMO", "DASHAPP_EXPLORER", "DASHAPP_SIMULATOR", "DASHAPP_VERIFY_FAIL_OPEN"} {
			cfg, err := parseServeConfig(nil, func(k string) string { return map[string]string{env: word}[k] }, io.Discard)
			if err != nil {
				t.Fatalf("%s=%s: %v", env, word, err)
			}
			if got := map[string]bool{"DASHAPP_DEMO": cfg.demo, "DASHAPP_EXPLORER": cfg.explorer, "DASHAPP_SIMULATOR": cfg.simulator, "DASHAPP_VERIFY_FAIL_OPEN": cfg.verifyFailOpen}[env]; !got {
				t.Errorf("%s=%s is off", env, word)
			}
		}
	}
	for _, word := range []string{"false", "False", "off", "OFF", "0", "no", "No"} {
		for _, env := range []string{"DASHAPP_DEMO", "DASHAPP_EXPLORER", "DASHAPP_SIMULATOR", "DASHAPP_VERIFY_FAIL_OPEN"} {
			cfg, err := parseServeConfig(nil, func(k string) string { return map[string]string{env: word}[k] }, io.Discard)
			if err != nil {
				t.Fatalf("%s=%s: %v", env, word, err)
			}
			if got := map[string]bool{"DASHAPP_DEMO": cfg.demo, "DASHAPP_EXPLORER": cfg.explorer, "DASHAPP_SIMULATOR": cfg.simulator, "DASHAPP_VERIFY_FAIL_OPEN": cfg.verifyFailOpen}[env]; got {
				t.Errorf("%s=%s is on", env, word)
			}
		}
	}
	cfg, err := parseServeConfig([]string{"-explorer=off", "-demo=no"}, func(string) string { return "" }, io.Discard)
	if err != nil || cfg.explorer || cfg.demo {
		t.Errorf("-explorer=off -demo=no: explorer %v demo %v, %v", cfg.explorer, cfg.demo, err)
	}
}

func TestSwitchThatIsNotOneStopsTheStart(t *testing.T) {
	for _, env := range []string{"DASHAPP_DEMO", "DASHAPP_EXPLORER", "DASHAPP_SIMULATOR", "DASHAPP_VERIFY_FAIL_OPEN"} {
		_, err := parseServeConfig(nil, func(k string) string { return map[string]string{env: "maybe"}[k] }, io.Discard)
		if err == nil || !strings.Contains(err.Error(), env) || !strings.Contains(err.Error(), `"maybe"`) {
			t.Errorf("%s=maybe: error %v, want one naming the variable and the value", env, err)
		}
	}
	if _, err := parseServeConfig([]string{"-demo=sure"}, func(string) string { return "" }, io.Discard); err == nil {
		t.Error("-demo=sure was accepted")
	}
}

func TestDemoIsOffByDefaultWithAKey(t *testing.T) {
	key := strings.Repeat("k", 24)
	cfg, err := parseServeConfig(nil, func(k string) string { return map[string]string{"DASHAPP_KEY": key}[k] }, io.Discard)
	if err != nil || cfg.demo {
		t.Errorf("with a key: demo %v, %v; want off", cfg.demo, err)
	}
	cfg, err = parseServeConfig(nil, func(k string) string { return map[string]string{"DASHAPP_KEY": key, "DASHAPP_DEMO": "on"}[k] }, io.Discard)
	if err != nil || !cfg.demo {
		t.Errorf("with a key and DASHAPP_DEMO=on: demo %v, %v; want on", cfg.demo, err)
	}
	cfg, err = parseServeConfig(nil, func(string) string { return "" }, io.Discard)
	if err != nil || !cfg.demo {
		t.Errorf("development: demo %v, %v; want on", cfg.demo, err)
	}
}

func TestDemoSeedingLogsAWarning(t *testing.T) {
	_, logged := startAppWithLog(t)
	if !strings.Contains(logged(), `"level":"WARN","msg":"seeding demo data`) {
		t.Errorf("seeding the demo data logged no warning:\n%s", logged())
	}
	_, logged = startAppWithLog(t, "-demo=off")
	if strings.Contains(logged(), "seeding demo data") {
		t.Errorf("-demo=off seeded:\n%s", logged())
	}
}

// The README's docker run example is what people paste into production:
// with its environment, nothing is seeded.
func TestReadmeDockerRunDoesNotSeed(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, example, ok := strings.Cut(string(readme), "docker run ")
	if !ok {
		t.Fatal("README has no docker run example")
	}
	example, _, _ = strings.Cut(example, "```")
	env := map[string]string{}
	for _, m := range regexp.MustCompile(`-e (\w+)=("[^"]*"|\S+)`).FindAllStringSubmatch(example, -1) {
		v := strings.Trim(m[2], `"`)
		if strings.HasPrefix(v, "$(") {
			v = strings.Repeat("k", 48) // the example generates a key
		}
		env[m[1]] = v
	}
	cfg, err := parseServeConfig(nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatalf("the README's docker run environment %v: %v", env, err)
	}
	if cfg.demo {
		t.Errorf("the README's docker run example (%v) seeds demo data", env)
	}
}

func TestBadDefaultRegionStopsTheStart(t *testing.T) {
	_, err := parseServeConfig(nil, func(k string) string { return map[string]string{"DASHAPP_DEFAULT_REGION": "Saudi"}[k] }, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "DASHAPP_DEFAULT_REGION") {
		t.Errorf("DASHAPP_DEFAULT_REGION=Saudi: %v, want an error naming it", err)
	}
}
