package openapi

import (
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

func TestDocumentLoadsAndValidates(t *testing.T) {
	doc, err := Document()
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range []struct{ method, id string }{{"GET", "GetHamrOrgConnection"}, {"POST", "CreateHamrOrgConnection"}} {
		got := doc.Paths.Find("/api/v2/hamr").GetOperation(op.method)
		if got == nil || got.OperationID != op.id {
			t.Errorf("%s /api/v2/hamr: want operationId %s, got %+v", op.method, op.id, got)
		}
	}
	again, _ := Document()
	if again != doc {
		t.Error("Document loaded the fragment twice; it must be loaded once and shared")
	}
}

func TestDocumentedResponses(t *testing.T) {
	doc := MustDocument()
	want := map[string][]string{
		"POST": {"200", "400", "403", "429", "500"},
		"GET":  {"200", "400", "403", "404", "429"},
	}
	for method, codes := range want {
		op := doc.Paths.Find("/api/v2/hamr").GetOperation(method)
		if got := op.Responses.Len(); got != len(codes) {
			t.Errorf("%s documents %d responses, want %d", method, got, len(codes))
		}
		for _, code := range codes {
			if op.Responses.Value(code) == nil {
				t.Errorf("%s does not document %s", method, code)
			}
		}
		tooMany := op.Responses.Value("429").Value
		for _, h := range []string{"X-RateLimit-Limit", "X-RateLimit-Period", "X-RateLimit-Remaining", "X-RateLimit-Reset", "X-RateLimit-Name"} {
			if tooMany.Headers[h] == nil {
				t.Errorf("%s 429 does not declare header %s", method, h)
			}
		}
	}
}

func TestSites(t *testing.T) {
	sites, err := Sites()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"datadoghq.com", "us3.datadoghq.com", "us5.datadoghq.com", "ap1.datadoghq.com",
		"ap2.datadoghq.com", "datadoghq.eu", "ddog-gov.com", "us2.ddog-gov.com"}
	if strings.Join(sites, " ") != strings.Join(want, " ") {
		t.Fatalf("sites = %v, want %v", sites, want)
	}
	sites[0] = "mutated"
	if again, _ := Sites(); again[0] != "datadoghq.com" {
		t.Error("Sites returned the document's own slice; callers could change the fragment")
	}
}

func TestAPIHostAndCheckSite(t *testing.T) {
	host, err := APIHost("datadoghq.eu")
	if err != nil || host != "api.datadoghq.eu" {
		t.Fatalf("APIHost(datadoghq.eu) = %q, %v", host, err)
	}
	err = CheckSite("datadoghq.moon")
	if err == nil || !strings.Contains(err.Error(), "datadoghq.moon") || !strings.Contains(err.Error(), "us2.ddog-gov.com") {
		t.Fatalf("CheckSite of an unknown site must name it and list the valid ones, got %v", err)
	}
	if _, err := APIHost("app.datadoghq.com"); err == nil {
		t.Error("APIHost accepted the web app host app.datadoghq.com as a site")
	}
}

func TestSitesOfDocumentWithoutEnum(t *testing.T) {
	if _, err := sitesOf(&openapi3.T{}); err == nil {
		t.Error("a document without a site enum must be an error, not an empty list")
	}
}

func TestStatusEnumAndVarnames(t *testing.T) {
	status := MustDocument().Components.Schemas["HamrOrgConnectionStatus"].Value
	if len(status.Enum) != 6 {
		t.Fatalf("HamrOrgConnectionStatus enum has %d values, want 6 (0..5)", len(status.Enum))
	}
	names, _ := status.Extensions["x-enum-varnames"].([]any)
	if len(names) != 6 || names[3] != "FAILOVER" {
		t.Errorf("x-enum-varnames = %v", names)
	}
}
