// Package validate checks HTTP exchanges against the HAMR fragment with
// kin-openapi: a request before it is sent or served, a response before it is
// trusted. The client, the sandbox and the contract suite share it, so all
// three agree on what "conforms" means.
package validate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/hamr-go/hamr/openapi"
)

// Validator checks requests and responses against one OpenAPI document. It is
// safe for concurrent use; build it once and share it.
type Validator struct {
	router routers.Router
}

// New builds a Validator for doc.
//
// The router is built from a copy of doc without servers: kin-openapi's router
// cannot match Datadog's `https://{subdomain}.{site}` (its host variables may
// not contain dots), and the same validator must also serve the sandbox on
// http://127.0.0.1:PORT. Which site a client talks to is checked elsewhere,
// against the servers' enum (openapi.CheckSite).
func New(doc *openapi3.T) (*Validator, error) {
	withoutServers := *doc
	withoutServers.Servers = nil
	router, err := gorillamux.NewRouter(&withoutServers)
	if err != nil {
		return nil, fmt.Errorf("validate: build router: %w", err)
	}
	return &Validator{router: router}, nil
}

var defaultValidator = sync.OnceValues(func() (*Validator, error) {
	doc, err := openapi.Document()
	if err != nil {
		return nil, err
	}
	return New(doc)
})

// Default returns the shared Validator for the embedded HAMR fragment.
func Default() (*Validator, error) { return defaultValidator() }

// options are the same for every check: report every violation, fail on an
// undocumented status, never rewrite the body with schema defaults (a request
// missing `type` must fail, not be repaired), and leave authentication to the
// server, which knows the keys.
func options() *openapi3filter.Options {
	return &openapi3filter.Options{
		MultiError:            true,
		IncludeResponseStatus: true,
		SkipSettingDefaults:   true,
		AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
	}
}

// Route finds the fragment's operation for req. An unknown path or method is
// an *Error with Status set to 404 or 405, so a server can answer accordingly.
func (v *Validator) Route(req *http.Request) (*routers.Route, map[string]string, error) {
	route, params, err := v.router.FindRoute(req)
	switch {
	case errors.Is(err, routers.ErrMethodNotAllowed):
		return nil, nil, &Error{Direction: Request, Method: req.Method, Path: req.URL.Path, Status: http.StatusMethodNotAllowed,
			Issues: []Issue{{Reason: fmt.Sprintf("method %s is not allowed on %s", req.Method, req.URL.Path)}}}
	case err != nil:
		return nil, nil, &Error{Direction: Request, Method: req.Method, Path: req.URL.Path, Status: http.StatusNotFound,
			Issues: []Issue{{Reason: fmt.Sprintf("no operation %s %s in the fragment", req.Method, req.URL.Path)}}}
	}
	return route, params, nil
}

// Request checks req, whose body is given separately so that the caller keeps
// it (req.Body is neither read nor replaced).
func (v *Validator) Request(ctx context.Context, req *http.Request, body []byte) error {
	input, err := v.requestInput(req, body)
	if err != nil {
		return err
	}
	if err := openapi3filter.ValidateRequest(ctx, input); err != nil {
		return newError(Request, req, 0, err)
	}
	return nil
}

// Response checks a response to req: its status must be documented for the
// operation, and its Content-Type, headers and body must match.
func (v *Validator) Response(ctx context.Context, req *http.Request, status int, header http.Header, body []byte) error {
	input, err := v.requestInput(req, nil)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.Direction = Response
		}
		return err
	}
	err = openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input,
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                input.Options,
	})
	if err != nil {
		return newError(Response, req, status, err)
	}
	return nil
}

func (v *Validator) requestInput(req *http.Request, body []byte) (*openapi3filter.RequestValidationInput, error) {
	route, params, err := v.Route(req)
	if err != nil {
		return nil, err
	}
	// Validate a shallow copy whose body we own: kin-openapi reads req.Body.
	clone := req.Clone(req.Context())
	clone.Body = io.NopCloser(bytes.NewReader(body))
	clone.ContentLength = int64(len(body))
	return &openapi3filter.RequestValidationInput{
		Request:    clone,
		PathParams: params,
		Route:      route,
		Options:    options(),
	}, nil
}
