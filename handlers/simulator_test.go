package handlers

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/gofiber/fiber/v2"

	"dashapp/handlers/appcontext"
	"dashapp/handlers/ratelimit"
)

// simulatorGet GETs target as a browser that opened the simulator on host.
func simulatorGet(t *testing.T, app *fiber.App, host, target string) response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.Host = host
	return do(t, app, req)
}

// simulatorConfig reads the config the page hands simulator.js.
func simulatorConfig(t *testing.T, body string) map[string]string {
	t.Helper()
	var cfg map[string]string
	raw := parse(t, body).Find("#simulator-config").Text()
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
		t.Fatalf("simulator config %q: %v", raw, err)
	}
	return cfg
}

func TestSimulatorFramesTheOtherLoopbackName(t *testing.T) {
	app := newTestServer(t)
	for _, tc := range []struct{ host, app string }{
		{"localhost:8080", "http://127.0.0.1:8080"},
		{"127.0.0.1:8080", "http://localhost:8080"},
	} {
		resp := simulatorGet(t, app, tc.host, "/simulator")
		if resp.status != 200 {
			t.Fatalf("GET %s/simulator = %d: %.200s", tc.host, resp.status, resp.body)
		}
		if got := simulatorConfig(t, resp.body)["appURL"]; got != tc.app+"/" {
			t.Errorf("on %s the simulator frames %q, want %q", tc.host, got, tc.app+"/")
		}
		csp := resp.header.Get("Content-Security-Policy")
		for _, want := range []string{"frame-src " + tc.app + " 'self';", "frame-ancestors 'none'", "default-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("on %s the CSP lacks %q: %s", tc.host, want, csp)
			}
		}
		nonce := regexp.MustCompile(`script-src 'nonce-([^']+)'`).FindStringSubmatch(csp)
		if nonce == nil {
			t.Fatalf("CSP has no script nonce: %s", csp)
		}
		scripts := parse(t, resp.body).Find("script[src]")
		if scripts.Length() == 0 || scripts.AttrOr("nonce", "") != nonce[1] {
			t.Errorf("the simulator's script does not carry the CSP nonce %q", nonce[1])
		}
	}
	for _, host := range []string{"example.com:8080", "192.168.1.5:8080", "localhost"} {
		resp := simulatorGet(t, app, host, "/simulator")
		if resp.status != 400 || !strings.Contains(resp.body, "Open the simulator on localhost") {
			t.Errorf("GET %s/simulator = %d, want 400 saying to open it on localhost", host, resp.status)
		}
	}
}

func TestSimulatorPresetsAreHostMessages(t *testing.T) {
	// Every preset of the demo database, from one address: more than its limit.
	app := newTestServer(t, func(d *Deps) { d.Config.IPRate = ratelimit.Rate{PerSecond: 1000, Burst: 1000} })
	page := simulatorGet(t, app, "localhost:8080", "/simulator")
	presets := parse(t, page.body).Find("#preset option")
	if presets.Length() < 4 {
		t.Fatalf("%d presets, want at least 2 per demo customer", presets.Length())
	}
	initial := parse(t, page.body).Find("#editor").Text()
	for i := range presets.Length() {
		url := presets.Eq(i).AttrOr("value", "")
		resp := simulatorGet(t, app, "localhost:8080", url)
		if resp.status != 200 {
			t.Fatalf("GET %s = %d", url, resp.status)
		}
		if i == 0 && resp.body != initial {
			t.Errorf("the editor does not start with the first preset")
		}
		msg, err := appcontext.Decode([]byte(resp.body), appcontext.DefaultLimits)
		if err != nil {
			t.Fatalf("%s does not decode: %v", url, err)
		}
		if contact, _ := msg.Data.Customer(); contact.Name == "" || msg.Data.Conversation.ID == 0 || msg.Data.CurrentAgent == nil {
			t.Errorf("%s lacks a contact, conversation or agent: %+v", url, msg.Data)
		}
		// The presets follow the documentation; only the fields the host
		// is known to send beyond it may be reported.
		for _, f := range appcontext.Check(msg.Raw).Findings {
			if f.Kind != appcontext.KindUndocumented {
				t.Errorf("%s: %s %s (documented %q, got %q)", url, f.Path, f.Kind, f.Expected, f.Got)
			}
		}
	}
	for _, url := range []string{"/simulator/presets/999999/1", "/simulator/presets/1/9", "/simulator/presets/1/0", "/simulator/presets/x/1"} {
		if resp := simulatorGet(t, app, "localhost:8080", url); resp.status != 404 {
			t.Errorf("GET %s = %d, want 404", url, resp.status)
		}
	}
}

func TestSimulatorRoguePostsAnotherCustomer(t *testing.T) {
	app := newTestServer(t)
	resp := simulatorGet(t, app, "localhost:8080", "/simulator/rogue")
	if resp.status != 200 {
		t.Fatalf("GET /simulator/rogue = %d", resp.status)
	}
	if csp := resp.header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'self'") || !strings.Contains(csp, "frame-src 'none'") {
		t.Errorf("the rogue page may be framed by its own origin only: %s", csp)
	}
	var forged string
	if err := json.Unmarshal([]byte(parse(t, resp.body).Find("#forged").Text()), &forged); err != nil {
		t.Fatal(err)
	}
	msg, err := appcontext.Decode([]byte(forged), appcontext.DefaultLimits)
	if err != nil {
		t.Fatalf("forged message does not decode: %v", err)
	}
	first, err := appcontext.Decode([]byte(parse(t, simulatorGet(t, app, "localhost:8080", "/simulator").body).Find("#editor").Text()), appcontext.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if msg.Data.Contact.Name == "" || msg.Data.Contact.Name == first.Data.Contact.Name {
		t.Errorf("the rogue forges %q, want a customer other than the first preset's %q", msg.Data.Contact.Name, first.Data.Contact.Name)
	}
}

func TestSimulatorWithAccessKeys(t *testing.T) {
	off := newTestServer(t, withKeys(newClock(), keyNew))
	for _, target := range []string{"/simulator", "/simulator?key=" + keyNew, "/simulator/presets/1/1?key=" + keyNew, "/simulator/rogue?key=" + keyNew} {
		if resp := simulatorGet(t, off, "localhost:8080", target); resp.status != 404 {
			t.Errorf("keys set, simulator not asked for: GET %s = %d, want 404", target, resp.status)
		}
	}

	on := newTestServer(t, withKeys(newClock(), keyNew), func(d *Deps) { d.Config.Simulator = true })
	for _, target := range []string{"/simulator", "/simulator?key=wrong", "/simulator/presets/1/1", "/simulator/rogue?key="} {
		if resp := simulatorGet(t, on, "localhost:8080", target); resp.status != 401 {
			t.Errorf("GET %s without the key = %d, want 401", target, resp.status)
		}
	}
	for _, target := range []string{"/simulator?key=" + keyNew, "/simulator/presets/1/1?key=" + keyNew, "/simulator/rogue?key=" + keyNew} {
		if resp := simulatorGet(t, on, "localhost:8080", target); resp.status != 200 {
			t.Errorf("GET %s = %d, want 200", target, resp.status)
		}
	}
}

func TestSimulatorChecksTheEditorsMessage(t *testing.T) {
	app := newTestServer(t)
	check := func(body string) *goquery.Selection {
		t.Helper()
		req := httptest.NewRequest(http.MethodPost, "/simulator/check", strings.NewReader(body))
		req.Host = "localhost:8080"
		resp := do(t, app, req)
		if resp.status != 200 {
			t.Fatalf("POST /simulator/check = %d: %.200s", resp.status, resp.body)
		}
		return parse(t, resp.body).Find(".schema-report")
	}
	preset := simulatorGet(t, app, "localhost:8080", "/simulator/presets/1/1").body
	if r := check(preset); r.Find("tr[data-kind]").Length() == 0 || r.Find(`tr[data-kind]:not([data-kind="undocumented"])`).Length() != 0 {
		t.Errorf("a preset's report is not the known undocumented fields alone: %s", r.Text())
	}
	edited := strings.Replace(preset, `"hmac_verified": true`, `"hmac_verified": "yes"`, 1)
	if edited == preset {
		t.Fatal("the preset has no hmac_verified to edit")
	}
	r := check(edited)
	if got := r.Find(`tr[data-kind="type_mismatch"] code`).Text(); got != "data.conversation.meta.hmac_verified" {
		t.Errorf("type mismatch reported at %q, want data.conversation.meta.hmac_verified:\n%s", got, r.Text())
	}
	if r := check(`{"event": `); r.Find(`tr[data-kind="invalid"]`).Length() != 1 {
		t.Errorf("broken JSON is not reported as invalid: %s", r.Text())
	}

	keyed := newTestServer(t, withKeys(newClock(), keyNew), func(d *Deps) { d.Config.Simulator = true })
	for key, want := range map[string]int{"": 401, keyNew: 200} {
		req := httptest.NewRequest(http.MethodPost, "/simulator/check?key="+key, strings.NewReader(preset))
		req.Host = "localhost:8080"
		if resp := do(t, keyed, req); resp.status != want {
			t.Errorf("POST /simulator/check?key=%s = %d, want %d", key, resp.status, want)
		}
	}
}
