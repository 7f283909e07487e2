package client

import (
	"net/http"
	"time"
)

// Option configures a Client. Options are applied in order; a later option
// overrides an earlier one.
type Option func(*settings) error

// settings is what New builds a Client from.
type settings struct {
	site             string // a Datadog site from the fragment's servers enum
	siteFromEnv      bool   // site came from DD_SITE, for a clearer error
	baseURL          string // overrides site: the local sandbox, a proxy
	creds            credentials
	httpClient       *http.Client // the per-attempt client; its Timeout is the per-attempt timeout
	timeout          time.Duration
	retry            RetryPolicy
	userAgent        string
	validateRequests bool
}

// WithSite selects a Datadog site by name, such as "datadoghq.eu". The default
// is $DD_SITE, else "datadoghq.com". An unknown site makes New fail with the
// list of valid ones.
func WithSite(site string) Option {
	return func(s *settings) error { s.site, s.siteFromEnv = site, false; return nil }
}

// WithBaseURL sends requests to an explicit base URL (scheme and host, such as
// the local sandbox's http://127.0.0.1:PORT) instead of a site's API host.
func WithBaseURL(baseURL string) Option {
	return func(s *settings) error { s.baseURL = baseURL; return nil }
}

// WithAPIKeys authenticates with a Datadog API key and application key, sent
// as DD-API-KEY and DD-APPLICATION-KEY. The default is $DD_API_KEY and
// $DD_APP_KEY.
func WithAPIKeys(apiKey, appKey string) Option {
	return func(s *settings) error { s.creds = credentials{apiKey: apiKey, appKey: appKey}; return nil }
}

// WithBearerToken authenticates with an OAuth access token or delegated token,
// sent as `Authorization: Bearer <token>`, instead of API and application keys.
func WithBearerToken(token string) Option {
	return func(s *settings) error { s.creds = credentials{bearer: token}; return nil }
}

// WithHTTPClient sets the http.Client used for each attempt (its Transport is
// where a proxy or a recorder goes). Its Timeout, if set, is the per-attempt
// timeout unless WithTimeout is also given.
func WithHTTPClient(c *http.Client) Option {
	return func(s *settings) error { s.httpClient = c; return nil }
}

// WithTimeout bounds each attempt (default 30s). The whole call, retries
// included, is bounded by RetryPolicy.MaxElapsed.
func WithTimeout(d time.Duration) Option {
	return func(s *settings) error { s.timeout = d; return nil }
}

// WithRetryPolicy replaces the default retry policy.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(s *settings) error { s.retry = p; return nil }
}

// WithoutRetries makes every call a single attempt.
func WithoutRetries() Option {
	return func(s *settings) error { s.retry.MaxAttempts = 1; return nil }
}

// WithUserAgent appends a product token to the toolkit's User-Agent, such as
// "my-failover-tool/1.2".
func WithUserAgent(product string) Option {
	return func(s *settings) error { s.userAgent = product; return nil }
}

// WithoutRequestValidation lets requests that break the fragment leave the
// process. Only the contract suite needs this, to check that the API itself
// rejects them; responses are still validated.
func WithoutRequestValidation() Option {
	return func(s *settings) error { s.validateRequests = false; return nil }
}
