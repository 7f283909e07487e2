// Package openapi embeds the hand-written HAMR fragment (hamr.yaml), loads and
// validates it once, and exposes the document and the Datadog sites it lists.
//
// The servers' `site` enum in hamr.yaml is the only list of sites in the code:
// everything else (the client's site option, the sandbox, the contract suite)
// asks this package.
package openapi

import (
	"context"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// Spec is the fragment exactly as written, for tools that want the bytes.
//
//go:embed hamr.yaml
var Spec []byte

// DefaultSite is the site used when none is named (US1).
const DefaultSite = "datadoghq.com"

// load parses and validates the embedded fragment once. A broken fragment is a
// programming error caught by this package's tests, but it is still returned
// as an error rather than a panic so a command can report it.
var load = sync.OnceValues(func() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(Spec)
	if err != nil {
		return nil, fmt.Errorf("openapi: parse hamr.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi: hamr.yaml is not a valid OpenAPI document: %w", err)
	}
	return doc, nil
})

// Document returns the loaded fragment. Callers must not modify it: it is
// shared by every validator in the process.
func Document() (*openapi3.T, error) { return load() }

// MustDocument is Document for package-level initialisation in tests and
// commands, where a broken embedded fragment cannot be recovered from.
func MustDocument() *openapi3.T {
	doc, err := load()
	if err != nil {
		panic(err)
	}
	return doc
}

// Sites returns the Datadog sites from the servers' `site` enum, in the
// fragment's order. The slice is a fresh copy.
func Sites() ([]string, error) {
	doc, err := load()
	if err != nil {
		return nil, err
	}
	return sitesOf(doc)
}

func sitesOf(doc *openapi3.T) ([]string, error) {
	for _, server := range doc.Servers {
		if v, ok := server.Variables["site"]; ok && len(v.Enum) > 0 {
			return slices.Clone(v.Enum), nil
		}
	}
	return nil, fmt.Errorf("openapi: hamr.yaml has no server with a `site` enum")
}

// APIHost returns the API host for a site: the servers' `subdomain` default
// ("api") joined to the site, as https://{subdomain}.{site} says.
func APIHost(site string) (string, error) {
	if err := CheckSite(site); err != nil {
		return "", err
	}
	doc, _ := load() // CheckSite succeeded, so the document loaded.
	subdomain := "api"
	for _, server := range doc.Servers {
		if v, ok := server.Variables["subdomain"]; ok && v.Default != "" {
			subdomain = v.Default
		}
	}
	return subdomain + "." + site, nil
}

// CheckSite returns an error naming the valid sites when site is not one of
// them.
func CheckSite(site string) error {
	sites, err := Sites()
	if err != nil {
		return err
	}
	if slices.Contains(sites, site) {
		return nil
	}
	return fmt.Errorf("unknown Datadog site %q: use one of %s", site, strings.Join(sites, ", "))
}
