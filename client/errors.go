package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hamr-go/hamr/gen"
)

// ErrRateLimited matches (with errors.Is) an *APIError for a 429 answer.
var ErrRateLimited = errors.New("rate limited")

// APIError is any non-2xx answer from the API. Use errors.As to get it:
//
//	var apiErr *client.APIError
//	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound { ... }
type APIError struct {
	Method     string
	URL        string // scheme, host and path: never a query string or user info
	StatusCode int

	// Errors is the decoded JSON:API error list (400, 403, 404, 500).
	Errors []gen.JSONAPIErrorItem
	// Messages is the 429 body's list of strings.
	Messages []string
	// RateLimit holds the X-RateLimit-* headers when the answer carried them.
	RateLimit *RateLimit
	// Body is the raw body, kept when it was neither of the documented shapes.
	Body []byte
}

// RateLimit is what the X-RateLimit-* headers said.
type RateLimit struct {
	Limit     int64         // requests allowed per period
	Period    time.Duration // length of the period
	Remaining int64         // requests left in this period
	Reset     time.Duration // time until the period resets
	Name      string        // which rate limit applies
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "hamr: %s %s: %d %s", e.Method, e.URL, e.StatusCode, http.StatusText(e.StatusCode))
	for _, item := range e.Errors {
		b.WriteString(": ")
		b.WriteString(describe(item))
	}
	for _, msg := range e.Messages {
		b.WriteString(": ")
		b.WriteString(msg)
	}
	if e.StatusCode == http.StatusTooManyRequests && e.RateLimit != nil {
		fmt.Fprintf(&b, " (limit %q resets in %s)", e.RateLimit.Name, e.RateLimit.Reset)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrRateLimited) true for a 429.
func (e *APIError) Is(target error) bool {
	return target == ErrRateLimited && e.StatusCode == http.StatusTooManyRequests
}

// RetryAfter is how long to wait before calling again: the rate limit's reset
// for a 429, zero otherwise.
func (e *APIError) RetryAfter() time.Duration {
	if e.StatusCode == http.StatusTooManyRequests && e.RateLimit != nil {
		return e.RateLimit.Reset
	}
	return 0
}

func describe(item gen.JSONAPIErrorItem) string {
	parts := make([]string, 0, 3)
	if item.Title != nil {
		parts = append(parts, *item.Title)
	}
	if item.Detail != nil {
		parts = append(parts, *item.Detail)
	}
	if item.Source != nil && item.Source.Pointer != nil {
		parts = append(parts, "at "+*item.Source.Pointer)
	}
	return strings.Join(parts, " ")
}

// newAPIError decodes a non-2xx answer. It never fails: a body of neither
// documented shape is kept raw.
func newAPIError(req *http.Request, resp *http.Response, body []byte) *APIError {
	e := &APIError{Method: req.Method, URL: safeURL(req.URL), StatusCode: resp.StatusCode, RateLimit: parseRateLimit(resp.Header)}
	var jsonAPI gen.JSONAPIErrorResponse
	var messages gen.APIErrorResponse
	switch {
	case json.Unmarshal(body, &jsonAPI) == nil && jsonAPI.Errors != nil:
		e.Errors = jsonAPI.Errors
	case json.Unmarshal(body, &messages) == nil && messages.Errors != nil:
		e.Messages = messages.Errors
	default:
		e.Body = body
	}
	return e
}

func parseRateLimit(h http.Header) *RateLimit {
	if h.Get("X-RateLimit-Limit") == "" && h.Get("X-RateLimit-Reset") == "" {
		return nil
	}
	number := func(name string) int64 {
		n, _ := strconv.ParseInt(h.Get(name), 10, 64)
		return n
	}
	return &RateLimit{
		Limit:     number("X-RateLimit-Limit"),
		Period:    time.Duration(number("X-RateLimit-Period")) * time.Second,
		Remaining: number("X-RateLimit-Remaining"),
		Reset:     time.Duration(number("X-RateLimit-Reset")) * time.Second,
		Name:      h.Get("X-RateLimit-Name"),
	}
}

// safeURL drops user info and the query string: neither belongs in an error.
func safeURL(u *url.URL) string {
	clean := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}
	return clean.String()
}
