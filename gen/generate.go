// Package gen holds the Go code that oapi-codegen produces from openapi/hamr.yaml:
// models, the HTTP client and the server interface. Never edit *.gen.go by
// hand; change the fragment and run `make generate`.
package gen

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config config.yaml ../openapi/hamr.yaml
