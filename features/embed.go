// Package features holds the contract suite's Gherkin scenarios and their
// recordings, embedded so that an installed `hamr contract` replays them from
// any directory.
package features

import "embed"

// Files holds *.feature and cassettes/<site>/<feature>/<scenario>.yaml.
//
//go:embed *.feature all:cassettes
var Files embed.FS
