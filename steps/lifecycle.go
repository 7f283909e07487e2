package steps

import (
	"context"
	"errors"
	"fmt"

	"github.com/cucumber/godog"
)

// Tags with a meaning to the harness.
const (
	tagMutating      = "@mutating"        // POSTs: guarded on real targets
	tagNeedsFreshOrg = "@needs-fresh-org" // needs an org without a connection: only the sandbox gives one
	tagRateLimited   = "@rate-limited"    // needs a target that can be made to rate-limit: the sandbox
)

func (r *run) initScenario(sc *godog.ScenarioContext) {
	sc.Before(r.beforeScenario)
	sc.After(r.afterScenario)
	registerSteps(sc)
}

func (r *run) beforeScenario(ctx context.Context, sc *godog.Scenario) (context.Context, error) {
	siteName, feature := siteAndFeature(sc.Uri)
	site := r.sites[siteName]
	if site == nil {
		return ctx, fmt.Errorf("feature %s names no configured site", sc.Uri)
	}
	t := site.target
	s := &scenario{
		site: site, name: sc.Name, feature: feature,
		mutating: hasTag(sc, tagMutating),
		apiKey:   t.apiKey, appKey: t.appKey,
		values:   map[string]string{"org_id": t.orgID, "other_org_id": otherOrgID},
		fixtures: map[string]any{},
	}
	ctx = withScenario(ctx, s)
	outcome := Outcome{Site: siteName, Feature: feature, Scenario: sc.Name}

	if reason := r.skipReason(sc, site, s); reason != "" {
		outcome.Status, outcome.Reason = "skipped", reason
		r.setOutcome(outcome)
		s.skipped = true
		return ctx, godog.ErrSkip
	}
	if err := r.connect(s); err != nil {
		return ctx, err
	}
	if s.mutating && t.real() {
		snap, err := site.takeSnapshot(ctx)
		if err != nil {
			return ctx, err
		}
		s.snapshot = snap
	}
	return ctx, nil
}

// skipReason says why a scenario cannot run on this site, or "".
func (r *run) skipReason(sc *godog.Scenario, site *siteRun, s *scenario) string {
	t := site.target
	switch {
	case t.real() && hasTag(sc, tagNeedsFreshOrg):
		return "needs an organization without a HAMR connection; the API has no DELETE, so only the local sandbox (--sandbox) or a recording gives one"
	case t.real() && hasTag(sc, tagRateLimited):
		return "needs a target that can be made to rate-limit on demand: only the local sandbox (--sandbox) or a recording"
	case s.mutating && !site.mutatingAllowed:
		return site.mutatingRefusal
	}
	return ""
}

// connect builds the scenario's transport: the harness always, then the
// recorder (replay, record) or the target itself (live).
func (r *run) connect(s *scenario) error {
	t := s.site.target
	next := t.transport()
	if r.cfg.Mode != Live {
		scrub := &scrubber{secrets: t.secrets(), orgID: t.orgID, redacted: "REDACTED"}
		rec, err := newRecorder(r.cfg.Mode, r.cassettes, r.cfg.Cassettes, cassetteName(t.Site, s.feature, s.name), next, scrub)
		if err != nil {
			return fmt.Errorf("site %s, scenario %q: %w", t.Site, s.name, err)
		}
		s.closers = append(s.closers, rec.Stop) // in record, Stop writes the cassette
		next = rec
	}
	s.transport = &harness{validator: r.validator, scenario: s, next: next}
	return nil
}

func (r *run) afterScenario(ctx context.Context, sc *godog.Scenario, stepErr error) (context.Context, error) {
	s := scenarioFrom(ctx)
	if s == nil || s.skipped {
		return ctx, stepErr
	}
	errs := []error{stepErr}
	if errors.Is(stepErr, godog.ErrSkip) {
		errs = nil
	}
	// Every exchange is held to the fragment, whether a step asked or not.
	for _, e := range s.exchanges {
		if e.checked {
			continue
		}
		errs = append(errs, s.checkExchange(e))
	}
	if s.snapshot != nil {
		errs = append(errs, s.site.restore(context.WithoutCancel(ctx), s.snapshot))
	}
	if s.site.target.sandbox != nil && s.changedRateLimit {
		errs = append(errs, s.site.target.sandbox.SetRateLimit(0, 0))
	}
	for _, closeFn := range s.closers {
		errs = append(errs, closeFn())
	}
	r.addWarnings(s.site.target.Site, s.warnings)

	err := errors.Join(errs...)
	outcome := Outcome{Site: s.site.target.Site, Feature: s.feature, Scenario: s.name, Status: "passed"}
	if err != nil {
		outcome.Status, outcome.Reason = "failed", err.Error()
	}
	r.setOutcome(outcome)
	return ctx, err
}
