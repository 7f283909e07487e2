package steps

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/hamr-go/hamr/client"
	"github.com/hamr-go/hamr/gen"
	"github.com/hamr-go/hamr/sandbox"
)

const (
	realAPIKey = "live-safety-api-key-5f2d"
	realAppKey = "live-safety-app-key-9c1e"
)

// standIn starts a sandbox that the suite must treat as a real Datadog site:
// it is reached through BaseURLs, not --sandbox, so every live-safety rule
// applies to it.
func standIn(t *testing.T) (*sandbox.Deployment, Config) {
	t.Helper()
	d, err := sandbox.StartOn(testSite, "127.0.0.1:0", sandbox.Config{Orgs: []sandbox.Org{sandbox.DefaultOrg(realAPIKey, realAppKey)}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close(context.Background()) })
	env := map[string]string{"DD_API_KEY": realAPIKey, "DD_APP_KEY": realAppKey}
	return d, Config{Mode: Live, Sites: []string{testSite}, BaseURLs: map[string]string{testSite: d.URL}, Env: func(k string) string { return env[k] }}
}

func directClient(t *testing.T, d *sandbox.Deployment) *client.Client {
	t.Helper()
	c, err := client.New(client.WithBaseURL(d.URL), client.WithAPIKeys(realAPIKey, realAppKey))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var original = gen.HamrOrgConnectionRequest{Data: gen.HamrOrgConnectionDataRequest{
	Id: sandbox.DefaultOrgID, Type: gen.HamrOrgConnectionTypeHAMRORGCONNECTIONS,
	Attributes: gen.HamrOrgConnectionAttributesRequest{
		HamrStatus: gen.HamrOrgConnectionStatusPASSIVE, IsPrimary: false, ModifiedBy: "owner@example.com",
		TargetOrgDatacenter: "ap1", TargetOrgName: "The Real Backup", TargetOrgUuid: "0b7c2a4e-1111-4222-8333-444455556666",
	},
}}

func assertUnchanged(t *testing.T, c *client.Client) {
	t.Helper()
	got, err := c.GetHamrOrgConnection(context.Background())
	if err != nil {
		t.Fatalf("GET after the run: %v", err)
	}
	a, want := got.Data.Attributes, original.Data.Attributes
	if a.HamrStatus != want.HamrStatus || a.TargetOrgName != want.TargetOrgName || a.ModifiedBy != want.ModifiedBy || a.TargetOrgDatacenter != want.TargetOrgDatacenter {
		t.Errorf("the connection was not restored: %+v", a)
	}
}

func TestWithoutSandboxOrgMutatingScenariosAreSkipped(t *testing.T) {
	d, cfg := standIn(t)
	res := mustRun(t, cfg)
	if res.Failed {
		t.Fatalf("failed: %+v", res.Outcomes)
	}
	var ran, skipped int
	for _, o := range res.Outcomes {
		switch {
		case o.Status == "passed":
			ran++
		case o.Status == "skipped" && o.Reason != "":
			skipped++
		default:
			t.Errorf("%s: %s %q", o.Scenario, o.Status, o.Reason)
		}
	}
	if ran != 1 || skipped != 18 {
		t.Errorf("%d ran, %d skipped; want only the read-only 403 scenario to run", ran, skipped)
	}
	if o := outcome(t, res, testSite, referenceExample); !strings.Contains(o.Reason, "no --sandbox-org") {
		t.Errorf("skip reason %q", o.Reason)
	}
	if o := outcome(t, res, testSite, `Get HAMR organization connection returns "Not Found" response`); !strings.Contains(o.Reason, "only the local sandbox") {
		t.Errorf("skip reason %q", o.Reason)
	}
	var out bytes.Buffer
	cfg.Output = &out
	mustRun(t, cfg)
	if !strings.Contains(out.String(), "Skipped 18 scenario runs") || !strings.Contains(out.String(), "no --sandbox-org") {
		t.Errorf("the run does not list what it skipped and why:\n%s", out.String())
	}
	if _, err := directClient(t, d).GetHamrOrgConnection(context.Background()); err == nil {
		t.Error("a connection was created without --sandbox-org")
	}
}

func TestWithoutAConnectionToRestoreMutatingScenariosRefuse(t *testing.T) {
	d, cfg := standIn(t)
	cfg.SandboxOrg = sandbox.DefaultOrgID
	res := mustRun(t, cfg)
	if o := outcome(t, res, testSite, referenceExample); o.Status != "skipped" || !strings.Contains(o.Reason, "--allow-create") {
		t.Errorf("%s %q", o.Status, o.Reason)
	}
	if _, err := directClient(t, d).GetHamrOrgConnection(context.Background()); err == nil {
		t.Error("a connection was created without --allow-create")
	}

	cfg.AllowCreate = true
	res = mustRun(t, cfg)
	if o := outcome(t, res, testSite, referenceExample); o.Status != "passed" {
		t.Errorf("with --allow-create: %s %q", o.Status, o.Reason)
	}
}

func TestKeysOfAnotherOrgAreRefused(t *testing.T) {
	d, cfg := standIn(t)
	if _, err := directClient(t, d).CreateHamrOrgConnection(context.Background(), original); err != nil {
		t.Fatal(err)
	}
	cfg.SandboxOrg = "11111111-2222-4333-8444-555555555555"
	res := mustRun(t, cfg)
	if o := outcome(t, res, testSite, referenceExample); o.Status != "skipped" || !strings.Contains(o.Reason, "belong to organization "+sandbox.DefaultOrgID) {
		t.Errorf("%s %q", o.Status, o.Reason)
	}
	assertUnchanged(t, directClient(t, d))
}

func TestMutatingScenariosRestoreTheConnection(t *testing.T) {
	d, cfg := standIn(t)
	c := directClient(t, d)
	if _, err := c.CreateHamrOrgConnection(context.Background(), original); err != nil {
		t.Fatal(err)
	}
	cfg.SandboxOrg = sandbox.DefaultOrgID
	res := mustRun(t, cfg)
	if o := outcome(t, res, testSite, referenceExample); o.Status != "passed" {
		t.Fatalf("%s %q", o.Status, o.Reason)
	}
	assertUnchanged(t, c)
}

const failingMutation = `Feature: a mutating scenario that fails
  @mutating
  Scenario: it sets RECOVERY, then expects the wrong status
    Given a valid "apiKeyAuth" key in the system
    And a valid "appKeyAuth" key in the system
    And new "CreateHamrOrgConnection" request
    And body with value {"data": {"attributes": {"hamr_status": 5, "is_primary": true, "modified_by": "suite", "target_org_datacenter": "us1", "target_org_name": "Temporary", "target_org_uuid": "x"}, "id": "{{ org_id }}", "type": "hamr_org_connections"}}
    When the request is sent
    Then the response "data.attributes.hamr_status" is equal to 3
`

func TestAFailingMutatingScenarioStillRestores(t *testing.T) {
	d, cfg := standIn(t)
	c := directClient(t, d)
	if _, err := c.CreateHamrOrgConnection(context.Background(), original); err != nil {
		t.Fatal(err)
	}
	cfg.SandboxOrg = sandbox.DefaultOrgID
	cfg.Features = fstest.MapFS{"failing.feature": {Data: []byte(failingMutation)}}
	res := mustRun(t, cfg)
	if !res.Failed || res.Outcomes[0].Status != "failed" || !strings.Contains(res.Outcomes[0].Reason, "want 3, got 5") {
		t.Fatalf("the scenario should fail on its assertion: %+v", res.Outcomes)
	}
	assertUnchanged(t, c)
}

const unmarkedPOST = `Feature: a POST in a scenario not tagged @mutating
  Scenario: it creates a fixture
    Given a valid "apiKeyAuth" key in the system
    And a valid "appKeyAuth" key in the system
    And there is a valid "hamr_org_connection" in the system
`

func TestAPOSTFromAnUnmarkedScenarioNeverReachesARealTarget(t *testing.T) {
	d, cfg := standIn(t)
	cfg.SandboxOrg, cfg.AllowCreate = sandbox.DefaultOrgID, true
	cfg.Features = fstest.MapFS{"unmarked.feature": {Data: []byte(unmarkedPOST)}}
	res := mustRun(t, cfg)
	if !res.Failed || !strings.Contains(res.Outcomes[0].Reason, "refusing to POST") {
		t.Fatalf("want the POST refused: %+v", res.Outcomes)
	}
	_, err := directClient(t, d).GetHamrOrgConnection(context.Background())
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound {
		t.Errorf("the POST reached the target: %v", err)
	}
}

func TestKeysPerSiteOverrideTheDefaults(t *testing.T) {
	env := map[string]string{"DD_API_KEY": "a", "DD_APP_KEY": "b", "DD_API_KEY_DATADOGHQ_EU": "eu-a", "DD_APP_KEY_US2_DDOG_GOV_COM": "gov-b"}
	get := func(k string) string { return env[k] }
	if keyFor(get, "DD_API_KEY", "datadoghq.eu") != "eu-a" || keyFor(get, "DD_API_KEY", "datadoghq.com") != "a" || keyFor(get, "DD_APP_KEY", "us2.ddog-gov.com") != "gov-b" {
		t.Error("per-site keys are not read")
	}
	_, err := newTarget(&Config{Mode: Live, Env: func(string) string { return "" }}, "datadoghq.eu", nil)
	if err == nil || !strings.Contains(err.Error(), "DD_API_KEY_DATADOGHQ_EU") {
		t.Errorf("missing keys must say which variables to set: %v", err)
	}
}
