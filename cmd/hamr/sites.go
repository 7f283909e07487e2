package main

import (
	"slices"
	"strings"

	"github.com/hamr-go/hamr/openapi"
)

// parseSites reads --site: "all", or one or more sites separated by commas.
// Sites come from the fragment's servers enum; an unknown one is a usage
// error that lists the valid ones.
func parseSites(value string) ([]string, error) {
	all, err := openapi.Sites()
	if err != nil {
		return nil, err
	}
	if value == "" || value == "all" {
		return all, nil
	}
	var sites []string
	for _, site := range strings.Split(value, ",") {
		site = strings.TrimSpace(site)
		if err := openapi.CheckSite(site); err != nil {
			return nil, usagef("--site: %v (or all)", err)
		}
		if !slices.Contains(sites, site) {
			sites = append(sites, site)
		}
	}
	return sites, nil
}
