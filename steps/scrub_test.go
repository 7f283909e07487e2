package steps

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hamr-go/hamr/sandbox"
)

// everyFile returns the bytes of every file below dir.
func everyFile(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files[path], err = os.ReadFile(path)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// recordEverything records with reports of every kind, all into one folder.
func recordEverything(t *testing.T, cfg Config) (dir string, stdout []byte) {
	t.Helper()
	dir = t.TempDir()
	var out bytes.Buffer
	cfg.Mode = Record
	cfg.Cassettes = filepath.Join(dir, "cassettes")
	cfg.Summary = filepath.Join(dir, "summary.md")
	cfg.Format = "progress,junit:" + filepath.Join(dir, "junit.xml") + ",cucumber:" + filepath.Join(dir, "cucumber.json")
	cfg.Output = &out
	summaryEnv := filepath.Join(dir, "github-step-summary.md")
	env := cfg.Env
	cfg.Env = func(k string) string {
		if k == "GITHUB_STEP_SUMMARY" {
			return summaryEnv
		}
		return env(k)
	}
	res := mustRun(t, cfg)
	if res.Failed {
		t.Fatalf("recording failed: %+v", res.Outcomes)
	}
	if err := os.WriteFile(filepath.Join(dir, "stdout.txt"), out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, out.Bytes()
}

func assertNoTrace(t *testing.T, files map[string][]byte, secrets ...string) {
	t.Helper()
	if len(files) < 5 {
		t.Fatalf("only %d files written: the test would search too little", len(files))
	}
	for path, data := range files {
		for _, secret := range secrets {
			if bytes.Contains(data, []byte(secret)) {
				t.Errorf("%s holds %q", path, secret)
			}
		}
	}
}

func TestRecordingsAndReportsHoldNoKey(t *testing.T) {
	const apiKey, appKey = "scrub-test-API-7d1f0c2b9a", "scrub-test-APP-3e8a6b4c1d"
	env := map[string]string{"DD_API_KEY": apiKey, "DD_APP_KEY": appKey}
	dir, _ := recordEverything(t, Config{Sandbox: true, Sites: []string{testSite, "ddog-gov.com"}, Env: func(k string) string { return env[k] }})
	files := everyFile(t, dir)
	assertNoTrace(t, files, apiKey, appKey)
	// With several sites, each report file is per site.
	for _, report := range []string{"summary.md", "github-step-summary.md", "junit.datadoghq.eu.xml", "cucumber.ddog-gov.com.json"} {
		if len(files[filepath.Join(dir, report)]) == 0 {
			t.Errorf("%s was not written", report)
		}
	}
	cassette := string(files[filepath.Join(dir, "cassettes", testSite, "get_hamr_org_connection", slug(getOK)+".yaml")])
	if !strings.Contains(cassette, "host: api.datadoghq.eu") || !strings.Contains(cassette, recordedFromHeader) {
		t.Errorf("a recording must show the site's real host and say it came from the local sandbox:\n%s", cassette)
	}
	for _, header := range []string{"Dd-Api-Key", "Dd-Application-Key", "Authorization", "REDACTED"} {
		if strings.Contains(cassette, header) {
			t.Errorf("the credential header %s is still in the recording, even if its value is scrubbed", header)
		}
	}
}

// Against a real target, the org's UUID is replaced by the placeholder too,
// and the scrubbed recordings still replay.
func TestRecordingARealOrgScrubsItsUUIDAndStillReplays(t *testing.T) {
	const orgID = "7c4e2f10-9b8a-4d3c-a1e2-f3a4b5c6d7e8"
	org := sandbox.Org{ID: orgID, Name: "A customer's org", APIKey: realAPIKey, AppKey: realAppKey}
	d, err := sandbox.StartOn(testSite, "127.0.0.1:0", sandbox.Config{Orgs: []sandbox.Org{org}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close(context.Background()) })
	env := map[string]string{"DD_API_KEY": realAPIKey, "DD_APP_KEY": realAppKey}
	dir, _ := recordEverything(t, Config{
		Sites: []string{testSite}, BaseURLs: map[string]string{testSite: d.URL},
		SandboxOrg: orgID, AllowCreate: true, Env: func(k string) string { return env[k] },
	})
	assertNoTrace(t, everyFile(t, filepath.Join(dir, "cassettes")), realAPIKey, realAppKey, orgID)
	assertNoTrace(t, everyFile(t, dir), realAPIKey, realAppKey)

	res := mustRun(t, Config{Mode: Replay, Sites: []string{testSite}, Cassettes: filepath.Join(dir, "cassettes"), Tags: "~@needs-fresh-org && ~@rate-limited"})
	assertAll(t, res, "passed", 17)
}
