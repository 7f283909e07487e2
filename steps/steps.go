package steps

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cucumber/godog"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"

	"github.com/hamr-go/hamr/client"
	"github.com/hamr-go/hamr/gen"
	"github.com/hamr-go/hamr/validate"
)

// stepDefinitions binds the phrases of Datadog's own feature files (and a
// few more this suite needs) to their definitions. Every expression is
// anchored. They are compiled once: godog registers steps for every
// scenario, and compiling them each time was a quarter of a replay's CPU.
var stepDefinitions = []struct {
	expr *regexp.Regexp
	fn   any
}{
	{regexp.MustCompile(`^a valid "(apiKeyAuth|appKeyAuth)" key in the system$`), aValidKey},
	{regexp.MustCompile(`^a wrong "(apiKeyAuth|appKeyAuth)" key in the system$`), aWrongKey},
	{regexp.MustCompile(`^new "(GetHamrOrgConnection|CreateHamrOrgConnection)" request$`), newRequest},
	{regexp.MustCompile(`^body with value (\S.*)$`), bodyWithValue},
	{regexp.MustCompile(`^body with value:$`), bodyWithDocString},
	{regexp.MustCompile(`^there is a valid "hamr_org_connection" in the system$`), thereIsAConnection},
	{regexp.MustCompile(`^the organization has no HAMR connection$`), theOrgHasNoConnection},
	{regexp.MustCompile(`^the rate limit is (\d+) requests? per (\d+) seconds?$`), theRateLimitIs},
	{regexp.MustCompile(`^the request is sent$`), func(ctx context.Context) error { return sendTimes(ctx, 1) }},
	{regexp.MustCompile(`^the request is sent (\d+) times$`), sendTimes},
	{regexp.MustCompile(`^the response status is (\d{3}) (.+)$`), theStatusIs},
	{regexp.MustCompile(`^the response "([^"]+)" is equal to (.+)$`), theFieldIsEqualTo},
	{regexp.MustCompile(`^the response "([^"]+)" has the same value as "([^"]+)"$`), theFieldHasTheSameValueAs},
	{regexp.MustCompile(`^the response "([^"]+)" has length (\d+)$`), theFieldHasLength},
	{regexp.MustCompile(`^the response "([^"]+)" is not empty$`), theFieldIsNotEmpty},
	{regexp.MustCompile(`^the response "([^"]+)" is saved as "([^"]+)"$`), theFieldIsSavedAs},
	{regexp.MustCompile(`^the response "([^"]+)" is later than "([^"]+)"$`), theFieldIsLaterThan},
	{regexp.MustCompile(`^the response header "([^"]+)" is equal to "([^"]*)"$`), theHeaderIsEqualTo},
}

func registerSteps(sc *godog.ScenarioContext) {
	for _, step := range stepDefinitions {
		sc.Step(step.expr, step.fn)
	}
}

const wrongKey = "wrong-key-for-the-hamr-contract-suite"

func aValidKey(ctx context.Context, scheme string) error {
	s := scenarioFrom(ctx)
	if scheme == "apiKeyAuth" {
		s.apiKey = s.site.target.apiKey
	} else {
		s.appKey = s.site.target.appKey
	}
	return nil
}

func aWrongKey(ctx context.Context, scheme string) error {
	s := scenarioFrom(ctx)
	if scheme == "apiKeyAuth" {
		s.apiKey = wrongKey
	} else {
		s.appKey = wrongKey
	}
	return nil
}

func newRequest(ctx context.Context, operation string) error {
	s := scenarioFrom(ctx)
	s.operation, s.body, s.hasBody = operation, nil, false
	return nil
}

func bodyWithValue(ctx context.Context, value string) error {
	s := scenarioFrom(ctx)
	s.body, s.hasBody = []byte(s.render(value)), true
	return nil
}

func bodyWithDocString(ctx context.Context, doc *godog.DocString) error {
	return bodyWithValue(ctx, doc.Content)
}

// fixtureBody is the connection "there is a valid hamr_org_connection"
// creates.
const fixtureBody = `{"data":{"attributes":{"hamr_status":2,"is_primary":false,"modified_by":"contract-suite@example.com","target_org_datacenter":"eu1","target_org_name":"Contract Fixture Org","target_org_uuid":"660f9511-f3ac-52e5-b827-557766551111"},"id":"{{ org_id }}","type":"hamr_org_connections"}}`

func thereIsAConnection(ctx context.Context) error {
	s := scenarioFrom(ctx)
	e, err := s.send(ctx, "CreateHamrOrgConnection", []byte(s.render(fixtureBody)))
	if err != nil {
		return err
	}
	if err := s.checkExchange(e); err != nil {
		return err
	}
	if e.status != http.StatusOK {
		return fmt.Errorf("creating the fixture connection: want 200, got %d: %s", e.status, e.body)
	}
	var fixture any
	if err := json.Unmarshal(e.body, &fixture); err != nil {
		return err
	}
	s.fixtures["hamr_org_connection"] = fixture
	return nil
}

func theOrgHasNoConnection(ctx context.Context) error {
	s := scenarioFrom(ctx)
	switch t := s.site.target; t.kind {
	case targetSandbox:
		t.sandbox.ClearConnection(t.orgID)
	case targetReplay: // the recording was made from such a state
	default:
		return errors.New("only the local sandbox can remove a HAMR connection; this scenario should have been skipped (tag it @needs-fresh-org)")
	}
	return nil
}

func theRateLimitIs(ctx context.Context, limit, seconds int) error {
	s := scenarioFrom(ctx)
	switch t := s.site.target; t.kind {
	case targetSandbox:
		s.changedRateLimit = true
		return t.sandbox.SetRateLimit(limit, time.Duration(seconds)*time.Second)
	case targetReplay:
		return nil
	default:
		return errors.New("only the local sandbox can be made to rate-limit; this scenario should have been skipped (tag it @rate-limited)")
	}
}

func sendTimes(ctx context.Context, times int) error {
	s := scenarioFrom(ctx)
	if s.operation == "" {
		return errors.New(`no request to send: a step 'new "GetHamrOrgConnection" request' must come first`)
	}
	for range times {
		e, err := s.send(ctx, s.operation, s.body)
		if err != nil {
			return err
		}
		s.last = e
		if err := s.checkExchange(e); err != nil {
			return err
		}
	}
	return nil
}

// send makes one request through the generated client (the typed call when
// the body fits the generated types exactly, the raw one for deliberately
// invalid bodies), with retries and client-side validation off: the suite
// must see each answer, and the harness validates instead.
func (s *scenario) send(ctx context.Context, operation string, body []byte) (*exchange, error) {
	c, err := client.New(
		client.WithBaseURL(s.site.target.APIHost),
		client.WithAPIKeys(s.apiKey, s.appKey),
		client.WithHTTPClient(&http.Client{Transport: s.transport}),
		client.WithoutRetries(),
		client.WithoutRequestValidation(),
		client.WithUserAgent("hamr-contract"),
	)
	if err != nil {
		return nil, err
	}
	before := len(s.exchanges)
	switch operation {
	case "GetHamrOrgConnection":
		_, err = c.GetHamrOrgConnection(ctx)
	case "CreateHamrOrgConnection":
		if typed, ok := typedRequest(body); ok {
			_, err = c.CreateHamrOrgConnection(ctx, typed)
		} else {
			_, err = c.CreateHamrOrgConnectionWithBody(ctx, "application/json", body)
		}
	}
	var apiErr *client.APIError
	var invalid *validate.Error
	switch {
	case errors.Is(err, cassette.ErrInteractionNotFound):
		return nil, fmt.Errorf("the recording for %s, scenario %q, has no answer for this %s /api/v2/hamr (the scenario changed since it was recorded): re-record with `make record`", s.site.target.Site, s.name, methodOf(operation))
	case errors.As(err, &apiErr), errors.As(err, &invalid):
		// Expected answers (an error status, or a 2xx the harness will
		// reject): the exchange is recorded and checked below.
	case err != nil:
		return nil, err
	}
	if len(s.exchanges) == before {
		return nil, errors.New("the request was not sent through the harness")
	}
	return s.exchanges[len(s.exchanges)-1], nil
}

func methodOf(operation string) string {
	if operation == "CreateHamrOrgConnection" {
		return "POST"
	}
	return "GET"
}

// typedRequest decodes body into the generated request type, and says
// whether that type says exactly the same thing (no field lost or added).
func typedRequest(body []byte) (gen.HamrOrgConnectionRequest, bool) {
	var req gen.HamrOrgConnectionRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if dec.Decode(&req) != nil {
		return req, false
	}
	again, err := json.Marshal(req)
	return req, err == nil && canonicalJSON(again) == canonicalJSON(body)
}

func (s *scenario) lastResponse() (*exchange, error) {
	if s.last == nil {
		return nil, errors.New("no response yet: 'When the request is sent' must come first")
	}
	return s.last, nil
}

func theStatusIs(ctx context.Context, status int, text string) error {
	e, err := scenarioFrom(ctx).lastResponse()
	if err != nil {
		return err
	}
	if e.status != status {
		return fmt.Errorf("response status: want %d %s, got %d; body: %s", status, text, e.status, e.body)
	}
	return nil
}

// field reads a dotted path ("data.attributes.hamr_status", "errors.0")
// from a decoded JSON value.
func field(doc any, path string) (any, error) {
	current := doc
	for _, part := range strings.Split(path, ".") {
		switch v := current.(type) {
		case map[string]any:
			next, ok := v[part]
			if !ok {
				return nil, fmt.Errorf("%q: no member %q", path, part)
			}
			current = next
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(v) {
				return nil, fmt.Errorf("%q: no element %q in a list of %d", path, part, len(v))
			}
			current = v[i]
		default:
			return nil, fmt.Errorf("%q: %q is inside a %T, not an object or list", path, part, v)
		}
	}
	return current, nil
}

func (s *scenario) responseField(path string) (any, error) {
	e, err := s.lastResponse()
	if err != nil {
		return nil, err
	}
	var doc any
	if err := json.Unmarshal(e.body, &doc); err != nil {
		return nil, fmt.Errorf("the response is not JSON: %w", err)
	}
	return field(doc, path)
}

func theFieldIsEqualTo(ctx context.Context, path, value string) error {
	s := scenarioFrom(ctx)
	got, err := s.responseField(path)
	if err != nil {
		return err
	}
	var want any
	if err := json.Unmarshal([]byte(s.render(value)), &want); err != nil {
		return fmt.Errorf("expected value %s is not JSON (quote strings): %w", value, err)
	}
	if !reflect.DeepEqual(got, want) {
		return fmt.Errorf("response %q: want %s, got %s", path, jsonText(want), jsonText(got))
	}
	return nil
}

func theFieldHasTheSameValueAs(ctx context.Context, path, fixturePath string) error {
	s := scenarioFrom(ctx)
	got, err := s.responseField(path)
	if err != nil {
		return err
	}
	name, rest, _ := strings.Cut(fixturePath, ".")
	fixture, ok := s.fixtures[name]
	if !ok {
		return fmt.Errorf("no fixture %q: a step 'there is a valid %q in the system' must come first", name, name)
	}
	want, err := field(fixture, rest)
	if err != nil {
		return err
	}
	if !reflect.DeepEqual(got, want) {
		return fmt.Errorf("response %q: want %s (as %s), got %s", path, jsonText(want), fixturePath, jsonText(got))
	}
	return nil
}

func theFieldHasLength(ctx context.Context, path string, length int) error {
	got, err := scenarioFrom(ctx).responseField(path)
	if err != nil {
		return err
	}
	list, ok := got.([]any)
	if !ok || len(list) != length {
		return fmt.Errorf("response %q: want a list of %d, got %s", path, length, jsonText(got))
	}
	return nil
}

func theFieldIsNotEmpty(ctx context.Context, path string) error {
	got, err := scenarioFrom(ctx).responseField(path)
	if err != nil {
		return err
	}
	if list, ok := got.([]any); (ok && len(list) == 0) || got == nil || got == "" {
		return fmt.Errorf("response %q is empty", path)
	}
	return nil
}

func theFieldIsSavedAs(ctx context.Context, path, name string) error {
	s := scenarioFrom(ctx)
	got, err := s.responseField(path)
	if err != nil {
		return err
	}
	text, ok := got.(string)
	if !ok {
		text = jsonText(got)
	}
	s.values[name] = text
	return nil
}

func theFieldIsLaterThan(ctx context.Context, path, earlier string) error {
	s := scenarioFrom(ctx)
	got, err := s.responseField(path)
	if err != nil {
		return err
	}
	text, _ := got.(string)
	later, err := time.Parse(time.RFC3339Nano, text)
	if err != nil {
		return fmt.Errorf("response %q = %s is not an RFC3339 time", path, jsonText(got))
	}
	before, err := time.Parse(time.RFC3339Nano, s.render(earlier))
	if err != nil {
		return fmt.Errorf("%s is not an RFC3339 time", earlier)
	}
	if !later.After(before) {
		return fmt.Errorf("response %q = %s is not later than %s", path, text, s.render(earlier))
	}
	return nil
}

func theHeaderIsEqualTo(ctx context.Context, name, value string) error {
	e, err := scenarioFrom(ctx).lastResponse()
	if err != nil {
		return err
	}
	if got := e.header.Get(name); got != value {
		return fmt.Errorf("response header %s: want %q, got %q", name, value, got)
	}
	return nil
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
