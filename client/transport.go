package client

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/hamr-go/hamr/validate"
)

// maxResponseBody caps what is read of a response: HAMR bodies are a few
// hundred bytes, so anything near this is not a HAMR answer.
const maxResponseBody = 1 << 20

// validatingDoer is the generated client's HttpRequestDoer. Around every call
// it (1) validates the request against the fragment and refuses to send one
// that breaks it, (2) sends it with bounded retries, and (3) reads the whole
// response and validates it, so that no caller ever decodes a non-conforming
// 200 into a struct.
type validatingDoer struct {
	validator        *validate.Validator
	retrying         *retryablehttp.Client
	maxElapsed       time.Duration
	validateRequests bool
}

// Do returns the response with its body already read and replaced, so that
// the call's deadline can be released here. A non-conforming 2xx is an error.
func (d *validatingDoer) Do(req *http.Request) (*http.Response, error) {
	body, err := readRequestBody(req)
	if err != nil {
		return nil, err
	}
	if d.validateRequests {
		if err := d.validator.Request(req.Context(), req, body); err != nil {
			return nil, fmt.Errorf("hamr: refusing to send %s %s: %w", req.Method, safeURL(req.URL), err)
		}
	}

	ctx, cancel := context.WithTimeout(req.Context(), d.maxElapsed)
	defer cancel()
	retryable, err := retryablehttp.FromRequest(req.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	resp, err := d.retrying.Do(retryable)
	if err != nil {
		return nil, fmt.Errorf("hamr: %s %s: %w", req.Method, safeURL(req.URL), err)
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody+1))
	if err != nil {
		return nil, fmt.Errorf("hamr: %s %s: reading the response: %w", req.Method, safeURL(req.URL), err)
	}
	if len(respBody) > maxResponseBody {
		return nil, fmt.Errorf("hamr: %s %s: response body is over %d bytes; this is not a HAMR answer", req.Method, safeURL(req.URL), maxResponseBody)
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	resp.Request = req // the caller's request, whatever the transport below set

	// A non-2xx answer becomes an APIError whatever its shape (a proxy's
	// HTML 502 must still tell the caller its status), so only 2xx bodies
	// are held to the fragment here. The contract suite checks every status.
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if err := d.validator.Response(req.Context(), req, resp.StatusCode, resp.Header, respBody); err != nil {
			return nil, fmt.Errorf("hamr: %s %s: the API's answer breaks the fragment, refusing to decode it: %w", req.Method, safeURL(req.URL), err)
		}
	}
	return resp, nil
}

func readRequestBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	body, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("hamr: reading the request body: %w", err)
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return body, nil
}
