// Package client is a typed, validating client for Datadog's HAMR API.
//
//	c, err := client.New(client.WithSite("datadoghq.eu"))
//	conn, err := c.GetHamrOrgConnection(ctx)
//
// It wraps the client that oapi-codegen generates from openapi/hamr.yaml (in
// gen/) with what the generated code lacks: site selection, authentication,
// bounded retries, typed errors, and validation of every request and response
// against the same fragment.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"time"

	"github.com/hamr-go/hamr/gen"
	"github.com/hamr-go/hamr/openapi"
	"github.com/hamr-go/hamr/validate"
)

// Version is this toolkit's version, sent in the User-Agent.
const Version = "0.1.0"

const defaultTimeout = 30 * time.Second // per attempt

// Client calls the HAMR API on one site (or base URL). It is safe for
// concurrent use.
type Client struct {
	api     *gen.Client
	site    string // "" when WithBaseURL was used
	baseURL string
	auth    string // the kind of credentials, for String(); never the keys
}

// New builds a Client. With no options it talks to $DD_SITE (else
// datadoghq.com) with $DD_API_KEY and $DD_APP_KEY.
func New(opts ...Option) (*Client, error) {
	s := settings{
		site:             os.Getenv("DD_SITE"),
		creds:            credentials{apiKey: os.Getenv("DD_API_KEY"), appKey: os.Getenv("DD_APP_KEY")},
		retry:            DefaultRetryPolicy(),
		validateRequests: true,
	}
	s.siteFromEnv = s.site != ""
	if s.site == "" {
		s.site = openapi.DefaultSite
	}
	for _, opt := range opts {
		if err := opt(&s); err != nil {
			return nil, err
		}
	}
	if err := s.creds.check(); err != nil {
		return nil, fmt.Errorf("hamr: %w", err)
	}
	baseURL, site, err := s.resolveBaseURL()
	if err != nil {
		return nil, err
	}
	validator, err := validate.Default()
	if err != nil {
		return nil, err
	}
	if s.retry.MaxAttempts < 1 {
		return nil, fmt.Errorf("hamr: RetryPolicy.MaxAttempts is %d: it counts the first attempt, so use 1 for no retries", s.retry.MaxAttempts)
	}
	if s.retry.MaxElapsed <= 0 {
		return nil, fmt.Errorf("hamr: RetryPolicy.MaxElapsed must be positive: it bounds the whole call")
	}

	doer := &validatingDoer{
		validator:        validator,
		retrying:         s.retry.newRetryingClient(s.perAttemptClient()),
		maxElapsed:       s.retry.MaxElapsed,
		validateRequests: s.validateRequests,
	}
	userAgent := fmt.Sprintf("hamr-go/%s (%s; %s/%s)", Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if s.userAgent != "" {
		userAgent += " " + s.userAgent
	}
	api, err := gen.NewClient(baseURL,
		gen.WithHTTPClient(doer),
		gen.WithRequestEditorFn(s.creds.authorize),
		gen.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("User-Agent", userAgent)
			req.Header.Set("Accept", "application/json")
			return nil
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("hamr: %w", err)
	}
	return &Client{api: api, site: site, baseURL: baseURL, auth: s.creds.kind()}, nil
}

func (s *settings) resolveBaseURL() (baseURL, site string, err error) {
	if s.baseURL != "" {
		u, err := url.Parse(s.baseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return "", "", fmt.Errorf("hamr: base URL %q is not an http(s) URL with a host, such as http://127.0.0.1:8080", s.baseURL)
		}
		return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String(), "", nil
	}
	host, err := openapi.APIHost(s.site)
	if err != nil {
		if s.siteFromEnv {
			return "", "", fmt.Errorf("hamr: DD_SITE: %w", err)
		}
		return "", "", fmt.Errorf("hamr: %w", err)
	}
	return "https://" + host, s.site, nil
}

func (s *settings) perAttemptClient() *http.Client {
	c := &http.Client{}
	if s.httpClient != nil {
		copied := *s.httpClient
		c = &copied
	}
	if s.timeout > 0 {
		c.Timeout = s.timeout
	} else if c.Timeout == 0 {
		c.Timeout = defaultTimeout
	}
	return c
}

// Site is the Datadog site this client talks to, "" for an explicit base URL.
func (c *Client) Site() string { return c.site }

// BaseURL is where requests go, such as https://api.datadoghq.eu.
func (c *Client) BaseURL() string { return c.baseURL }

// String describes the client without its credentials.
func (c *Client) String() string {
	return fmt.Sprintf("hamr.Client{url: %s, auth: %s}", c.baseURL, c.auth)
}

// GoString keeps %#v from printing the credentials held inside.
func (c *Client) GoString() string { return c.String() }

// GetHamrOrgConnection reads the authenticated organization's HAMR connection.
// An organization without one answers 404: an *APIError with StatusCode 404.
func (c *Client) GetHamrOrgConnection(ctx context.Context) (*gen.HamrOrgConnectionResponse, error) {
	resp, err := c.api.GetHamrOrgConnection(ctx)
	return decode(resp, err)
}

// CreateHamrOrgConnection creates or updates the authenticated organization's
// HAMR connection. body.Data.Id must be that organization's UUID. A body that
// breaks the fragment (say, an unknown status) is refused before sending.
func (c *Client) CreateHamrOrgConnection(ctx context.Context, body gen.HamrOrgConnectionRequest) (*gen.HamrOrgConnectionResponse, error) {
	resp, err := c.api.CreateHamrOrgConnection(ctx, body)
	return decode(resp, err)
}

// CreateHamrOrgConnectionWithBody sends a raw JSON body. It exists for tools
// (the contract suite) that must send what the typed call cannot express.
func (c *Client) CreateHamrOrgConnectionWithBody(ctx context.Context, contentType string, body []byte) (*gen.HamrOrgConnectionResponse, error) {
	resp, err := c.api.CreateHamrOrgConnectionWithBody(ctx, contentType, bytes.NewReader(body))
	return decode(resp, err)
}

// decode turns a validated exchange into the typed answer or an *APIError.
func decode(resp *http.Response, err error) (*gen.HamrOrgConnectionResponse, error) {
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body) // already in memory: the doer buffered it
	if err != nil {
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, newAPIError(resp.Request, resp, body)
	}
	var out gen.HamrOrgConnectionResponse
	if err := json.Unmarshal(body, &out); err != nil {
		// Cannot happen for a body that passed validation; say so if it does.
		return nil, fmt.Errorf("hamr: %s %s: decoding a validated answer: %w", resp.Request.Method, safeURL(resp.Request.URL), err)
	}
	return &out, nil
}
