package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"time"

	"github.com/hamr-go/hamr/sandbox"
)

const sandboxUsage = `usage: hamr sandbox [flags]

Runs the local HAMR sandbox: a stateful fake of the HAMR API, one deployment
(own state, own listener) per site. Prints one "SITE URL" line per site, then
the default org; logs one line per request on stderr. Stops on SIGINT/SIGTERM.

flags:
`

// runSandbox runs until ctx is done (SIGINT/SIGTERM), then shuts down
// gracefully.
func runSandbox(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("sandbox", sandboxUsage, stderr)
	siteFlag := fs.String("site", "all", "all, or a site (or several, comma separated) from the fragment")
	listen := fs.String("listen", "", "address for a single site's listener, such as 127.0.0.1:8080 (default: a random loopback port per site)")
	apiKey := fs.String("api-key", "", "the default org's API key (default $DD_API_KEY, else a development key)")
	appKey := fs.String("app-key", "", "the default org's application key (default $DD_APP_KEY, else a development key)")
	orgsFile := fs.String("orgs", "", "YAML or JSON file of more orgs (id, name, api_key, app_key)")
	rateLimit := fs.Int("rate-limit", 0, "requests per period per org (0: no rate limit)")
	ratePeriod := fs.Int("rate-period", 60, "rate-limit period in seconds")
	latency := fs.Duration("latency", 0, "latency added to every request, such as 200ms")
	failRate := fs.Float64("fail-rate", 0, "share of POSTs answered 500, from 0 to 1")
	seed := fs.Uint64("seed", 0, "seed for --fail-rate (default: random, printed at start)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	sites, err := parseSites(*siteFlag)
	if err != nil {
		return err
	}
	if *listen != "" && len(sites) != 1 {
		return usagef("--listen gives one listener: name one site with --site")
	}

	devKeys := false
	if *apiKey == "" {
		*apiKey = os.Getenv("DD_API_KEY")
	}
	if *appKey == "" {
		*appKey = os.Getenv("DD_APP_KEY")
	}
	if *apiKey == "" && *appKey == "" {
		devKeys = true
	} else if *apiKey == "" || *appKey == "" {
		return usagef("give both keys (--api-key and --app-key, or DD_API_KEY and DD_APP_KEY), or neither for the development keys")
	}
	orgs := []sandbox.Org{sandbox.DefaultOrg(*apiKey, *appKey)}
	if *orgsFile != "" {
		more, err := sandbox.LoadOrgs(*orgsFile)
		if err != nil {
			return err
		}
		orgs = append(orgs, more...)
	}
	seedSet := false
	fs.Visit(func(f *flag.Flag) { seedSet = seedSet || f.Name == "seed" })
	if !seedSet {
		*seed = rand.Uint64()
	}

	cfg := sandbox.Config{
		Orgs:       orgs,
		RateLimit:  *rateLimit,
		RatePeriod: time.Duration(*ratePeriod) * time.Second,
		Latency:    *latency,
		FailRate:   *failRate,
		Seed:       *seed,
		Logger:     slog.New(slog.NewTextHandler(stderr, nil)),
	}
	var deployments sandbox.Deployments
	if *listen != "" {
		d, err := sandbox.StartOn(sites[0], *listen, cfg)
		if err != nil {
			return err
		}
		deployments = sandbox.Deployments{d}
	} else if deployments, err = sandbox.Start(sites, cfg); err != nil {
		return err
	}

	for _, d := range deployments {
		fmt.Fprintf(stdout, "%s %s\n", d.Site, d.URL)
	}
	for _, org := range orgs {
		fmt.Fprintf(stdout, "org %s %q\n", org.ID, org.Name)
	}
	if devKeys {
		// Printed only because they are the public development keys; keys
		// that were given are never printed.
		fmt.Fprintf(stdout, "DD_API_KEY=%s\nDD_APP_KEY=%s\n", sandbox.DevAPIKey, sandbox.DevAppKey)
	}
	if *failRate > 0 {
		fmt.Fprintf(stdout, "seed %d\n", *seed)
	}

	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return deployments.Close(shutdown)
}
