package main

import (
	"dashapp/db"
	"dashapp/handlers"
)

// The served store must find customers and mentioned orders: without it the
// panel would silently lose its search field (handlers.searcherOf).
var _ handlers.CustomerSearcher = (*db.Live)(nil)
