package steps

import (
	"context"
	"net/http"
	"strings"

	"github.com/cucumber/godog"
)

// scenario is one scenario's state on one site. It travels in the context,
// so scenarios can run concurrently without sharing anything but their site.
type scenario struct {
	site     *siteRun
	name     string
	feature  string // the feature file's base name, for the recording's path
	mutating bool

	apiKey, appKey string
	operation      string // "GetHamrOrgConnection" or "CreateHamrOrgConnection"
	body           []byte
	hasBody        bool

	values   map[string]string // template values: {{ org_id }}, saved responses
	fixtures map[string]any    // "hamr_org_connection" → its decoded response

	transport http.RoundTripper // validating harness → recorder → target
	closers   []func() error    // run after the scenario (stop the recorder, ...)

	// A scenario runs on one goroutine (http.Client calls the harness
	// synchronously), so none of this needs a lock.
	exchanges []*exchange // every exchange, validated
	last      *exchange   // the answer of the last "the request is sent"
	warnings  []string
	snapshot  *snapshot // what a real org had before a mutating scenario

	skipped          bool // refused before it started; the reason is in the outcome
	changedRateLimit bool // set the sandbox's rate limit: turn it off afterwards
}

type scenarioKey struct{}

func withScenario(ctx context.Context, s *scenario) context.Context {
	return context.WithValue(ctx, scenarioKey{}, s)
}

func scenarioFrom(ctx context.Context) *scenario {
	s, _ := ctx.Value(scenarioKey{}).(*scenario)
	return s
}

func hasTag(sc *godog.Scenario, tag string) bool {
	for _, t := range sc.Tags {
		if t.Name == tag {
			return true
		}
	}
	return false
}

// render replaces {{ name }} with the scenario's values.
func (s *scenario) render(text string) string {
	for name, value := range s.values {
		text = strings.ReplaceAll(text, "{{ "+name+" }}", value)
	}
	return text
}

// checkExchange holds one exchange to the fragment (exchange.check) and
// keeps its warnings. Every exchange goes through here once: at the step
// that sent it, or when the scenario ends.
func (s *scenario) checkExchange(e *exchange) error {
	warnings, err := e.check(s.site.cfgStrict)
	s.warnings = append(s.warnings, warnings...)
	return err
}
