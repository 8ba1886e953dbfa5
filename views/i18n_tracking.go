package views

import "strings"

// trackingCatalog holds the order row's tracking link, merged into the
// catalog at start like statusCatalog.
var trackingCatalog = map[string]translation{
	"orders.track": {"Track", "تتبّع الشحنة"},
}

func init() { addToCatalog(trackingCatalog) }

// isWebLink is webURL's check without parsing, for the order rows, which
// render by the hundred: the store keeps only absolute http(s) tracking
// links (db's checkWebURL), and a scheme of http or https is what makes a
// link safe to follow.
func isWebLink(s string) bool {
	return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")
}
