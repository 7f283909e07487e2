package main

import (
	"context"
	"errors"
	"io"

	"github.com/hamr-go/hamr/steps"
)

const contractUsage = `usage: hamr contract [flags]

Runs the HAMR contract suite: every scenario on every site, every request and
answer validated against the fragment. By default it replays the recordings
embedded in this binary: no key, no network.

  hamr contract                                  # replay, all sites
  hamr contract --mode record --sandbox          # re-record from the local sandbox
  hamr contract --mode live --site datadoghq.eu  # read-only scenarios against Datadog
  hamr contract --mode live --sandbox-org UUID   # also the mutating ones, on that org only

flags:
`

func runContract(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("contract", contractUsage, stderr)
	mode := fs.String("mode", "replay", "replay (from recordings), record (send and write recordings) or live (send, write nothing)")
	siteFlag := fs.String("site", "all", "all, or a site (or several, comma separated)")
	useSandbox := fs.Bool("sandbox", false, "start the local sandbox in-process, one per site, and send there")
	sandboxOrg := fs.String("sandbox-org", "", "UUID of the org the keys belong to, which mutating scenarios may change on a real site")
	allowCreate := fs.Bool("allow-create", false, "let mutating scenarios run where the org has no connection to restore (the API has no DELETE)")
	cassettes := fs.String("cassettes", "", "recordings folder: read in replay (default: those embedded), written in record (default: "+steps.DefaultCassetteDir+")")
	tags := fs.String("tags", "", "godog tag expression, such as '~@mutating'")
	format := fs.String("format", "progress", "godog formats, comma separated: pretty, progress, junit:FILE, cucumber:FILE")
	summary := fs.String("summary", "", "write a Markdown site × scenario matrix here (also appended to $GITHUB_STEP_SUMMARY)")
	strict := fs.Bool("strict", false, "fail on response members the fragment does not declare (drift), instead of warning")
	concurrency := fs.Int("concurrency", 8, "scenarios at once (sites run concurrently; one site's live scenarios run one at a time)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	m, err := steps.ParseMode(*mode)
	if err != nil {
		return usageError{err}
	}
	sites, err := parseSites(*siteFlag)
	if err != nil {
		return err
	}
	result, err := steps.Run(ctx, steps.Config{
		Mode: m, Sites: sites, Sandbox: *useSandbox, SandboxOrg: *sandboxOrg, AllowCreate: *allowCreate,
		Cassettes: *cassettes, Tags: *tags, Format: *format, Output: stdout, Summary: *summary,
		Strict: *strict, Concurrency: *concurrency,
	})
	if err != nil {
		return err
	}
	if result.Failed {
		return errors.New("the contract suite failed")
	}
	return nil
}
