package views

// trackingCatalog holds the order row's tracking link, merged into the
// catalog at start like statusCatalog.
var trackingCatalog = map[string]translation{
	"orders.track": {"Track", "تتبّع الشحنة"},
}

func init() {
	for key, t := range trackingCatalog {
		if _, dup := catalog[key]; dup {
			panic("views: catalog key " + key + " is defined twice")
		}
		catalog[key] = t
	}
}
