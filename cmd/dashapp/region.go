package main

import (
	"flag"
	"fmt"

	"dashapp/db/shop"
)

// regionFlag defines -default-region (DASHAPP_DEFAULT_REGION): the region
// whose local phone numbers, such as 0501112222 in SA, need no country code.
func regionFlag(fs *flag.FlagSet, getenv func(string) string) *string {
	return fs.String("default-region", envOr(getenv, "DASHAPP_DEFAULT_REGION", shop.DefaultRegion),
		"ISO 3166 region of phone numbers written without a country code (DASHAPP_DEFAULT_REGION)")
}

// setRegion applies the flag's region to every phone read from now on.
func setRegion(region string) error {
	if err := shop.SetDefaultRegion(region); err != nil {
		return fmt.Errorf("DASHAPP_DEFAULT_REGION: %w", err)
	}
	return nil
}
