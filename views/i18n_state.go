package views

// stateCatalog holds the strings of issue 12's explorer and simulator
// additions, merged into the catalog at start like statusCatalog.
var stateCatalog = map[string]translation{
	"explorer.rawPretty": {"Raw JSON, pretty-printed", "JSON الخام، بتنسيق مقروء"},

	"simulator.states":          {"States", "الحالات"},
	"simulator.state.nomatch":   {"No match", "لا تطابق"},
	"simulator.state.several":   {"Several match", "تطابق عدة عملاء"},
	"simulator.state.mentioned": {"Order mentioned in a message", "طلب مذكور في رسالة"},
	"simulator.lang":            {"Panel language", "لغة اللوحة"},
	"simulator.width":           {"Pane width", "عرض اللوحة"},
	"simulator.width.px":        {"%d px", "%d بكسل"},
}

func init() { addToCatalog(stateCatalog) }
