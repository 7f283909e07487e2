package steps

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/hamr-go/hamr/features"
)

// The suite itself, as CI runs it: every scenario on every site from the
// recordings, in a shuffled order (scenarios must not depend on each
// other), with godog strict (an undefined step fails).
func TestContractSuiteReplaysEverySite(t *testing.T) {
	res := mustRun(t, Config{Mode: Replay, TestingT: t, Randomize: 20261204})
	assertAll(t, res, "passed", 152)
}

// The same suite, live against the local sandbox started in-process, one
// per site.
func TestContractSuiteAgainstTheSandbox(t *testing.T) {
	res := mustRun(t, Config{Mode: Live, Sandbox: true, TestingT: t, Randomize: 7})
	assertAll(t, res, "passed", 152)
}

func mustRun(t *testing.T, cfg Config) *Result {
	t.Helper()
	if cfg.Output == nil {
		cfg.Output = io.Discard
	}
	if cfg.Env == nil {
		cfg.Env = func(string) string { return "" }
	}
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func assertAll(t *testing.T, res *Result, status string, count int) {
	t.Helper()
	if len(res.Outcomes) != count {
		t.Errorf("%d scenario runs, want %d", len(res.Outcomes), count)
	}
	for _, o := range res.Outcomes {
		if o.Status != status {
			t.Errorf("%s / %s: %s, want %s: %s", o.Site, o.Scenario, o.Status, status, o.Reason)
		}
	}
}

func outcome(t *testing.T, res *Result, site, scenario string) Outcome {
	t.Helper()
	for _, o := range res.Outcomes {
		if o.Site == site && o.Scenario == scenario {
			return o
		}
	}
	t.Fatalf("no outcome for %s / %s", site, scenario)
	return Outcome{}
}

// copyRecordings copies one site's embedded recordings to a folder the test
// can alter.
func copyRecordings(t *testing.T, site string) string {
	t.Helper()
	dir := t.TempDir()
	root := "cassettes/" + site
	err := fs.WalkDir(features.Files, root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(features.Files, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dir, strings.TrimPrefix(path, "cassettes/"))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestEachSiteGetsItsOwnReportFiles(t *testing.T) {
	got, _ := formatFor("progress,junit:reports/out.xml,cucumber:c.json", "datadoghq.eu", true)
	if got != "progress,junit:reports/out.datadoghq.eu.xml,cucumber:c.datadoghq.eu.json" {
		t.Errorf("several sites: %s", got)
	}
	if got, _ := formatFor("junit:out.xml", "datadoghq.eu", false); got != "junit:out.xml" {
		t.Errorf("one site: %s", got)
	}
}

// A step no definition matches fails the run instead of passing silently
// (godog runs Strict, and the suite records the scenario as failed).
func TestAnUndefinedStepFails(t *testing.T) {
	feature := "Feature: undefined\n  Scenario: a step nobody wrote\n    Given a valid \"apiKeyAuth\" key in the system\n    And the moon is full\n"
	res := mustRun(t, Config{Mode: Live, Sandbox: true, Sites: []string{"datadoghq.com"}, Features: fstest.MapFS{"u.feature": {Data: []byte(feature)}}})
	if !res.Failed {
		t.Fatalf("a scenario with an undefined step passed: %+v", res.Outcomes)
	}
}
