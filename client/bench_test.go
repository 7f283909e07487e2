package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/hamr-go/hamr/gen"
)

// The benchmarks compare the toolkit's call (validated both ways, with the
// retry machinery in place) against the same call made with net/http and
// encoding/json alone, on the same loopback server. Run:
//
//	go test ./client -run '^$' -bench . -benchmem

func BenchmarkGet(b *testing.B) {
	c, srv := setup(b, reply(200, readTestdata(b, "reference_response.json")))

	b.Run("toolkit", func(b *testing.B) {
		for b.Loop() {
			if _, err := c.GetHamrOrgConnection(context.Background()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("net-http", func(b *testing.B) {
		for b.Loop() {
			if _, err := plainCall(srv.URL, http.MethodGet, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkCreate(b *testing.B) {
	c, srv := setup(b, reply(200, readTestdata(b, "reference_response.json")))
	request := exampleRequest()

	b.Run("toolkit", func(b *testing.B) {
		for b.Loop() {
			if _, err := c.CreateHamrOrgConnection(context.Background(), request); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("net-http", func(b *testing.B) {
		for b.Loop() {
			if _, err := plainCall(srv.URL, http.MethodPost, request); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// plainCall is what a user without the toolkit would write: marshal, send
// with the keys, check the status, decode.
func plainCall(baseURL, method string, body any) (*gen.HamrOrgConnectionResponse, error) {
	var reader io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		reader = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, baseURL+"/api/v2/hamr", reader)
	if err != nil {
		return nil, err
	}
	req.Header.Set("DD-API-KEY", testAPIKey)
	req.Header.Set("DD-APPLICATION-KEY", testAppKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	var out gen.HamrOrgConnectionResponse
	return &out, json.NewDecoder(resp.Body).Decode(&out)
}
