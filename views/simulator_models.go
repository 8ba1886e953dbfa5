package views

// SimulatorPage is the offline Bevatel host: it frames the app on the
// other loopback origin and posts it appContext messages.
type SimulatorPage struct {
	CSS     string
	Script  string
	Config  SimulatorConfig
	Presets []SimulatorPreset
	States  []SimulatorState // the panel's other states: no match, several match, a mentioned order
	Initial string           // the first preset's payload, for the editor
}

// SimulatorConfig is handed to static/js/simulator.js as a JSON data block.
type SimulatorConfig struct {
	AppURL    string `json:"appURL"`
	FetchInfo string `json:"fetchInfo"` // the app's request for the context, answered to its frame only
	RogueURL  string `json:"rogueURL"`
	CheckURL  string `json:"checkURL"` // POST: the schema report of a message
}

// SimulatorPreset is one customer's conversation, built from the database.
type SimulatorPreset struct {
	URL   string
	Label string
}

// SimulatorState is a preset for one of the panel's states; Name keys its
// label ("simulator.state."+Name).
type SimulatorState struct {
	Name string
	URL  string
}

// simulatorWidths are the pane widths the simulator offers: the
// dashboard's sidebar at its narrowest, the compact layout's limit, a
// tablet.
var simulatorWidths = []int{320, 480, 768}

// simulatorStateLabel names a state preset (simulator.States).
func simulatorStateLabel(name string) string {
	switch name {
	case "nomatch":
		return T(English, "simulator.state.nomatch")
	case "several":
		return T(English, "simulator.state.several")
	case "mentioned":
		return T(English, "simulator.state.mentioned")
	}
	return name
}
