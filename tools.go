//go:build tools

// Package tools pins the code generator through go.mod, so that everyone who
// runs `go generate` uses the same oapi-codegen version.
package tools

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
