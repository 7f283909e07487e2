package steps

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hamr-go/hamr/validate"
)

// BenchmarkReplayMatrix runs the whole replay suite on every site at once,
// and on one site alone. The goal: all eight sites concurrently within 2× of
// one site. Run:
//
//	go test ./steps -run '^$' -bench ReplayMatrix -benchmem
func BenchmarkReplayMatrix(b *testing.B) {
	for _, bench := range []struct {
		name  string
		sites []string
	}{
		{"all-sites", nil},
		{"one-site", []string{"datadoghq.com"}},
	} {
		b.Run(bench.name, func(b *testing.B) {
			for b.Loop() {
				res, err := Run(context.Background(), Config{Mode: Replay, Sites: bench.sites, Output: io.Discard, Env: func(string) string { return "" }})
				if err != nil || res.Failed {
					b.Fatalf("replay failed: %v", err)
				}
			}
		})
	}
}

// BenchmarkExchange is one GET over loopback, through the validating
// harness and straight through the same transport. The goal: validated
// within 1.3× of unvalidated.
func BenchmarkExchange(b *testing.B) {
	body := `{"data":{"attributes":{"hamr_status":4,"is_primary":true,"modified_at":"2026-01-13T17:26:48.830968Z","modified_by":"admin@example.com","target_org_datacenter":"us1","target_org_name":"Production Backup Org","target_org_uuid":"660f9511-f3ac-52e5-b827-557766551111"},"id":"550e8400-e29b-41d4-a716-446655440000","type":"hamr_org_connections"}}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, body)
	}))
	b.Cleanup(srv.Close)
	validator, err := validate.Default()
	if err != nil {
		b.Fatal(err)
	}
	transport := &http.Transport{}
	b.Cleanup(transport.CloseIdleConnections)
	site := &siteRun{target: &target{Site: "datadoghq.com", kind: targetReplay}}

	for _, bench := range []struct {
		name      string
		transport func() http.RoundTripper
	}{
		{"validated", func() http.RoundTripper {
			return &harness{validator: validator, scenario: &scenario{site: site}, next: transport}
		}},
		{"unvalidated", func() http.RoundTripper { return transport }},
	} {
		b.Run(bench.name, func(b *testing.B) {
			for b.Loop() {
				rt := bench.transport() // a fresh scenario each time, as in the suite
				req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v2/hamr", nil)
				resp, err := rt.RoundTrip(req)
				if err != nil {
					b.Fatal(err)
				}
				got, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if !strings.Contains(string(got), "hamr_org_connections") {
					b.Fatal("unexpected body")
				}
			}
		})
	}
}
