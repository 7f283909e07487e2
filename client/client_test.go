package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hamr-go/hamr/gen"
	"github.com/hamr-go/hamr/openapi"
	"github.com/hamr-go/hamr/validate"
)

const (
	testAPIKey = "test-api-key-0123456789abcdef"
	testAppKey = "test-app-key-fedcba9876543210"
	orgID      = "550e8400-e29b-41d4-a716-446655440000"
)

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// exampleRequest is the reference's example request, built with the generated types.
func exampleRequest() gen.HamrOrgConnectionRequest {
	return gen.HamrOrgConnectionRequest{Data: gen.HamrOrgConnectionDataRequest{
		Attributes: gen.HamrOrgConnectionAttributesRequest{
			HamrStatus:          gen.HamrOrgConnectionStatusACTIVE,
			IsPrimary:           true,
			ModifiedBy:          "admin@example.com",
			TargetOrgDatacenter: "us1",
			TargetOrgName:       "Production Backup Org",
			TargetOrgUuid:       "660f9511-f3ac-52e5-b827-557766551111",
		},
		Id:   orgID,
		Type: gen.HamrOrgConnectionTypeHAMRORGCONNECTIONS,
	}}
}

// handlerFunc answers one request; server counts them.
type server struct {
	*httptest.Server
	requests atomic.Int32
	mu       sync.Mutex
	last     *http.Request
}

// setup returns a client wired to an httptest server running handler. Retries
// use tiny backoffs so tests stay fast; rate-limit waits are real seconds.
func setup(t testing.TB, handler http.HandlerFunc, opts ...Option) (*Client, *server) {
	t.Helper()
	srv := &server{}
	srv.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		srv.requests.Add(1)
		srv.mu.Lock()
		srv.last = r.Clone(context.Background())
		srv.mu.Unlock()
		handler(w, r)
	}))
	t.Cleanup(srv.Close)
	policy := DefaultRetryPolicy()
	policy.MinBackoff, policy.MaxBackoff = time.Millisecond, 4*time.Millisecond
	base := []Option{WithBaseURL(srv.URL), WithAPIKeys(testAPIKey, testAppKey), WithRetryPolicy(policy)}
	c, err := New(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c, srv
}

func reply(status int, body []byte, headers ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}
}

func jsonAPIError(status int, detail string) []byte {
	return fmt.Appendf(nil, `{"errors":[{"status":"%d","title":%q,"detail":%q,"source":{"pointer":"/data/id"}}]}`, status, http.StatusText(status), detail)
}

var rateLimited = []string{"X-RateLimit-Limit", "10", "X-RateLimit-Period", "60", "X-RateLimit-Remaining", "0", "X-RateLimit-Name", "hamr"}

func TestExampleRequestMarshalsToTheReference(t *testing.T) {
	got, err := json.Marshal(exampleRequest())
	if err != nil {
		t.Fatal(err)
	}
	assertJSONEqual(t, got, readTestdata(t, "reference_request.json"))

	// The fragment's own example must say the same as the reference.
	example := openapi.MustDocument().Components.Examples["HamrOrgConnectionRequestExample"].Value.Value
	fromFragment, _ := json.Marshal(example)
	assertJSONEqual(t, fromFragment, readTestdata(t, "reference_request.json"))
}

func TestReferenceResponseDecodes(t *testing.T) {
	var resp gen.HamrOrgConnectionResponse
	if err := json.Unmarshal(readTestdata(t, "reference_response.json"), &resp); err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 1, 13, 17, 26, 48, 830968000, time.UTC)
	if !resp.Data.Attributes.ModifiedAt.Equal(want) || resp.Data.Attributes.HamrStatus != gen.HamrOrgConnectionStatusACTIVE {
		t.Fatalf("decoded %+v", resp.Data.Attributes)
	}
}

func assertJSONEqual(t *testing.T, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("JSON differs:\n got: %s\nwant: %s", got, want)
	}
}

// recordingTransport answers every request with the reference response and
// remembers the requests, so the site URLs can be checked without a network.
type recordingTransport struct {
	mu   sync.Mutex
	reqs []*http.Request
	body []byte
}

func (rt *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	rt.mu.Lock()
	rt.reqs = append(rt.reqs, req)
	rt.mu.Unlock()
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(string(rt.body))), Request: req}, nil
}

func TestEverySiteCallsItsAPIHost(t *testing.T) {
	sites, err := openapi.Sites()
	if err != nil {
		t.Fatal(err)
	}
	if len(sites) != 8 {
		t.Fatalf("want 8 sites, got %d", len(sites))
	}
	for _, site := range sites {
		t.Run(site, func(t *testing.T) {
			t.Parallel()
			rt := &recordingTransport{body: readTestdata(t, "reference_response.json")}
			c, err := New(WithSite(site), WithAPIKeys(testAPIKey, testAppKey), WithHTTPClient(&http.Client{Transport: rt}))
			if err != nil {
				t.Fatal(err)
			}
			if c.Site() != site {
				t.Errorf("Site() = %q", c.Site())
			}
			if _, err := c.GetHamrOrgConnection(context.Background()); err != nil {
				t.Fatal(err)
			}
			if _, err := c.CreateHamrOrgConnection(context.Background(), exampleRequest()); err != nil {
				t.Fatal(err)
			}
			want := "https://api." + site + "/api/v2/hamr"
			for i, method := range []string{"GET", "POST"} {
				if got := rt.reqs[i].URL.String(); got != want || rt.reqs[i].Method != method {
					t.Errorf("request %d: %s %s, want %s %s", i, rt.reqs[i].Method, got, method, want)
				}
			}
		})
	}
}

func TestSiteDefaultsAndErrors(t *testing.T) {
	t.Setenv("DD_API_KEY", testAPIKey)
	t.Setenv("DD_APP_KEY", testAppKey)
	t.Setenv("DD_SITE", "")
	c, err := New()
	if err != nil || c.BaseURL() != "https://api.datadoghq.com" {
		t.Fatalf("default site: %v, %v", c, err)
	}
	t.Setenv("DD_SITE", "ap2.datadoghq.com")
	if c, err = New(); err != nil || c.BaseURL() != "https://api.ap2.datadoghq.com" {
		t.Fatalf("DD_SITE: %v, %v", c, err)
	}
	t.Setenv("DD_SITE", "datadoghq.mars")
	_, err = New()
	if err == nil || !strings.Contains(err.Error(), "DD_SITE") || !strings.Contains(err.Error(), "us5.datadoghq.com") {
		t.Fatalf("an unknown DD_SITE must be named with the valid sites, got %v", err)
	}
	_, err = New(WithSite("app.datadoghq.com"))
	if err == nil || !strings.Contains(err.Error(), "datadoghq.eu") {
		t.Fatalf("an unknown site must list the valid sites, got %v", err)
	}
	if _, err = New(WithBaseURL("127.0.0.1:8080")); err == nil || !strings.Contains(err.Error(), "http://127.0.0.1:8080") {
		t.Fatalf("a base URL without a scheme must be refused with an example, got %v", err)
	}
}

func TestCredentialsAreRequired(t *testing.T) {
	t.Setenv("DD_API_KEY", "")
	t.Setenv("DD_APP_KEY", "")
	if _, err := New(); !errors.Is(err, errNoCredentials) {
		t.Fatalf("want errNoCredentials, got %v", err)
	}
	if _, err := New(WithAPIKeys(testAPIKey, "")); err == nil || !strings.Contains(err.Error(), "DD_APP_KEY") {
		t.Fatalf("a missing application key must say so, got %v", err)
	}
}

func TestKeysAreSentOnBothOperations(t *testing.T) {
	c, srv := setup(t, reply(200, readTestdata(t, "reference_response.json")))
	calls := map[string]func() error{
		"GET":  func() error { _, err := c.GetHamrOrgConnection(context.Background()); return err },
		"POST": func() error { _, err := c.CreateHamrOrgConnection(context.Background(), exampleRequest()); return err },
	}
	for method, call := range calls {
		if err := call(); err != nil {
			t.Fatal(err)
		}
		srv.mu.Lock()
		h := srv.last.Header
		srv.mu.Unlock()
		if h.Get("DD-API-KEY") != testAPIKey || h.Get("DD-APPLICATION-KEY") != testAppKey {
			t.Errorf("%s: keys not sent in DD-API-KEY / DD-APPLICATION-KEY", method)
		}
		if !strings.HasPrefix(h.Get("User-Agent"), "hamr-go/"+Version+" ") {
			t.Errorf("%s: User-Agent %q does not name the toolkit and its version", method, h.Get("User-Agent"))
		}
	}
}

func TestBearerToken(t *testing.T) {
	c, srv := setup(t, reply(200, readTestdata(t, "reference_response.json")), WithBearerToken("tok-123"))
	if _, err := c.GetHamrOrgConnection(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := srv.last.Header.Get("Authorization"); got != "Bearer tok-123" {
		t.Errorf("Authorization = %q", got)
	}
	if srv.last.Header.Get("DD-API-KEY") != "" {
		t.Error("API key sent alongside the bearer token")
	}
}

func TestRateLimitIsRetriedAfterTheReset(t *testing.T) {
	var calls atomic.Int32
	c, srv := setup(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			reply(429, readTestdata(t, "reference_429.json"), append(rateLimited, "X-RateLimit-Reset", "1")...)(w, r)
			return
		}
		reply(200, readTestdata(t, "reference_response.json"))(w, r)
	})
	start := time.Now()
	if _, err := c.GetHamrOrgConnection(context.Background()); err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed < time.Second {
		t.Errorf("retried after %s; X-RateLimit-Reset said 1s", elapsed)
	}
	if n := srv.requests.Load(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

func TestRetriesStopAtTheBound(t *testing.T) {
	policy := DefaultRetryPolicy()
	policy.MaxAttempts, policy.MinBackoff, policy.MaxBackoff = 3, time.Millisecond, time.Millisecond
	c, srv := setup(t, reply(429, readTestdata(t, "reference_429.json"), append(rateLimited, "X-RateLimit-Reset", "0")...), WithRetryPolicy(policy))
	_, err := c.GetHamrOrgConnection(context.Background())
	if n := srv.requests.Load(); n != 3 {
		t.Errorf("%d requests, want 3 (MaxAttempts)", n)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 || !errors.Is(err, ErrRateLimited) {
		t.Fatalf("want a 429 *APIError, got %v", err)
	}
	if len(apiErr.Messages) != 1 || apiErr.Messages[0] != "Bad Request" {
		t.Errorf("429 body not decoded: %+v", apiErr)
	}
	want := &RateLimit{Limit: 10, Period: time.Minute, Remaining: 0, Reset: 0, Name: "hamr"}
	if !reflect.DeepEqual(apiErr.RateLimit, want) {
		t.Errorf("RateLimit = %+v, want %+v", apiErr.RateLimit, want)
	}
}

func TestRateLimitBeyondTheCapIsReturnedNotWaited(t *testing.T) {
	c, srv := setup(t, reply(429, readTestdata(t, "reference_429.json"), append(rateLimited, "X-RateLimit-Reset", "3600")...))
	start := time.Now()
	_, err := c.GetHamrOrgConnection(context.Background())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.RetryAfter() != time.Hour {
		t.Fatalf("want a 429 with RetryAfter 1h, got %v", err)
	}
	if srv.requests.Load() != 1 || time.Since(start) > 5*time.Second {
		t.Errorf("waited for a reset beyond MaxRateLimitWait (%d requests)", srv.requests.Load())
	}
}

func TestServerErrorsAreRetriedThenSucceed(t *testing.T) {
	var calls atomic.Int32
	c, srv := setup(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 2 {
			reply(500, jsonAPIError(500, "boom"))(w, r)
			return
		}
		reply(200, readTestdata(t, "reference_response.json"))(w, r)
	})
	if _, err := c.CreateHamrOrgConnection(context.Background(), exampleRequest()); err != nil {
		t.Fatal(err)
	}
	if n := srv.requests.Load(); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	for _, status := range []int{400, 403, 404} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			c, srv := setup(t, reply(status, jsonAPIError(status, "no way")))
			_, err := c.GetHamrOrgConnection(context.Background())
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != status {
				t.Fatalf("want *APIError %d, got %v", status, err)
			}
			if n := srv.requests.Load(); n != 1 {
				t.Errorf("%d requests, want 1: %d must not be retried", n, status)
			}
			if len(apiErr.Errors) != 1 || *apiErr.Errors[0].Detail != "no way" || *apiErr.Errors[0].Source.Pointer != "/data/id" {
				t.Errorf("JSON:API errors not decoded: %+v", apiErr.Errors)
			}
			if errors.Is(err, ErrRateLimited) {
				t.Error("a non-429 matched ErrRateLimited")
			}
			if !strings.Contains(err.Error(), "no way") || !strings.Contains(err.Error(), "GET "+srv.URL+"/api/v2/hamr") {
				t.Errorf("error %q lacks the detail or the method and URL", err)
			}
		})
	}
}

func TestReferenceErrorBodyDecodes(t *testing.T) {
	c, _ := setup(t, reply(403, readTestdata(t, "reference_error.json")))
	_, err := c.GetHamrOrgConnection(context.Background())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || len(apiErr.Errors) != 1 || *apiErr.Errors[0].Source.Header != "Authorization" {
		t.Fatalf("got %#v", err)
	}
}

func TestInvalidRequestsNeverLeaveTheProcess(t *testing.T) {
	unknownStatus := exampleRequest()
	unknownStatus.Data.Attributes.HamrStatus = 7
	singularType := exampleRequest()
	singularType.Data.Type = "hamr_org_connection"
	cases := []struct {
		name, pointer string
		call          func(*Client) error
	}{
		{"unknown status", "/data/attributes/hamr_status", func(c *Client) error {
			_, err := c.CreateHamrOrgConnection(context.Background(), unknownStatus)
			return err
		}},
		{"singular type", "/data/type", func(c *Client) error {
			_, err := c.CreateHamrOrgConnection(context.Background(), singularType)
			return err
		}},
		{"missing field", "/data/attributes/target_org_uuid", func(c *Client) error {
			_, err := c.CreateHamrOrgConnectionWithBody(context.Background(), "application/json",
				[]byte(`{"data":{"id":"x","type":"hamr_org_connections","attributes":{"hamr_status":1,"is_primary":true,"modified_by":"a","target_org_datacenter":"us1","target_org_name":"b"}}}`))
			return err
		}},
		{"malformed JSON", "", func(c *Client) error {
			_, err := c.CreateHamrOrgConnectionWithBody(context.Background(), "application/json", []byte(`{"data":`))
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, srv := setup(t, reply(200, readTestdata(t, "reference_response.json")))
			err := tc.call(c)
			var invalid *validate.Error
			if !errors.As(err, &invalid) || invalid.Direction != validate.Request {
				t.Fatalf("want a request *validate.Error, got %v", err)
			}
			if invalid.Issues[0].Pointer != tc.pointer {
				t.Errorf("issue at %q, want %q: %v", invalid.Issues[0].Pointer, tc.pointer, err)
			}
			if n := srv.requests.Load(); n != 0 {
				t.Errorf("%d requests reached the server; an invalid body must not be sent", n)
			}
		})
	}
}

func TestInvalidResponsesAreRefused(t *testing.T) {
	valid := string(readTestdata(t, "reference_response.json"))
	cases := map[string]string{
		"unknown status":       strings.Replace(valid, `"hamr_status": 4`, `"hamr_status": 7`, 1),
		"missing modified_at":  strings.Replace(valid, `"modified_at": "2026-01-13T17:26:48.830968Z",`, ``, 1),
		"singular type":        strings.Replace(valid, `"hamr_org_connections"`, `"hamr_org_connection"`, 1),
		"modified_at not time": strings.Replace(valid, `2026-01-13T17:26:48.830968Z`, `yesterday`, 1),
	}
	for name, body := range cases {
		t.Run(name, func(t *testing.T) {
			if body == valid {
				t.Fatal("the test's replacement did not apply")
			}
			c, _ := setup(t, reply(200, []byte(body)))
			conn, err := c.GetHamrOrgConnection(context.Background())
			var invalid *validate.Error
			if !errors.As(err, &invalid) || invalid.Direction != validate.Response || conn != nil {
				t.Fatalf("want a response *validate.Error and no connection, got %v, %v", conn, err)
			}
		})
	}
}

func TestCancelledContextStopsRetrying(t *testing.T) {
	policy := DefaultRetryPolicy()
	policy.MaxAttempts, policy.MinBackoff, policy.MaxBackoff = 10, time.Second, time.Second
	ctx, cancel := context.WithCancel(context.Background())
	c, srv := setup(t, func(w http.ResponseWriter, r *http.Request) {
		cancel() // the caller gives up while the first attempt is answered
		reply(500, jsonAPIError(500, "down"))(w, r)
	}, WithRetryPolicy(policy))
	start := time.Now()
	_, err := c.GetHamrOrgConnection(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if srv.requests.Load() != 1 || time.Since(start) > 500*time.Millisecond {
		t.Errorf("went on after cancellation: %d requests in %s", srv.requests.Load(), time.Since(start))
	}
}

func TestMaxElapsedBoundsTheWholeCall(t *testing.T) {
	policy := DefaultRetryPolicy()
	policy.MaxAttempts, policy.MinBackoff, policy.MaxBackoff, policy.MaxElapsed = 100, 20*time.Millisecond, 20*time.Millisecond, 200*time.Millisecond
	c, srv := setup(t, reply(503, jsonAPIError(503, "down")), WithRetryPolicy(policy))
	_, err := c.GetHamrOrgConnection(context.Background())
	if err == nil || srv.requests.Load() >= 100 {
		t.Fatalf("MaxElapsed did not stop the retries: %d requests, err %v", srv.requests.Load(), err)
	}
}

func TestNoKeyInStringsOrErrors(t *testing.T) {
	c, _ := setup(t, reply(403, jsonAPIError(403, "Forbidden")))
	_, err := c.GetHamrOrgConnection(context.Background())
	for _, text := range []string{fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), err.Error(), fmt.Sprintf("%+v", err)} {
		if strings.Contains(text, testAPIKey) || strings.Contains(text, testAppKey) {
			t.Errorf("a key leaked into %q", text)
		}
	}
}
