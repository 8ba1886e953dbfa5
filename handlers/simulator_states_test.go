package handlers

import (
	"testing"

	"dashapp/handlers/appcontext"
)

// Each state preset of the simulator page is a host message whose panel
// is that state: nobody, several customers, nobody with a mentioned order.
// The state routes need the access key like every simulator route.
func TestSimulatorStatePresets(t *testing.T) {
	app := newTestServer(t)
	page := parse(t, simulatorGet(t, app, "localhost:8080", "/simulator").body)
	buttons := page.Find(".js-state")
	if buttons.Length() != 3 {
		t.Fatalf("%d state presets, want 3", buttons.Length())
	}
	want := map[string]string{"nomatch": "", "several": "phone", "mentioned": ""}
	for i := range buttons.Length() {
		name, url := buttons.Eq(i).AttrOr("data-state", ""), buttons.Eq(i).AttrOr("data-url", "")
		resp := simulatorGet(t, app, "localhost:8080", url)
		if resp.status != 200 {
			t.Fatalf("GET %s = %d", url, resp.status)
		}
		if _, err := appcontext.Decode([]byte(resp.body), appcontext.DefaultLimits); err != nil {
			t.Fatalf("%s does not decode: %v", url, err)
		}
		panel := parse(t, postContext(t, app, []byte(resp.body)).body)
		if by := panel.Find("#customer-panel").AttrOr("data-matched-by", "?"); by != want[name] {
			t.Errorf("%s: matched by %q, want %q", name, by, want[name])
		}
		if name == "several" && panel.Find(".candidate").Length() < 2 {
			t.Errorf("several: %d candidates", panel.Find(".candidate").Length())
		}
	}
	if resp := simulatorGet(t, app, "localhost:8080", "/simulator/states/other"); resp.status != 404 {
		t.Errorf("an unknown state = %d, want 404", resp.status)
	}
	on := newTestServer(t, withKeys(newClock(), keyNew), func(d *Deps) { d.Config.Simulator = true })
	if resp := simulatorGet(t, on, "localhost:8080", "/simulator/states/nomatch"); resp.status != 401 {
		t.Errorf("a state preset without the key = %d, want 401", resp.status)
	}
}
