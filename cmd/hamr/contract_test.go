package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The README's main job: all sites, replay, no key, no network, from any
// directory (the features and recordings are embedded).
func TestContractCommandReplaysFromAnyDirectory(t *testing.T) {
	t.Setenv("DD_API_KEY", "")
	t.Setenv("DD_APP_KEY", "")
	t.Chdir(t.TempDir())
	summary := filepath.Join(t.TempDir(), "summary.md")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"contract", "--summary", summary}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "8 sites: 152 passed, 0 failed, 0 skipped") {
		t.Errorf("stdout: %s", stdout.String())
	}
	md, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "| scenario | datadoghq.com | us3.datadoghq.com |") || strings.Count(string(md), "✅") != 152 {
		t.Errorf("summary matrix:\n%s", md)
	}
}

func TestContractCommandFailsWithAMessage(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"contract", "--site", "datadoghq.eu", "--cassettes", t.TempDir()}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "the contract suite failed") || !strings.Contains(stdout.String(), "make record") {
		t.Errorf("exit %d\nstdout %s\nstderr %s", code, stdout.String(), stderr.String())
	}
	for _, args := range [][]string{
		{"contract", "--mode", "replay", "--sandbox"},
		{"contract", "--mode", "rewind"},
		{"contract", "--site", "datadoghq.moon"},
	} {
		stderr.Reset()
		if code := run(context.Background(), args, &bytes.Buffer{}, &stderr); code == 0 || stderr.Len() == 0 {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr.String())
		}
	}
}
