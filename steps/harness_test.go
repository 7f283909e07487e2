package steps

import (
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
)

const (
	testSite         = "datadoghq.eu"
	referenceExample = `Create or update HAMR organization connection returns "OK" response for the reference example`
	getForbidden     = `Get HAMR organization connection returns "Forbidden" response for a wrong API key`
	getOK            = `Get HAMR organization connection returns "OK" response`
)

// alter rewrites the last recorded answer of one scenario's recording.
func alter(t *testing.T, dir, feature, scenario string, change func(*cassette.Response)) {
	t.Helper()
	c, err := cassette.Load(filepath.Join(dir, testSite, feature, slug(scenario)))
	if err != nil {
		t.Fatal(err)
	}
	last := c.Interactions[len(c.Interactions)-1]
	before, _ := yaml.Marshal(last.Response)
	last.Response.Headers = last.Response.Headers.Clone()
	change(&last.Response)
	if after, _ := yaml.Marshal(last.Response); string(after) == string(before) {
		t.Fatal("the alteration changed nothing: the test would prove nothing")
	}
	c.MarshalFunc = yaml.Marshal // Load leaves it unset; go-vcr writes with yaml v4
	if err := c.Save(); err != nil {
		t.Fatal(err)
	}
}

// The harness must fail a scenario on any answer that breaks the fragment,
// whether or not a step looks at what broke. Each case alters one recording
// and expects exactly that scenario to fail, saying where and why.
func TestHarnessRejectsNonConformingAnswers(t *testing.T) {
	cases := []struct {
		name, feature, scenario string
		change                  func(*cassette.Response)
		want                    string
	}{
		{"undocumented status", "create_hamr_org_connection", referenceExample,
			func(r *cassette.Response) { r.Code, r.Status = 418, "418 I'm a teapot" }, "status is not supported"},
		{"wrong Content-Type", "create_hamr_org_connection", referenceExample,
			func(r *cassette.Response) { r.Headers.Set("Content-Type", "text/html") }, "Content-Type"},
		{"missing required field", "create_hamr_org_connection", referenceExample,
			func(r *cassette.Response) {
				r.Body = strings.Replace(r.Body, `"modified_by":"admin@example.com",`, "", 1)
			},
			"/data/attributes/modified_by"},
		{"unknown enum value", "create_hamr_org_connection", referenceExample,
			func(r *cassette.Response) { r.Body = strings.Replace(r.Body, `"hamr_status":4`, `"hamr_status":7`, 1) },
			"/data/attributes/hamr_status"},
		{"the wrong type", "create_hamr_org_connection", referenceExample,
			func(r *cassette.Response) {
				r.Body = strings.Replace(r.Body, `"hamr_org_connections"`, `"hamr_org_connection"`, 1)
			}, "/data/type"},
		{"malformed JSON", "create_hamr_org_connection", referenceExample,
			func(r *cassette.Response) { r.Body = r.Body[:len(r.Body)/2] }, "not valid JSON"},
		{"an error body of the wrong shape", "get_hamr_org_connection", getForbidden,
			func(r *cassette.Response) { r.Body = `{"errors":["Forbidden"]}` }, "/errors/0"},
		// The step only asserts the status; the harness still checks the body.
		{"a broken body no step reads", "get_hamr_org_connection", getForbidden,
			func(r *cassette.Response) { r.Body = `{"errors":"Forbidden"}` }, "/errors"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyRecordings(t, testSite)
			alter(t, dir, tc.feature, tc.scenario, tc.change)
			res := mustRun(t, Config{Mode: Replay, Sites: []string{testSite}, Cassettes: dir})
			if !res.Failed {
				t.Fatal("the run passed on an altered recording")
			}
			o := outcome(t, res, testSite, tc.scenario)
			if o.Status != "failed" || !strings.Contains(o.Reason, tc.want) {
				t.Errorf("want %q failed mentioning %q, got %s: %s", tc.scenario, tc.want, o.Status, o.Reason)
			}
			for _, other := range res.Outcomes {
				if other.Scenario != tc.scenario && other.Status != "passed" {
					t.Errorf("%s also %s: %s", other.Scenario, other.Status, other.Reason)
				}
			}
		})
	}
}

func TestUndeclaredFieldsWarnOrFailUnderStrict(t *testing.T) {
	dir := copyRecordings(t, testSite)
	alter(t, dir, "get_hamr_org_connection", getOK, func(r *cassette.Response) {
		r.Body = strings.Replace(r.Body, `"is_primary":false`, `"is_primary":false,"failover_region":"eu1"`, 1)
	})
	relaxed := mustRun(t, Config{Mode: Replay, Sites: []string{testSite}, Cassettes: dir})
	if relaxed.Failed || len(relaxed.Warnings) != 1 || !strings.Contains(relaxed.Warnings[0], "/data/attributes/failover_region") {
		t.Errorf("without --strict: failed=%v, warnings %v", relaxed.Failed, relaxed.Warnings)
	}
	strict := mustRun(t, Config{Mode: Replay, Sites: []string{testSite}, Cassettes: dir, Strict: true})
	if o := outcome(t, strict, testSite, getOK); o.Status != "failed" || !strings.Contains(o.Reason, "failover_region") {
		t.Errorf("with --strict: %s: %s", o.Status, o.Reason)
	}
}

// A request the fragment calls invalid must be refused by the API: if the
// answer is 200, fragment and API disagree, and the scenario fails even
// though no step says so.
func TestAnInvalidRequestAnsweredOKFails(t *testing.T) {
	dir := copyRecordings(t, testSite)
	scenario := `Create or update HAMR organization connection returns "Bad Request" response for an unknown hamr_status`
	alter(t, dir, "create_hamr_org_connection", scenario, func(r *cassette.Response) {
		r.Code, r.Status = 200, "200 OK"
		r.Body = `{"data":{"attributes":{"hamr_status":4,"is_primary":true,"modified_at":"2026-01-13T17:26:48.830968Z","modified_by":"a","target_org_datacenter":"us1","target_org_name":"b","target_org_uuid":"c"},"id":"550e8400-e29b-41d4-a716-446655440000","type":"hamr_org_connections"}}`
	})
	res := mustRun(t, Config{Mode: Replay, Sites: []string{testSite}, Cassettes: dir})
	if o := outcome(t, res, testSite, scenario); o.Status != "failed" || !strings.Contains(o.Reason, "instead of 400") {
		t.Errorf("%s: %s", o.Status, o.Reason)
	}
}

func TestAMissingRecordingSaysHowToMakeIt(t *testing.T) {
	res := mustRun(t, Config{Mode: Replay, Sites: []string{testSite}, Cassettes: t.TempDir()})
	o := outcome(t, res, testSite, getOK)
	if o.Status != "failed" || !strings.Contains(o.Reason, "make record") || !strings.Contains(o.Reason, testSite) {
		t.Errorf("%s: %s", o.Status, o.Reason)
	}
}
