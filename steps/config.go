// Package steps is the contract suite: the Gherkin step definitions, the
// harness that validates every exchange against the fragment, the
// recordings (go-vcr), the targets (real sites or the local sandbox) and the
// live-safety rules. `hamr contract` and `go test` both run it through Run.
package steps

import (
	"fmt"
	"io"
	"io/fs"
	"testing"
)

// Mode says where answers come from.
type Mode string

const (
	// Replay answers from the recordings; nothing leaves the process.
	Replay Mode = "replay"
	// Record sends to the target and writes the recordings.
	Record Mode = "record"
	// Live sends to the target and writes nothing.
	Live Mode = "live"
)

// ParseMode reads --mode.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case Replay, Record, Live:
		return m, nil
	}
	return "", fmt.Errorf("unknown mode %q: use replay, record or live", s)
}

// Config is one run of the suite.
type Config struct {
	Mode  Mode
	Sites []string // from the fragment's enum; all when empty

	// Sandbox starts the local sandbox in-process, one per site, and points
	// each site at its own. The sandbox is ours: scenarios may mutate it.
	Sandbox bool
	// BaseURLs sends a site's requests somewhere other than its API host (a
	// proxy, or a test's own server). Such a target is treated as real.
	BaseURLs map[string]string

	// SandboxOrg names the org that mutating scenarios may change on a real
	// target. It must be the org the keys belong to.
	SandboxOrg string
	// AllowCreate lets mutating scenarios run where the org has no connection
	// to restore afterwards (the API has no DELETE).
	AllowCreate bool

	// Cassettes is the recordings folder: read in replay, written in record.
	// Empty in replay means the recordings embedded in the binary.
	Cassettes string
	// Features are the .feature files (and, for replay without Cassettes,
	// the recordings under cassettes/). Nil means the embedded ones.
	Features fs.FS

	Tags        string // godog tag expression
	Format      string // godog formats, comma separated; default "progress"
	Output      io.Writer
	Summary     string // a Markdown site × scenario matrix is written here
	Strict      bool   // undeclared response fields fail instead of warn
	Concurrency int    // sites at once (default 8); a site's scenarios run one at a time
	Randomize   int64  // shuffle scenarios with this seed (0: file order)

	// Env reads keys (DD_API_KEY, DD_APP_KEY, per-site overrides); nil is os.Getenv.
	Env func(string) string

	TestingT *testing.T // run each scenario as a subtest
}
