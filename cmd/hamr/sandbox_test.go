package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hamr-go/hamr/openapi"
	"github.com/hamr-go/hamr/sandbox"
)

// syncBuffer is a bytes.Buffer safe to write from the command and read here.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}
func (b *syncBuffer) String() string { b.mu.Lock(); defer b.mu.Unlock(); return b.buf.String() }

// startCommand runs `hamr args...` until the test ends, and waits for stdout
// to contain want.
func startCommand(t *testing.T, want string, env map[string]string, args ...string) (stdout, stderr *syncBuffer, stop func() int) {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	stdout, stderr = &syncBuffer{}, &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	exit := make(chan int, 1)
	go func() { exit <- run(ctx, args, stdout, stderr) }()
	stop = sync.OnceValue(func() int { cancel(); return <-exit }) // the test and its cleanup may both stop it
	t.Cleanup(func() { stop() })
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stdout.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("stdout never showed %q; stdout %q, stderr %q", want, stdout, stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return stdout, stderr, stop
}

func TestSandboxCommandStartsEverySite(t *testing.T) {
	stdout, stderr, stop := startCommand(t, "DD_APP_KEY=", map[string]string{"DD_API_KEY": "", "DD_APP_KEY": ""}, "sandbox")
	sites, _ := openapi.Sites()
	urls := map[string]string{}
	for _, line := range strings.Split(stdout.String(), "\n") {
		if site, url, ok := strings.Cut(line, " "); ok && strings.HasPrefix(url, "http://127.0.0.1:") {
			urls[site] = url
		}
	}
	if len(urls) != len(sites) {
		t.Fatalf("want one SITE URL line per site (%d), got %q", len(sites), stdout)
	}
	if !strings.Contains(stdout.String(), sandbox.DefaultOrgID) || !strings.Contains(stdout.String(), "DD_API_KEY="+sandbox.DevAPIKey) {
		t.Errorf("the org and the development keys are not printed: %q", stdout)
	}
	req, _ := http.NewRequest("GET", urls["datadoghq.eu"]+"/api/v2/hamr", nil)
	req.Header.Set("DD-API-KEY", sandbox.DevAPIKey)
	req.Header.Set("DD-APPLICATION-KEY", sandbox.DevAppKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("GET on a fresh org: %d, want 404", resp.StatusCode)
	}
	if code := stop(); code != 0 {
		t.Errorf("exit %d after shutdown; stderr %q", code, stderr)
	}
	if !strings.Contains(stderr.String(), "status=404") || !strings.Contains(stderr.String(), "site=datadoghq.eu") {
		t.Errorf("no request log line: %q", stderr)
	}
}

func TestSandboxCommandNeverPrintsGivenKeys(t *testing.T) {
	const apiKey, appKey = "given-api-key-abcdef0123", "given-app-key-abcdef0123"
	stdout, stderr, stop := startCommand(t, "org ", map[string]string{"DD_API_KEY": apiKey, "DD_APP_KEY": appKey}, "sandbox", "--site", "us5.datadoghq.com")
	url := strings.Fields(stdout.String())[1]
	req, _ := http.NewRequest("GET", url+"/api/v2/hamr", nil)
	req.Header.Set("DD-API-KEY", apiKey)
	req.Header.Set("DD-APPLICATION-KEY", appKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("the given keys were not accepted: %d", resp.StatusCode)
	}
	stop()
	for _, out := range []string{stdout.String(), stderr.String()} {
		if strings.Contains(out, apiKey) || strings.Contains(out, appKey) || strings.Contains(out, "DD_API_KEY=") {
			t.Errorf("keys printed: %q", out)
		}
	}
}

func TestSandboxCommandUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"sandbox", "--site", "datadoghq.moon"},
		{"sandbox", "--listen", "127.0.0.1:0"},
		{"sandbox", "--api-key", "only-one"},
		{"nonsense"},
	} {
		var stderr bytes.Buffer
		if code := run(context.Background(), args, &bytes.Buffer{}, &stderr); code != 2 {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", args, code, stderr.String())
		}
		if stderr.Len() == 0 {
			t.Errorf("%v: no message", args)
		}
	}
}
