package sandbox

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzCreate throws arbitrary bodies at POST /api/v2/hamr. Whatever arrives,
// the sandbox must not panic, must not answer 5xx (no faults are injected),
// and must answer in a shape the fragment documents. The seed corpus runs in
// every `go test`; `go test -fuzz FuzzCreate ./sandbox` explores further.
func FuzzCreate(f *testing.F) {
	for _, seed := range []string{
		validBody(DefaultOrgID, 4),
		validBody(otherOrgID, 0),
		validBody(DefaultOrgID, 6),
		strings.Replace(validBody(DefaultOrgID, 4), "hamr_org_connections", "hamr_org_connection", 1),
		`{"data":`, ``, `null`, `[]`, `{"data":{"attributes":null}}`, `"\u0000"`,
		`{"data":{"attributes":{"hamr_status":1e400}}}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		s, err := New(Config{SelfCheck: func(err error) { t.Errorf("answer breaks the fragment: %v", err) }})
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest(http.MethodPost, "/api/v2/hamr", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("DD-API-KEY", DevAPIKey)
		req.Header.Set("DD-APPLICATION-KEY", DevAppKey)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("status %d for body %q: %s", rec.Code, body, rec.Body)
		}
	})
}
