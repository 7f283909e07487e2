package validate

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const validRequest = `{"data":{"attributes":{"hamr_status":4,"is_primary":true,"modified_by":"a","target_org_datacenter":"us1","target_org_name":"b","target_org_uuid":"c"},"id":"o","type":"hamr_org_connections"}}`

const validResponse = `{"data":{"attributes":{"hamr_status":4,"is_primary":true,"modified_at":"2026-01-13T17:26:48.830968Z","modified_by":"a","target_org_datacenter":"us1","target_org_name":"b","target_org_uuid":"c"},"id":"o","type":"hamr_org_connections"}}`

func validator(t *testing.T) *Validator {
	t.Helper()
	v, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func post(body string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "https://api.datadoghq.eu/api/v2/hamr", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return req
}

func TestRequests(t *testing.T) {
	v := validator(t)
	cases := []struct {
		name     string
		body     string
		pointers []string
	}{
		{"valid", validRequest, nil},
		{"unknown status", strings.Replace(validRequest, `"hamr_status":4`, `"hamr_status":6`, 1), []string{"/data/attributes/hamr_status"}},
		{"singular type", strings.Replace(validRequest, `hamr_org_connections`, `hamr_org_connection`, 1), []string{"/data/type"}},
		// Without SkipSettingDefaults kin-openapi would fill in the type's default and pass this.
		{"missing type", strings.Replace(validRequest, `,"type":"hamr_org_connections"`, ``, 1), []string{"/data/type"}},
		{"wrong JSON type and a missing field", strings.Replace(strings.Replace(validRequest, `"is_primary":true`, `"is_primary":"true"`, 1), `,"target_org_uuid":"c"`, ``, 1),
			[]string{"/data/attributes/is_primary", "/data/attributes/target_org_uuid"}},
		{"malformed JSON", `{"data":`, []string{""}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := v.Request(context.Background(), post(tc.body), []byte(tc.body))
			if tc.pointers == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Status != http.StatusBadRequest || e.Direction != Request {
				t.Fatalf("want a request *Error with status 400, got %v", err)
			}
			var got []string
			for _, issue := range e.Issues {
				got = append(got, issue.Pointer)
			}
			if strings.Join(got, " ") != strings.Join(tc.pointers, " ") {
				t.Errorf("pointers %v, want %v (%v)", got, tc.pointers, err)
			}
		})
	}
}

func TestRoutes(t *testing.T) {
	v := validator(t)
	for _, tc := range []struct {
		method, url string
		status      int
	}{
		{"DELETE", "http://127.0.0.1:9/api/v2/hamr", 405},
		{"GET", "http://127.0.0.1:9/api/v2/nothing", 404},
	} {
		err := v.Request(context.Background(), httptest.NewRequest(tc.method, tc.url, nil), nil)
		var e *Error
		if !errors.As(err, &e) || e.Status != tc.status {
			t.Errorf("%s %s: want status %d, got %v", tc.method, tc.url, tc.status, err)
		}
	}
	// Every site's host and the sandbox's loopback address route alike.
	for _, url := range []string{"https://api.us2.ddog-gov.com/api/v2/hamr", "http://127.0.0.1:41234/api/v2/hamr"} {
		if _, _, err := v.Route(httptest.NewRequest("GET", url, nil)); err != nil {
			t.Errorf("%s: %v", url, err)
		}
	}
}

func TestResponses(t *testing.T) {
	v := validator(t)
	get := httptest.NewRequest(http.MethodGet, "https://api.datadoghq.com/api/v2/hamr", nil)
	jsonHeader := http.Header{"Content-Type": {"application/json"}}
	rateLimit := http.Header{"Content-Type": {"application/json"}, "X-Ratelimit-Limit": {"1"}, "X-Ratelimit-Period": {"1"},
		"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"1"}, "X-Ratelimit-Name": {"hamr"}}
	cases := []struct {
		name   string
		status int
		header http.Header
		body   string
		want   string // "" for a conforming response, else a fragment of the error
	}{
		{"valid 200", 200, jsonHeader, validResponse, ""},
		{"valid 404", 404, jsonHeader, `{"errors":[{"status":"404","title":"Not Found"}]}`, ""},
		{"valid 429", 429, rateLimit, `{"errors":["Too many requests"]}`, ""},
		{"undocumented status", 418, jsonHeader, `{}`, "status is not supported"},
		{"500 is not documented for GET", 500, jsonHeader, `{"errors":[]}`, "status is not supported"},
		{"wrong content type", 200, http.Header{"Content-Type": {"text/html"}}, validResponse, "Content-Type"},
		{"unknown enum value", 200, jsonHeader, strings.Replace(validResponse, `"hamr_status":4`, `"hamr_status":7`, 1), "/data/attributes/hamr_status"},
		{"missing required field", 200, jsonHeader, strings.Replace(validResponse, `"modified_by":"a",`, ``, 1), "/data/attributes/modified_by"},
		{"wrong type", 200, jsonHeader, strings.Replace(validResponse, `hamr_org_connections`, `hamr_org_connection`, 1), "/data/type"},
		{"malformed JSON", 200, jsonHeader, `{"data":`, "not valid JSON"},
		{"error body of the wrong shape", 404, jsonHeader, `{"errors":["Not Found"]}`, "/errors/0"},
		{"429 without rate-limit headers", 429, jsonHeader, `{"errors":["Too many requests"]}`, "X-RateLimit"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := v.Response(context.Background(), get, tc.status, tc.header, []byte(tc.body))
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Direction != Response || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want a response *Error mentioning %q, got %v", tc.want, err)
			}
		})
	}
}

func TestIssueNamesTheContentTypeHeader(t *testing.T) {
	req := post(validRequest)
	req.Header.Set("Content-Type", "text/plain")
	err := validator(t).Request(context.Background(), req, []byte(validRequest))
	var e *Error
	if !errors.As(err, &e) || e.Issues[0].Header != "Content-Type" {
		t.Fatalf("want an issue naming the Content-Type header, got %#v", err)
	}
}

func TestUndeclaredFieldsAreDrift(t *testing.T) {
	v := validator(t)
	get := httptest.NewRequest(http.MethodGet, "https://api.datadoghq.com/api/v2/hamr", nil)
	withExtra := strings.Replace(validResponse, `"is_primary":true`, `"is_primary":true,"region_lock":{"on":true}`, 1)
	withExtra = strings.Replace(withExtra, `"type":"hamr_org_connections"`, `"type":"hamr_org_connections","links":{}`, 1)
	if err := v.Response(context.Background(), get, 200, http.Header{"Content-Type": {"application/json"}}, []byte(withExtra)); err != nil {
		t.Fatalf("extra fields must pass validation (they are drift, not breakage): %v", err)
	}
	got := v.Undeclared(get, 200, []byte(withExtra))
	if strings.Join(got, " ") != "/data/attributes/region_lock /data/links" {
		t.Errorf("Undeclared = %v", got)
	}
	if got := v.Undeclared(get, 200, []byte(validResponse)); len(got) != 0 {
		t.Errorf("a body with only declared fields reported %v", got)
	}
	errorWithMeta := `{"errors":[{"status":"404","meta":{"anything":1}}]}`
	if got := v.Undeclared(get, 404, []byte(errorWithMeta)); len(got) != 0 {
		t.Errorf("members of the free-form meta object reported as drift: %v", got)
	}
}
