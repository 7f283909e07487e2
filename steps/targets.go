package steps

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/hamr-go/hamr/client"
	"github.com/hamr-go/hamr/openapi"
	"github.com/hamr-go/hamr/sandbox"
)

// recordedOrgID stands for the org in every recording: a real org's UUID is
// replaced by it when recording, and replay acts as that org.
const recordedOrgID = sandbox.DefaultOrgID

// otherOrgID is an org that is never the caller's, for the 403 scenario.
const otherOrgID = "9a1f6b0e-5c3d-4e2f-8a7b-000000000403"

// recordedFromHeader marks every answer recorded from the local sandbox, so a
// recording can never pass for one made against Datadog.
const recordedFromHeader = "X-Hamr-Recorded-From"

type targetKind int

const (
	targetReplay  targetKind = iota // answers come from recordings
	targetSandbox                   // the in-process sandbox: ours to mutate
	targetReal                      // a Datadog site, or a URL standing for one
)

// target is where one site's scenarios go.
type target struct {
	Site    string
	APIHost string // https://api.<site>: what the client calls and recordings show
	kind    targetKind
	url     *url.URL // where requests really go, when not APIHost
	sandbox *sandbox.Server

	apiKey, appKey string
	orgID          string // the org mutating scenarios act on
}

func (t *target) real() bool { return t.kind == targetReal }

// transport is what a request goes through below the recorder.
func (t *target) transport() http.RoundTripper {
	if t.url == nil {
		return http.DefaultTransport
	}
	return &redirect{to: t.url, next: http.DefaultTransport, mark: t.kind == targetSandbox}
}

// redirect sends a request for https://api.<site> to another base URL (the
// sandbox, a proxy) while the layers above, the recorder among them, keep
// seeing the site's real host, as Datadog's own recordings do.
type redirect struct {
	to   *url.URL
	next http.RoundTripper
	mark bool // add X-Hamr-Recorded-From: local-sandbox to every answer
}

func (r *redirect) RoundTrip(req *http.Request) (*http.Response, error) {
	out := req.Clone(req.Context())
	out.URL.Scheme, out.URL.Host, out.Host = r.to.Scheme, r.to.Host, ""
	resp, err := r.next.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	if r.mark {
		resp.Header.Set(recordedFromHeader, "local-sandbox")
	}
	resp.Request = req
	return resp, nil
}

// siteRun is one site's part of a run.
type siteRun struct {
	target    *target
	cfgStrict bool // --strict: undeclared response members fail

	// Set by the safety check before any scenario runs.
	mutatingAllowed bool
	mutatingRefusal string // why mutating scenarios are skipped here
	safetyClient    *client.Client
}

// keyFor reads a key: DD_API_KEY_<SITE> (the site upper-cased, with . and -
// as _) overrides DD_API_KEY for one site; likewise DD_APP_KEY.
func keyFor(env func(string) string, name, site string) string {
	if v := env(perSiteName(name, site)); v != "" {
		return v
	}
	return env(name)
}

// perSiteName is DD_API_KEY_DATADOGHQ_EU for ("DD_API_KEY", "datadoghq.eu").
func perSiteName(name, site string) string {
	return name + "_" + strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(site))
}

// newTarget resolves where a site's scenarios go, and with which keys.
func newTarget(cfg *Config, site string, sandboxes sandbox.Deployments) (*target, error) {
	host, err := openapi.APIHost(site)
	if err != nil {
		return nil, err
	}
	t := &target{Site: site, APIHost: "https://" + host}
	switch {
	case cfg.Mode == Replay:
		// Nothing is sent; the client still needs keys to build requests.
		t.kind, t.apiKey, t.appKey, t.orgID = targetReplay, "replay-api-key", "replay-app-key", recordedOrgID
	case cfg.Sandbox:
		d := sandboxes.Site(site)
		t.kind, t.sandbox, t.orgID = targetSandbox, d.Server, recordedOrgID
		t.url, _ = url.Parse(d.URL)
		org := d.Server.Orgs()[0]
		t.apiKey, t.appKey = org.APIKey, org.AppKey
	default:
		t.kind, t.orgID = targetReal, cfg.SandboxOrg
		t.apiKey, t.appKey = keyFor(cfg.Env, "DD_API_KEY", site), keyFor(cfg.Env, "DD_APP_KEY", site)
		if t.apiKey == "" || t.appKey == "" {
			return nil, fmt.Errorf("no keys for %s: set DD_API_KEY and DD_APP_KEY (or %s and %s), or use --sandbox or --mode replay",
				site, perSiteName("DD_API_KEY", site), perSiteName("DD_APP_KEY", site))
		}
		if override := cfg.BaseURLs[site]; override != "" {
			if t.url, err = url.Parse(override); err != nil {
				return nil, fmt.Errorf("base URL for %s: %w", site, err)
			}
		}
	}
	return t, nil
}

// secrets are the strings no recording, report or log may contain.
func (t *target) secrets() []string {
	var out []string
	for _, s := range []string{t.apiKey, t.appKey} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
