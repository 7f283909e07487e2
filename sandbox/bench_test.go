package sandbox

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkSandbox measures requests per second through one sandbox, in
// process (no network in the way), with request validation and without it,
// on the same handler: half POSTs, half GETs. Run:
//
//	go test ./sandbox -run '^$' -bench Sandbox -benchmem
func BenchmarkSandbox(b *testing.B) {
	for _, mode := range []struct {
		name     string
		validate bool
	}{{"validated", true}, {"unvalidated", false}} {
		b.Run(mode.name, func(b *testing.B) {
			s, err := New(Config{})
			if err != nil {
				b.Fatal(err)
			}
			s.validateRequests = mode.validate
			body := validBody(DefaultOrgID, 4)
			i := 0
			for b.Loop() {
				var req *http.Request
				if i%2 == 0 {
					req = httptest.NewRequest(http.MethodPost, "/api/v2/hamr", strings.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
				} else {
					req = httptest.NewRequest(http.MethodGet, "/api/v2/hamr", nil)
				}
				req.Header.Set("DD-API-KEY", DevAPIKey)
				req.Header.Set("DD-APPLICATION-KEY", DevAppKey)
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
				i++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}
