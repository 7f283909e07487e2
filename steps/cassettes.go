package steps

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"gopkg.in/dnaeon/go-vcr.v4/pkg/cassette"
	"gopkg.in/dnaeon/go-vcr.v4/pkg/recorder"
)

// cassetteName is <site>/<feature>/<scenario>, without ".yaml".
func cassetteName(site, feature, scenario string) string {
	return path.Join(site, feature, slug(scenario))
}

var nonWord = regexp.MustCompile(`[^a-z0-9]+`)

func slug(name string) string {
	return strings.Trim(nonWord.ReplaceAllString(strings.ToLower(name), "_"), "_")
}

// readOnlyFS lets go-vcr replay from an fs.FS, such as the embedded recordings.
type readOnlyFS struct{ fsys fs.FS }

func (r readOnlyFS) ReadFile(name string) ([]byte, error) { return fs.ReadFile(r.fsys, name) }
func (r readOnlyFS) WriteFile(string, []byte) error {
	return errors.New("replay never writes a recording")
}
func (r readOnlyFS) IsFileExists(name string) bool {
	_, err := fs.Stat(r.fsys, name)
	return err == nil
}

// errMissingRecording is wrapped by the error for a scenario with no recording.
var errMissingRecording = errors.New("no recording")

// newRecorder opens the scenario's cassette: read-only in replay, written in
// record. Requests match on method, path and canonical JSON body, never on
// host, port or headers; recorded latency is not replayed.
func newRecorder(mode Mode, cassettes fs.FS, dir, name string, real http.RoundTripper, scrub *scrubber) (*recorder.Recorder, error) {
	opts := []recorder.Option{
		recorder.WithMatcher(matchRequest),
		recorder.WithSkipRequestLatency(true),
		recorder.WithRealTransport(real),
		// Not io.Discard: go-vcr swaps io.Discard for stderr when VCR_DEBUG
		// is set, and its debug lines carry request bodies.
		recorder.WithDebugWriter(discard{}),
	}
	switch mode {
	case Replay:
		opts = append(opts, recorder.WithMode(recorder.ModeReplayOnly), recorder.WithFS(readOnlyFS{cassettes}))
	case Record:
		name = filepath.Join(dir, filepath.FromSlash(name))
		opts = append(opts, recorder.WithMode(recorder.ModeRecordOnly), recorder.WithHook(scrub.hook, recorder.BeforeSaveHook))
	default:
		return nil, fmt.Errorf("mode %s has no recorder", mode)
	}
	rec, err := recorder.New(name, opts...)
	if errors.Is(err, cassette.ErrCassetteNotFound) {
		return nil, fmt.Errorf("%w at %s.yaml: record it with `make record` (hamr contract --mode record --sandbox), or against a real sandbox org as the README says: %w", errMissingRecording, name, err)
	}
	return rec, err
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// matchRequest compares method, path and canonical JSON body.
func matchRequest(r *http.Request, recorded cassette.Request) bool {
	if r.Method != recorded.Method {
		return false
	}
	u, err := url.Parse(recorded.URL)
	if err != nil || u.Path != r.URL.Path {
		return false
	}
	var body []byte
	if r.Body != nil && r.Body != http.NoBody {
		body, _ = io.ReadAll(r.Body)
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body)) // the next candidate reads it again
	}
	return canonicalJSON(body) == canonicalJSON([]byte(recorded.Body))
}

// canonicalJSON is the body with keys sorted and spacing removed; a body
// that is not JSON (a deliberately malformed one) compares as trimmed bytes.
func canonicalJSON(b []byte) string {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return string(bytes.TrimSpace(b))
	}
	out, _ := json.Marshal(v)
	return string(out)
}

// scrubber removes credentials from an interaction before it is saved, and
// stands the recorded org's UUID in for the real one.
type scrubber struct {
	secrets  []string
	orgID    string // the real org's UUID, replaced by recordedOrgID
	redacted string
}

var credentialHeaders = []string{"DD-API-KEY", "DD-APPLICATION-KEY", "Authorization"}

func (s *scrubber) hook(i *cassette.Interaction) error {
	// go-vcr hands hooks the live request's header map: clone before
	// changing it, or the caller's request loses its keys too.
	i.Request.Headers = i.Request.Headers.Clone()
	i.Response.Headers = i.Response.Headers.Clone()
	for _, h := range credentialHeaders {
		i.Request.Headers.Del(h)
	}
	i.Request.Body = s.clean(i.Request.Body)
	i.Request.URL = s.clean(i.Request.URL)
	i.Request.Form = nil
	i.Response.Body = s.clean(i.Response.Body)
	for _, headers := range []http.Header{i.Request.Headers, i.Response.Headers} {
		for name, values := range headers {
			for k, v := range values {
				values[k] = s.clean(v)
			}
			headers[name] = values
		}
	}
	return nil
}

func (s *scrubber) clean(text string) string {
	for _, secret := range s.secrets {
		text = strings.ReplaceAll(text, secret, s.redacted)
	}
	if s.orgID != "" && s.orgID != recordedOrgID {
		text = strings.ReplaceAll(text, s.orgID, recordedOrgID)
	}
	return text
}
