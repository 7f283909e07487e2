package steps

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/hamr-go/hamr/client"
	"github.com/hamr-go/hamr/gen"
)

// A setting change here can move a company's monitoring to another region.
// On a real target, scenarios that POST (@mutating) run only when:
//   - --sandbox-org names the org the keys belong to (checked with a GET);
//   - there is a connection to restore afterwards, or --allow-create says
//     that leaving one behind is fine (the API has no DELETE).
// Each such scenario snapshots the connection first and restores it after,
// also when it fails, and checks that the restore took.

// checkSafety decides, once per site before any scenario, whether mutating
// scenarios may run there, and why not.
func (r *siteRun) checkSafety(ctx context.Context, cfg *Config) error {
	t := r.target
	if !t.real() {
		r.mutatingAllowed = true
		return nil
	}
	if cfg.SandboxOrg == "" {
		r.mutatingRefusal = "no --sandbox-org: scenarios that POST would change a real organization"
		return nil
	}
	c, err := r.newSafetyClient()
	if err != nil {
		return err
	}
	r.safetyClient = c
	conn, err := c.GetHamrOrgConnection(ctx)
	var apiErr *client.APIError
	switch {
	case err == nil && conn.Data.Id == cfg.SandboxOrg:
		r.mutatingAllowed = true
	case err == nil:
		r.mutatingRefusal = fmt.Sprintf("the keys for %s belong to organization %s, not to --sandbox-org %s", t.Site, conn.Data.Id, cfg.SandboxOrg)
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound && cfg.AllowCreate:
		// Nothing tells whose keys these are; the API itself refuses a POST
		// whose data.id is not the caller's org, and every mutating
		// scenario sends --sandbox-org as data.id.
		r.mutatingAllowed = true
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound:
		r.mutatingRefusal = "the organization has no HAMR connection to restore afterwards, and the API has no DELETE: pass --allow-create to let the suite create one and leave it"
	default:
		return fmt.Errorf("safety check on %s (GET the connection): %w", t.Site, err)
	}
	return nil
}

func (r *siteRun) newSafetyClient() (*client.Client, error) {
	t := r.target
	base := t.APIHost
	if t.url != nil {
		base = t.url.String()
	}
	return client.New(client.WithBaseURL(base), client.WithAPIKeys(t.apiKey, t.appKey), client.WithTimeout(30*time.Second))
}

// snapshot is a real org's connection before a mutating scenario; nil
// connection means there was none.
type snapshot struct {
	connection *gen.HamrOrgConnectionResponse
}

func (r *siteRun) takeSnapshot(ctx context.Context) (*snapshot, error) {
	conn, err := r.safetyClient.GetHamrOrgConnection(ctx)
	var apiErr *client.APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
		return &snapshot{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("snapshot before a mutating scenario: %w", err)
	}
	return &snapshot{connection: conn}, nil
}

// restore puts the snapshot back and checks it took. With no connection
// before, there is nothing to restore to: the run was allowed to create one.
func (r *siteRun) restore(ctx context.Context, snap *snapshot) error {
	if snap == nil || snap.connection == nil {
		return nil
	}
	before := snap.connection.Data
	attrs := before.Attributes
	_, err := r.safetyClient.CreateHamrOrgConnection(ctx, gen.HamrOrgConnectionRequest{Data: gen.HamrOrgConnectionDataRequest{
		Id:   before.Id,
		Type: before.Type,
		Attributes: gen.HamrOrgConnectionAttributesRequest{
			HamrStatus:          attrs.HamrStatus,
			IsPrimary:           attrs.IsPrimary,
			ModifiedBy:          attrs.ModifiedBy,
			TargetOrgDatacenter: attrs.TargetOrgDatacenter,
			TargetOrgName:       attrs.TargetOrgName,
			TargetOrgUuid:       attrs.TargetOrgUuid,
		},
	}})
	if err != nil {
		return fmt.Errorf("RESTORE FAILED on %s: the HAMR connection may differ from before the scenario (%+v): %w", r.target.Site, attrs, err)
	}
	now, err := r.safetyClient.GetHamrOrgConnection(ctx)
	if err != nil {
		return fmt.Errorf("RESTORE UNVERIFIED on %s: %w", r.target.Site, err)
	}
	got := now.Data.Attributes
	if got.HamrStatus != attrs.HamrStatus || got.IsPrimary != attrs.IsPrimary || got.ModifiedBy != attrs.ModifiedBy ||
		got.TargetOrgDatacenter != attrs.TargetOrgDatacenter || got.TargetOrgName != attrs.TargetOrgName || got.TargetOrgUuid != attrs.TargetOrgUuid {
		return fmt.Errorf("RESTORE DID NOT TAKE on %s: want %+v, the API now has %+v", r.target.Site, attrs, got)
	}
	return nil
}
