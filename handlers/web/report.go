package web

import (
	"dashapp/handlers/appcontext"
	"dashapp/views"
)

// Findings maps a schema report onto the view's rows. It lives here, not in
// the explorer, because the simulator shows the same report.
func Findings(r appcontext.Report) []views.Finding {
	out := make([]views.Finding, 0, len(r.Findings))
	for _, f := range r.Findings {
		out = append(out, views.Finding{Path: f.Path, Kind: string(f.Kind), Expected: f.Expected, Got: f.Got, Count: f.Count})
	}
	return out
}
