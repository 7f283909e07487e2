package validate

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// Direction says which half of an exchange broke the fragment.
type Direction string

const (
	Request  Direction = "request"
	Response Direction = "response"
)

// Issue is one violation: where it is (a JSON pointer into the body, or the
// header or parameter it concerns) and why it is wrong.
type Issue struct {
	Pointer string // JSON pointer into the body; "" for the whole body, or when the issue is not in the body
	Header  string // the header concerned, if any
	Reason  string // what is wrong, for a person
}

func (i Issue) String() string {
	switch {
	case i.Pointer != "":
		return i.Pointer + ": " + i.Reason
	case i.Header != "":
		return "header " + i.Header + ": " + i.Reason
	default:
		return i.Reason
	}
}

// Error is a request or response that does not conform to the fragment. It
// lists every violation found, each with where and why.
type Error struct {
	Direction Direction
	Method    string
	Path      string // URL path only: never a query string or a host's credentials
	Status    int    // the response status for a response; for a request, the status a server should answer (400, 404, 405)
	Issues    []Issue
	cause     error
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s does not conform to the HAMR fragment", e.Method, e.Path, e.Direction)
	if e.Direction == Response && e.Status != 0 {
		fmt.Fprintf(&b, " (status %d)", e.Status)
	}
	for i, issue := range e.Issues {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(issue.String())
	}
	return b.String()
}

// Unwrap gives the kin-openapi error, for callers that want its detail.
func (e *Error) Unwrap() error { return e.cause }

func newError(dir Direction, req *http.Request, status int, cause error) *Error {
	e := &Error{Direction: dir, Method: req.Method, Path: req.URL.Path, Status: status, cause: cause}
	if dir == Request {
		e.Status = http.StatusBadRequest
	}
	e.Issues = issuesOf(cause, nil)
	if len(e.Issues) == 0 {
		e.Issues = []Issue{{Reason: cause.Error()}}
	}
	return e
}

// issuesOf flattens kin-openapi's nested errors (RequestError, ResponseError,
// MultiError, SchemaError, ParseError) into one Issue per violation.
func issuesOf(err error, out []Issue) []Issue {
	var (
		multi    openapi3.MultiError
		schema   *openapi3.SchemaError
		request  *openapi3filter.RequestError
		response *openapi3filter.ResponseError
		parse    *openapi3filter.ParseError
	)
	switch {
	case errors.As(err, &multi) && len(multi) > 0:
		for _, each := range multi {
			out = issuesOf(each, out)
		}
	case errors.As(err, &schema):
		out = append(out, Issue{Pointer: pointer(schema.JSONPointer()), Reason: schemaReason(schema)})
	case errors.As(err, &parse):
		out = append(out, Issue{Reason: "body is not valid JSON: " + parseReason(parse)})
	case errors.As(err, &request):
		issue := Issue{Reason: request.Error()}
		if strings.Contains(request.Reason, "Content-Type") {
			issue.Header = "Content-Type"
		}
		out = append(out, issue)
	case errors.As(err, &response):
		issue := Issue{Reason: response.Error()}
		if h, ok := strings.CutPrefix(response.Reason, "response header "); ok {
			issue.Header, _, _ = strings.Cut(h, " ")
			issue.Header = strings.Trim(issue.Header, `"`)
		}
		out = append(out, issue)
	default:
		out = append(out, Issue{Reason: err.Error()})
	}
	return out
}

// pointer renders an RFC 6901 JSON pointer; "" is the whole document.
func pointer(path []string) string {
	if len(path) == 0 {
		return ""
	}
	escaped := make([]string, len(path))
	for i, p := range path {
		escaped[i] = strings.ReplaceAll(strings.ReplaceAll(p, "~", "~0"), "/", "~1")
	}
	return "/" + strings.Join(escaped, "/")
}

// schemaReason is the reason without kin-openapi's dump of the schema and the
// value: short enough for a person, and never echoing a submitted value.
func schemaReason(e *openapi3.SchemaError) string {
	if e.Reason != "" {
		return e.Reason
	}
	if e.Origin != nil {
		return e.Origin.Error()
	}
	return fmt.Sprintf("does not match schema %q", e.SchemaField)
}

func parseReason(e *openapi3filter.ParseError) string {
	if e.Cause != nil {
		return e.Cause.Error()
	}
	return e.Reason
}
