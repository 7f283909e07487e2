package sandbox

import (
	"context"
	"strings"
	"testing"

	"github.com/DataDog/datadog-api-client-go/v2/api/datadog"
	"github.com/DataDog/datadog-api-client-go/v2/api/datadogV2"
)

// Datadog's own Go client must work against the sandbox unchanged: only its
// documented configuration (server index 1, "{protocol}://{name}") points it
// at the loopback address. This is why the module requires
// datadog-api-client-go; nothing outside this test imports it.
func TestDatadogsOwnClientWorksUnchanged(t *testing.T) {
	_, srv := newSandbox(t, Config{})
	cfg := datadog.NewConfiguration()
	cfg.SetUnstableOperationEnabled("v2.GetHamrOrgConnection", true)
	cfg.SetUnstableOperationEnabled("v2.CreateHamrOrgConnection", true)
	api := datadogV2.NewHighAvailabilityMultiRegionApi(datadog.NewAPIClient(cfg))

	ctx := context.WithValue(context.Background(), datadog.ContextAPIKeys, map[string]datadog.APIKey{
		"apiKeyAuth": {Key: DevAPIKey},
		"appKeyAuth": {Key: DevAppKey},
	})
	ctx = context.WithValue(ctx, datadog.ContextServerIndex, 1)
	ctx = context.WithValue(ctx, datadog.ContextServerVariables, map[string]string{
		"protocol": "http",
		"name":     strings.TrimPrefix(srv.URL, "http://"),
	})

	_, resp, err := api.GetHamrOrgConnection(ctx)
	if err == nil || resp == nil || resp.StatusCode != 404 {
		t.Fatalf("GET on a fresh org: want 404, got %v, %v", resp, err)
	}

	body := datadogV2.HamrOrgConnectionRequest{Data: datadogV2.HamrOrgConnectionDataRequest{
		Attributes: datadogV2.HamrOrgConnectionAttributesRequest{
			HamrStatus:          datadogV2.HAMRORGCONNECTIONSTATUS_ACTIVE,
			IsPrimary:           true,
			ModifiedBy:          "admin@example.com",
			TargetOrgDatacenter: "us1",
			TargetOrgName:       "Production Backup Org",
			TargetOrgUuid:       "660f9511-f3ac-52e5-b827-557766551111",
		},
		Id:   DefaultOrgID,
		Type: datadogV2.HAMRORGCONNECTIONTYPE_HAMR_ORG_CONNECTIONS,
	}}
	created, _, err := api.CreateHamrOrgConnection(ctx, body)
	if err != nil {
		t.Fatalf("CreateHamrOrgConnection: %v", err)
	}
	if created.UnparsedObject != nil || created.Data.Attributes.HamrStatus != datadogV2.HAMRORGCONNECTIONSTATUS_ACTIVE {
		t.Fatalf("Datadog's client did not parse the answer: %+v", created)
	}
	got, _, err := api.GetHamrOrgConnection(ctx)
	if err != nil || got.Data.Id != DefaultOrgID || got.Data.Attributes.ModifiedAt != created.Data.Attributes.ModifiedAt {
		t.Fatalf("GetHamrOrgConnection after create: %+v, %v", got, err)
	}
}
