package steps

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/cucumber/godog"

	"github.com/hamr-go/hamr/features"
	"github.com/hamr-go/hamr/openapi"
	"github.com/hamr-go/hamr/sandbox"
	"github.com/hamr-go/hamr/validate"
)

// Outcome is one scenario on one site.
type Outcome struct {
	Site, Feature, Scenario string
	Status                  string // "passed", "failed" or "skipped"
	Reason                  string // why it failed or was skipped
}

// Result is a whole run.
type Result struct {
	Outcomes []Outcome
	Warnings []string // drift and other notes that did not fail the run
	Failed   bool
}

// run is the state of one Run shared by its scenarios.
type run struct {
	cfg       *Config
	validator *validate.Validator
	sites     map[string]*siteRun
	cassettes fs.FS // replay: where recordings are read from

	mu       sync.Mutex
	outcomes map[string]Outcome
	warnings []string
}

// DefaultCassetteDir is where `make record` writes, relative to the project root.
const DefaultCassetteDir = "features/cassettes"

// Run runs every scenario on every configured site, validating every
// exchange, and reports. The error is for a run that could not start; a run
// with failing scenarios returns Result.Failed.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.fillDefaults(); err != nil {
		return nil, err
	}
	validator, err := validate.Default()
	if err != nil {
		return nil, err
	}
	r := &run{cfg: &cfg, validator: validator, sites: map[string]*siteRun{}, outcomes: map[string]Outcome{}}

	if cfg.Mode == Replay {
		r.cassettes, err = fs.Sub(cfg.Features, "cassettes")
		if cfg.Cassettes != "" {
			r.cassettes, err = os.DirFS(cfg.Cassettes), nil
		}
		if err != nil {
			return nil, err
		}
	}
	var sandboxes sandbox.Deployments
	if cfg.Sandbox {
		org := sandbox.DefaultOrg(cfg.Env("DD_API_KEY"), cfg.Env("DD_APP_KEY"))
		if sandboxes, err = sandbox.Start(cfg.Sites, sandbox.Config{Orgs: []sandbox.Org{org}}); err != nil {
			return nil, err
		}
		defer sandboxes.Close(context.WithoutCancel(ctx))
	}
	for _, site := range cfg.Sites {
		t, err := newTarget(&cfg, site, sandboxes)
		if err != nil {
			return nil, err
		}
		sr := &siteRun{target: t, cfgStrict: cfg.Strict}
		if err := sr.checkSafety(ctx, &cfg); err != nil {
			return nil, err
		}
		r.sites[site] = sr
	}

	failed, err := r.runSites(ctx)
	if err != nil {
		return nil, err
	}
	result := r.result()
	result.Failed = result.Failed || failed
	r.report(result)
	if err := writeSummary(&cfg, result); err != nil {
		return result, err
	}
	return result, nil
}

func (cfg *Config) fillDefaults() error {
	if cfg.Mode == "" {
		cfg.Mode = Replay
	}
	if cfg.Env == nil {
		cfg.Env = os.Getenv
	}
	if cfg.Features == nil {
		cfg.Features = features.Files
	}
	if cfg.Format == "" {
		cfg.Format = "progress"
	}
	if cfg.Output == nil {
		cfg.Output = os.Stdout
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 8
	}
	if len(cfg.Sites) == 0 {
		all, err := openapi.Sites()
		if err != nil {
			return err
		}
		cfg.Sites = all
	}
	for _, site := range cfg.Sites {
		if err := openapi.CheckSite(site); err != nil {
			return err
		}
	}
	switch {
	case cfg.Mode == Replay && cfg.Sandbox:
		return errors.New("--sandbox sends to the local sandbox, and replay sends nothing: use --mode live or --mode record with --sandbox")
	case cfg.Mode == Record && cfg.Cassettes == "":
		cfg.Cassettes = DefaultCassetteDir
		if _, err := os.Stat(cfg.Cassettes); err != nil {
			return fmt.Errorf("record writes to %s, which is not here: run from the project root, or pass --cassettes DIR", cfg.Cassettes)
		}
	}
	return nil
}

var featureTitle = regexp.MustCompile(`(?m)^(\s*Feature:.*)$`)

// runSites runs one godog suite per site, up to Concurrency sites at once.
// Within a site, scenarios run one at a time: on a live target they share
// the site's org. Each site's output is written whole when it finishes, so
// sites never interleave.
func (r *run) runSites(ctx context.Context) (failed bool, err error) {
	if t := r.cfg.TestingT; t != nil {
		// Subtests per site, one after another: godog's subtests must
		// finish inside their parent.
		for _, site := range r.cfg.Sites {
			t.Run(site, func(t *testing.T) {
				siteFailed, siteErr := r.runSite(ctx, site, t, r.cfg.Output)
				failed, err = failed || siteFailed, errors.Join(err, siteErr)
			})
		}
		return failed, err
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		slots = make(chan struct{}, r.cfg.Concurrency)
	)
	for _, site := range r.cfg.Sites {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			var out bytes.Buffer
			siteFailed, siteErr := r.runSite(ctx, site, nil, &out)
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(r.cfg.Output, "\n=== %s ===\n", site)
			_, _ = r.cfg.Output.Write(out.Bytes())
			failed, err = failed || siteFailed, errors.Join(err, siteErr)
		})
	}
	wg.Wait()
	return failed, err
}

// runSite runs every feature on one site as its own godog suite.
func (r *run) runSite(ctx context.Context, site string, t *testing.T, out io.Writer) (failed bool, err error) {
	contents, err := r.featureContents(site)
	if err != nil {
		return false, err
	}
	format, err := formatFor(r.cfg.Format, site, len(r.cfg.Sites) > 1)
	if err != nil {
		return false, err
	}
	status := godog.TestSuite{
		Name:                "hamr-contract-" + site,
		ScenarioInitializer: r.initScenario,
		Options: &godog.Options{
			Format:          format,
			Output:          out,
			Strict:          true, // an undefined or pending step fails
			NoColors:        true,
			Concurrency:     1,
			Tags:            r.cfg.Tags,
			Randomize:       r.cfg.Randomize,
			FeatureContents: contents,
			TestingT:        t,
			DefaultContext:  ctx,
		},
	}.Run()
	switch status {
	case 0:
		return false, nil
	case 1:
		return true, nil
	default:
		return true, fmt.Errorf("godog refused its options on %s (exit %d): check --format and --tags", site, status)
	}
}

// formatFor gives each site its own report files: with several sites,
// junit:out.xml becomes junit:out.<site>.xml, and so on.
func formatFor(format, site string, several bool) (string, error) {
	if !several {
		return format, nil
	}
	parts := strings.Split(format, ",")
	for i, part := range parts {
		name, file, ok := strings.Cut(part, ":")
		if !ok {
			continue
		}
		ext := filepath.Ext(file)
		parts[i] = name + ":" + strings.TrimSuffix(file, ext) + "." + site + ext
	}
	return strings.Join(parts, ","), nil
}

// featureContents gives godog each feature for one site, named
// <site>/<file>, with the site in its title.
func (r *run) featureContents(site string) ([]godog.Feature, error) {
	files, err := fs.Glob(r.cfg.Features, "*.feature")
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no .feature files in the features folder (%v)", err)
	}
	var out []godog.Feature
	for _, file := range files {
		content, err := fs.ReadFile(r.cfg.Features, file)
		if err != nil {
			return nil, err
		}
		titled := featureTitle.ReplaceAll(content, []byte("$1 ["+site+"]"))
		out = append(out, godog.Feature{Name: site + "/" + file, Contents: titled})
	}
	return out, nil
}

func (r *run) setOutcome(o Outcome) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.outcomes[o.Site+"\x00"+o.Scenario] = o
}

func (r *run) addWarnings(site string, warnings []string) {
	if len(warnings) == 0 {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, w := range warnings {
		r.warnings = append(r.warnings, site+": "+w)
	}
}

func (r *run) result() *Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	res := &Result{Warnings: append([]string(nil), r.warnings...)}
	for _, o := range r.outcomes {
		res.Outcomes = append(res.Outcomes, o)
		if o.Status == "failed" {
			res.Failed = true
		}
	}
	siteOrder := make(map[string]int, len(r.cfg.Sites))
	for i, site := range r.cfg.Sites {
		siteOrder[site] = i
	}
	sort.Slice(res.Outcomes, func(i, j int) bool {
		a, b := res.Outcomes[i], res.Outcomes[j]
		if a.Feature+a.Scenario != b.Feature+b.Scenario {
			return a.Feature+a.Scenario < b.Feature+b.Scenario
		}
		return siteOrder[a.Site] < siteOrder[b.Site]
	})
	sort.Strings(res.Warnings)
	return res
}

// report lists, after godog's own output, what was skipped and why, and the
// warnings.
func (r *run) report(res *Result) {
	var skipped, failed []string
	counts := map[string]int{}
	for _, o := range res.Outcomes {
		counts[o.Status]++
		switch o.Status {
		case "skipped":
			skipped = append(skipped, fmt.Sprintf("  %s: %s: %s", o.Site, o.Scenario, o.Reason))
		case "failed":
			failed = append(failed, fmt.Sprintf("  %s: %s: %s", o.Site, o.Scenario, firstLine(o.Reason)))
		}
	}
	w := r.cfg.Output
	if len(failed) > 0 {
		fmt.Fprintf(w, "\nFailed %d scenario runs:\n%s\n", len(failed), strings.Join(failed, "\n"))
	}
	if len(skipped) > 0 {
		fmt.Fprintf(w, "\nSkipped %d scenario runs:\n%s\n", len(skipped), strings.Join(skipped, "\n"))
	}
	if len(res.Warnings) > 0 {
		fmt.Fprintf(w, "\nWarnings (drift from the fragment; --strict makes them failures):\n  %s\n", strings.Join(res.Warnings, "\n  "))
	}
	fmt.Fprintf(w, "\nHAMR contract, %s mode, %d sites: %d passed, %d failed, %d skipped\n",
		r.cfg.Mode, len(r.cfg.Sites), counts["passed"], counts["failed"], counts["skipped"])
}

// siteAndFeature split godog's feature URI, <site>/<file>.feature.
func siteAndFeature(uri string) (site, feature string) {
	site, file, _ := strings.Cut(uri, "/")
	return site, strings.TrimSuffix(path.Base(file), ".feature")
}
