package views

// SimulatorPage is the offline Bevatel host: it frames the app on the
// other loopback origin and posts it appContext messages.
type SimulatorPage struct {
	CSS     string
	Script  string
	Config  SimulatorConfig
	Presets []SimulatorPreset
	Initial string // the first preset's payload, for the editor
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
