package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hamr-go/hamr/gen"
)

const otherOrgID = "9a1f6b0e-0000-4000-8000-000000000001"

func validBody(id string, status int) string {
	return fmt.Sprintf(`{"data":{"attributes":{"hamr_status":%d,"is_primary":true,"modified_by":"admin@example.com","target_org_datacenter":"us1","target_org_name":"Production Backup Org","target_org_uuid":"660f9511-f3ac-52e5-b827-557766551111"},"id":%q,"type":"hamr_org_connections"}}`, status, id)
}

// newSandbox serves a sandbox on an httptest server. Every response it sends
// is checked against the fragment: one that breaks it fails the test.
func newSandbox(t testing.TB, cfg Config) (*Server, *httptest.Server) {
	t.Helper()
	cfg.SelfCheck = func(err error) { t.Errorf("sandbox answer breaks the fragment: %v", err) }
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

type exchange struct {
	status int
	header http.Header
	body   []byte
}

func (e exchange) errors(t *testing.T) []gen.JSONAPIErrorItem {
	t.Helper()
	var body gen.JSONAPIErrorResponse
	if err := json.Unmarshal(e.body, &body); err != nil || len(body.Errors) == 0 {
		t.Fatalf("want a JSON:API error list, got %s (%v)", e.body, err)
	}
	return body.Errors
}

// send makes one request with the default org's development keys unless
// headers say otherwise ("DD-API-KEY": "" removes a header).
func send(t testing.TB, baseURL, method, path, body string, headers map[string]string) exchange {
	t.Helper()
	req, err := http.NewRequest(method, baseURL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("DD-API-KEY", DevAPIKey)
	req.Header.Set("DD-APPLICATION-KEY", DevAppKey)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return exchange{status: resp.StatusCode, header: resp.Header, body: b}
}

func TestStatuses(t *testing.T) {
	huge := `{"data":{"attributes":{"modified_by":"` + strings.Repeat("x", maxBodyBytes) + `"}}}`
	cases := []struct {
		name         string
		method, path string
		body         string
		headers      map[string]string
		status       int
		pointers     []string // source.pointer of each JSON:API error, in order
		detail       string   // a fragment of the first error's detail
	}{
		{name: "GET without a connection", method: "GET", path: "/api/v2/hamr", status: 404, detail: "has no HAMR connection"},
		{name: "POST creates", method: "POST", path: "/api/v2/hamr", body: validBody(DefaultOrgID, 4), status: 200},
		{name: "POST for another org", method: "POST", path: "/api/v2/hamr", body: validBody(otherOrgID, 4), status: 403, pointers: []string{"/data/id"}},
		{name: "missing required attribute", method: "POST", path: "/api/v2/hamr", body: strings.Replace(validBody(DefaultOrgID, 4), `"modified_by":"admin@example.com",`, "", 1),
			status: 400, pointers: []string{"/data/attributes/modified_by"}, detail: "missing"},
		{name: "unknown hamr_status", method: "POST", path: "/api/v2/hamr", body: validBody(DefaultOrgID, 6), status: 400, pointers: []string{"/data/attributes/hamr_status"}, detail: "allowed values"},
		{name: "singular type", method: "POST", path: "/api/v2/hamr", body: strings.Replace(validBody(DefaultOrgID, 4), "hamr_org_connections", "hamr_org_connection", 1),
			status: 400, pointers: []string{"/data/type"}},
		{name: "wrong JSON type", method: "POST", path: "/api/v2/hamr", body: strings.Replace(validBody(DefaultOrgID, 4), `"is_primary":true`, `"is_primary":"yes"`, 1),
			status: 400, pointers: []string{"/data/attributes/is_primary"}, detail: "boolean"},
		{name: "two violations, two errors", method: "POST", path: "/api/v2/hamr", body: strings.Replace(validBody(DefaultOrgID, 9), `"is_primary":true`, `"is_primary":1`, 1),
			status: 400, pointers: []string{"/data/attributes/hamr_status", "/data/attributes/is_primary"}},
		{name: "malformed JSON", method: "POST", path: "/api/v2/hamr", body: `{"data":`, status: 400, detail: "not valid JSON"},
		{name: "wrong Content-Type", method: "POST", path: "/api/v2/hamr", body: validBody(DefaultOrgID, 4), headers: map[string]string{"Content-Type": "text/plain"}, status: 400, detail: "Content-Type"},
		{name: "body over 1 MiB", method: "POST", path: "/api/v2/hamr", body: huge, status: 400, detail: "over 1048576 bytes"},
		{name: "no keys", method: "GET", path: "/api/v2/hamr", headers: map[string]string{"DD-API-KEY": "", "DD-APPLICATION-KEY": ""}, status: 403},
		{name: "wrong application key", method: "POST", path: "/api/v2/hamr", body: validBody(DefaultOrgID, 4), headers: map[string]string{"DD-APPLICATION-KEY": "nope"}, status: 403},
		{name: "unknown path", method: "GET", path: "/api/v2/hamr/extra", status: 404},
		{name: "wrong method", method: "DELETE", path: "/api/v2/hamr", status: 405},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, srv := newSandbox(t, Config{})
			got := send(t, srv.URL, tc.method, tc.path, tc.body, tc.headers)
			if got.status != tc.status {
				t.Fatalf("status %d, want %d: %s", got.status, tc.status, got.body)
			}
			if got.header.Get("Content-Type") != "application/json" {
				t.Errorf("Content-Type %q", got.header.Get("Content-Type"))
			}
			if tc.status == 200 {
				var conn gen.HamrOrgConnectionResponse
				if err := json.Unmarshal(got.body, &conn); err != nil || conn.Data.Id != DefaultOrgID {
					t.Fatalf("200 body %s (%v)", got.body, err)
				}
				return
			}
			items := got.errors(t)
			if *items[0].Status != fmt.Sprint(tc.status) || *items[0].Title != http.StatusText(tc.status) {
				t.Errorf("error item status/title %q/%q", *items[0].Status, *items[0].Title)
			}
			if tc.detail != "" && !strings.Contains(*items[0].Detail, tc.detail) {
				t.Errorf("detail %q lacks %q", *items[0].Detail, tc.detail)
			}
			if tc.pointers != nil {
				var pointers []string
				for _, item := range items {
					if item.Source != nil && item.Source.Pointer != nil {
						pointers = append(pointers, *item.Source.Pointer)
					}
				}
				if strings.Join(pointers, " ") != strings.Join(tc.pointers, " ") {
					t.Errorf("pointers %v, want %v", pointers, tc.pointers)
				}
			}
			if tc.status == 405 && got.header.Get("Allow") != "GET, POST" {
				t.Errorf("405 without Allow: %q", got.header.Get("Allow"))
			}
			if bytes.Contains(got.body, []byte(DevAPIKey)) || bytes.Contains(got.body, []byte(DevAppKey)) {
				t.Error("an answer echoed a key")
			}
		})
	}
}

func TestUpsertRoundTrip(t *testing.T) {
	_, srv := newSandbox(t, Config{})
	first := send(t, srv.URL, "POST", "/api/v2/hamr", validBody(DefaultOrgID, 1), nil)
	var created gen.HamrOrgConnectionResponse
	if err := json.Unmarshal(first.body, &created); err != nil {
		t.Fatal(err)
	}
	if created.Data.Attributes.HamrStatus != gen.HamrOrgConnectionStatusONBOARDING || created.Data.Attributes.TargetOrgName != "Production Backup Org" {
		t.Errorf("POST did not echo the attributes: %s", first.body)
	}
	// modified_at: RFC3339, UTC, with sub-second digits.
	var raw struct {
		Data struct {
			Attributes struct {
				ModifiedAt string `json:"modified_at"`
			} `json:"attributes"`
		} `json:"data"`
	}
	_ = json.Unmarshal(first.body, &raw)
	if at := raw.Data.Attributes.ModifiedAt; !strings.HasSuffix(at, "Z") || !strings.Contains(at, ".") {
		t.Errorf("modified_at %q is not UTC with sub-second digits", at)
	}

	got := send(t, srv.URL, "GET", "/api/v2/hamr", "", nil)
	if got.status != 200 || !bytes.Equal(got.body, first.body) {
		t.Fatalf("GET after POST: %d %s, want %s", got.status, got.body, first.body)
	}

	second := send(t, srv.URL, "POST", "/api/v2/hamr", validBody(DefaultOrgID, 4), nil)
	var updated gen.HamrOrgConnectionResponse
	_ = json.Unmarshal(second.body, &updated)
	if updated.Data.Attributes.HamrStatus != gen.HamrOrgConnectionStatusACTIVE {
		t.Errorf("second POST did not update: %s", second.body)
	}
	if !updated.Data.Attributes.ModifiedAt.After(created.Data.Attributes.ModifiedAt) {
		t.Errorf("modified_at did not move forward: %s then %s", created.Data.Attributes.ModifiedAt, updated.Data.Attributes.ModifiedAt)
	}
}

func TestModifiedAtMovesForwardUnderAFrozenClock(t *testing.T) {
	frozen := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC) // a whole second: the fraction must still show
	_, srv := newSandbox(t, Config{Now: func() time.Time { return frozen }})
	var times []time.Time
	for range 3 {
		var conn gen.HamrOrgConnectionResponse
		_ = json.Unmarshal(send(t, srv.URL, "POST", "/api/v2/hamr", validBody(DefaultOrgID, 2), nil).body, &conn)
		times = append(times, conn.Data.Attributes.ModifiedAt)
	}
	if !times[1].After(times[0]) || !times[2].After(times[1]) || times[0].Nanosecond() == 0 {
		t.Errorf("modified_at %v", times)
	}
}

func TestOrgsAreSeparateAndAuthenticateByTheirKeys(t *testing.T) {
	other := Org{ID: otherOrgID, Name: "Other", APIKey: "other-api", AppKey: "other-app", BearerToken: "other-token"}
	_, srv := newSandbox(t, Config{Orgs: []Org{DefaultOrg("", ""), other}})
	if got := send(t, srv.URL, "POST", "/api/v2/hamr", validBody(otherOrgID, 3), map[string]string{"DD-API-KEY": "other-api", "DD-APPLICATION-KEY": "other-app"}); got.status != 200 {
		t.Fatalf("other org's POST: %d %s", got.status, got.body)
	}
	if got := send(t, srv.URL, "GET", "/api/v2/hamr", "", nil); got.status != 404 {
		t.Errorf("the default org sees another org's connection: %d", got.status)
	}
	bearer := map[string]string{"DD-API-KEY": "", "DD-APPLICATION-KEY": "", "Authorization": "Bearer other-token"}
	if got := send(t, srv.URL, "GET", "/api/v2/hamr", "", bearer); got.status != 200 {
		t.Errorf("bearer token: %d %s", got.status, got.body)
	}
	// One org's API key with another's application key is not a login.
	if got := send(t, srv.URL, "GET", "/api/v2/hamr", "", map[string]string{"DD-API-KEY": "other-api"}); got.status != 403 {
		t.Errorf("mixed keys: %d", got.status)
	}
}

func TestRateLimitHeadersCountDownAndReset(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	_, srv := newSandbox(t, Config{RateLimit: 3, RatePeriod: 10 * time.Second, Now: clock})

	for i, want := range []string{"2", "1", "0"} {
		got := send(t, srv.URL, "GET", "/api/v2/hamr", "", nil)
		if got.status != 404 || got.header.Get("X-RateLimit-Remaining") != want {
			t.Fatalf("request %d: status %d, remaining %q, want 404 and %s", i+1, got.status, got.header.Get("X-RateLimit-Remaining"), want)
		}
		for h, v := range map[string]string{"X-RateLimit-Limit": "3", "X-RateLimit-Period": "10", "X-RateLimit-Reset": "10", "X-RateLimit-Name": rateLimitName} {
			if got.header.Get(h) != v {
				t.Errorf("%s = %q, want %q", h, got.header.Get(h), v)
			}
		}
	}
	limited := send(t, srv.URL, "POST", "/api/v2/hamr", validBody(DefaultOrgID, 4), nil)
	if limited.status != 429 || string(bytes.TrimSpace(limited.body)) != `{"errors":["Too many requests"]}` {
		t.Fatalf("past the limit: %d %s", limited.status, limited.body)
	}

	mu.Lock()
	now = now.Add(7 * time.Second)
	mu.Unlock()
	if got := send(t, srv.URL, "GET", "/api/v2/hamr", "", nil); got.status != 429 || got.header.Get("X-RateLimit-Reset") != "3" {
		t.Errorf("7s into the window: %d, reset %q, want 429 and 3", got.status, got.header.Get("X-RateLimit-Reset"))
	}
	mu.Lock()
	now = now.Add(3 * time.Second)
	mu.Unlock()
	if got := send(t, srv.URL, "GET", "/api/v2/hamr", "", nil); got.status != 404 || got.header.Get("X-RateLimit-Remaining") != "2" {
		t.Errorf("after the reset: %d, remaining %q", got.status, got.header.Get("X-RateLimit-Remaining"))
	}
}

func TestFaultsAreDeterministicUnderASeed(t *testing.T) {
	statuses := func(seed uint64) string {
		_, srv := newSandbox(t, Config{FailRate: 0.5, Seed: seed})
		var b strings.Builder
		for range 40 {
			fmt.Fprintf(&b, "%d ", send(t, srv.URL, "POST", "/api/v2/hamr", validBody(DefaultOrgID, 4), nil).status)
		}
		return b.String()
	}
	first, again, other := statuses(7), statuses(7), statuses(8)
	if first != again {
		t.Errorf("same seed, different faults:\n%s\n%s", first, again)
	}
	if first == other {
		t.Errorf("seeds 7 and 8 gave the same 40 draws: the seed is not used")
	}
	if !strings.Contains(first, "500") || !strings.Contains(first, "200") {
		t.Errorf("fail rate 0.5 gave %s", first)
	}
}

func TestLatencyIsInjected(t *testing.T) {
	_, srv := newSandbox(t, Config{Latency: 150 * time.Millisecond})
	start := time.Now()
	send(t, srv.URL, "GET", "/api/v2/hamr", "", nil)
	if elapsed := time.Since(start); elapsed < 150*time.Millisecond {
		t.Errorf("answered in %s with 150ms latency", elapsed)
	}
}

func TestSitesDoNotShareState(t *testing.T) {
	deployments, err := Start([]string{"datadoghq.com", "datadoghq.eu"}, Config{SelfCheck: func(err error) { t.Error(err) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = deployments.Close(t.Context()) })
	us, eu := deployments.Site("datadoghq.com"), deployments.Site("datadoghq.eu")
	if us.URL == eu.URL {
		t.Fatal("two sites share a listener")
	}
	if got := send(t, us.URL, "POST", "/api/v2/hamr", validBody(DefaultOrgID, 4), nil); got.status != 200 {
		t.Fatal(got.status)
	}
	if got := send(t, eu.URL, "GET", "/api/v2/hamr", "", nil); got.status != 404 {
		t.Errorf("datadoghq.eu sees datadoghq.com's connection: %d", got.status)
	}
	if got := send(t, us.URL, "GET", "/api/v2/hamr", "", nil); got.status != 200 {
		t.Errorf("datadoghq.com lost its connection: %d", got.status)
	}
}

// Many writers and readers: every GET must return one whole connection,
// never the fields of two writes mixed.
func TestConcurrentUpsertsLoseNothing(t *testing.T) {
	_, srv := newSandbox(t, Config{})
	var wg sync.WaitGroup
	for writer := range 8 {
		wg.Go(func() {
			for i := range 20 {
				name := fmt.Sprintf("writer-%d-%d", writer, i)
				body := strings.NewReplacer(`"admin@example.com"`, `"`+name+`"`, `"Production Backup Org"`, `"`+name+`"`).Replace(validBody(DefaultOrgID, writer%6))
				if got := send(t, srv.URL, "POST", "/api/v2/hamr", body, nil); got.status != 200 {
					t.Errorf("POST: %d %s", got.status, got.body)
				}
			}
		})
		wg.Go(func() {
			for range 20 {
				got := send(t, srv.URL, "GET", "/api/v2/hamr", "", nil)
				if got.status == 404 {
					continue
				}
				var conn gen.HamrOrgConnectionResponse
				_ = json.Unmarshal(got.body, &conn)
				a := conn.Data.Attributes
				if a.ModifiedBy != a.TargetOrgName {
					t.Errorf("a GET mixed two writes: modified_by %q, target_org_name %q", a.ModifiedBy, a.TargetOrgName)
				}
			}
		})
	}
	wg.Wait()
	final := send(t, srv.URL, "GET", "/api/v2/hamr", "", nil)
	if final.status != 200 {
		t.Fatalf("final GET %d", final.status)
	}
}

func TestConfigIsChecked(t *testing.T) {
	for name, cfg := range map[string]Config{
		"fail rate over 1":      {FailRate: 1.5},
		"rate period too short": {RateLimit: 5, RatePeriod: time.Millisecond},
		"duplicate org":         {Orgs: []Org{DefaultOrg("", ""), DefaultOrg("", "")}},
		"org without keys":      {Orgs: []Org{{ID: DefaultOrgID, Name: "x"}}},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// The self-check must catch an answer that breaks the fragment, or the
// tests above that rely on it prove nothing.
func TestSelfCheckCatchesANonConformingAnswer(t *testing.T) {
	var caught []error
	s, err := New(Config{SelfCheck: func(err error) { caught = append(caught, err) }})
	if err != nil {
		t.Fatal(err)
	}
	broken := s.selfCheck(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"id": DefaultOrgID, "type": "hamr_org_connection"}})
	}))
	broken.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/api/v2/hamr", nil))
	if len(caught) != 1 || !strings.Contains(caught[0].Error(), "/data/type") {
		t.Fatalf("self-check reported %v", caught)
	}
}

func TestLogLinesNameNoKey(t *testing.T) {
	var logs bytes.Buffer
	_, srv := newSandbox(t, Config{Logger: slog.New(slog.NewTextHandler(&logs, nil)), Site: "datadoghq.eu"})
	send(t, srv.URL, "POST", "/api/v2/hamr", validBody(DefaultOrgID, 4), nil)
	send(t, srv.URL, "GET", "/api/v2/hamr", "", map[string]string{"DD-APPLICATION-KEY": "wrong-app-key"})
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want one line per request, got %q", logs.String())
	}
	for _, want := range []string{"method=POST", "path=/api/v2/hamr", "status=200", "latency=", "org=" + DefaultOrgID, "site=datadoghq.eu"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("log line %q lacks %q", lines[0], want)
		}
	}
	if !strings.Contains(lines[1], "status=403") {
		t.Errorf("log line %q", lines[1])
	}
	for _, key := range []string{DevAPIKey, DevAppKey, "wrong-app-key"} {
		if strings.Contains(logs.String(), key) {
			t.Errorf("a key is in the log: %q", logs.String())
		}
	}
}

func TestControls(t *testing.T) {
	s, srv := newSandbox(t, Config{})
	send(t, srv.URL, "POST", "/api/v2/hamr", validBody(DefaultOrgID, 4), nil)
	s.ClearConnection(DefaultOrgID)
	if got := send(t, srv.URL, "GET", "/api/v2/hamr", "", nil); got.status != 404 {
		t.Errorf("after ClearConnection: %d, want 404", got.status)
	}
	if err := s.SetRateLimit(1, time.Hour); err != nil {
		t.Fatal(err)
	}
	send(t, srv.URL, "GET", "/api/v2/hamr", "", nil)
	if got := send(t, srv.URL, "GET", "/api/v2/hamr", "", nil); got.status != 429 {
		t.Errorf("after SetRateLimit(1): %d, want 429", got.status)
	}
	_ = s.SetRateLimit(0, 0)
	if got := send(t, srv.URL, "GET", "/api/v2/hamr", "", nil); got.status != 404 || got.header.Get("X-RateLimit-Limit") != "" {
		t.Errorf("after SetRateLimit(0): %d, headers %v", got.status, got.header)
	}
	if err := s.SetRateLimit(1, time.Millisecond); err == nil {
		t.Error("a sub-second period was accepted")
	}
}
