package views

// pageTheme accepts the two themes app.css defines; anything else is light.
func pageTheme(theme string) string {
	if theme == "dark" {
		return "dark"
	}
	return "light"
}

// bridgeConfig fills what the bridge cannot do without: a list (never
// null) of allowed origins and the page's language.
func bridgeConfig(p AppPage) BridgeConfig {
	cfg := p.Bridge
	if cfg.AllowedOrigins == nil {
		cfg.AllowedOrigins = []string{}
	}
	if cfg.Lang == "" {
		cfg.Lang = NormalizeLang(p.Lang)
	}
	return cfg
}
