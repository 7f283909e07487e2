package steps

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/hamr-go/hamr/validate"
)

// exchange is one request and its answer, with what the fragment says of
// each.
type exchange struct {
	method, path string
	requestBody  []byte
	status       int
	header       http.Header
	body         []byte

	requestErr  error    // the request breaks the fragment (expected for a deliberately invalid body)
	responseErr error    // the answer breaks the fragment: always a failure
	undeclared  []string // members the fragment does not declare (drift)
	checked     bool     // check ran already (at "the request is sent")
}

// harness is the RoundTripper every request of a scenario goes through,
// whether a step asks or not. It validates the request and the answer
// against the fragment and keeps both, so no scenario can pass on an answer
// that breaks it.
type harness struct {
	validator *validate.Validator
	scenario  *scenario
	next      http.RoundTripper
}

// errUnsafePOST guards a real org: a scenario not tagged @mutating must not
// send a POST to a real target, whatever its steps say.
var errUnsafePOST = errors.New("refusing to POST to a real target from a scenario not tagged @mutating")

func (h *harness) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Method != http.MethodGet && !h.scenario.mutating && h.scenario.site.target.real() {
		return nil, fmt.Errorf("%w (%s)", errUnsafePOST, h.scenario.site.target.Site)
	}
	reqBody, err := drain(&req.Body)
	if err != nil {
		return nil, err
	}
	e := &exchange{method: req.Method, path: req.URL.Path, requestBody: reqBody}
	e.requestErr = h.validator.Request(req.Context(), req, reqBody)

	resp, err := h.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	e.body, err = drain(&resp.Body)
	if err != nil {
		return nil, fmt.Errorf("reading the answer to %s %s: %w", req.Method, req.URL.Path, err)
	}
	e.status, e.header = resp.StatusCode, resp.Header.Clone()
	e.responseErr = h.validator.Response(context.WithoutCancel(req.Context()), req, resp.StatusCode, resp.Header, e.body)
	e.undeclared = h.validator.Undeclared(req, resp.StatusCode, e.body)
	h.scenario.exchanges = append(h.scenario.exchanges, e)
	return resp, nil
}

// drain reads a body whole and puts back a fresh reader over the same bytes.
func drain(body *io.ReadCloser) ([]byte, error) {
	if *body == nil || *body == http.NoBody {
		return nil, nil
	}
	b, err := io.ReadAll(*body)
	(*body).Close()
	*body = io.NopCloser(bytes.NewReader(b))
	return b, err
}

// check is what every exchange must satisfy, asked at "the request is sent"
// and again when the scenario ends:
//   - the answer conforms to the fragment (status documented, Content-Type,
//     headers, body);
//   - a request the fragment calls invalid is answered 400: if the API takes
//     it, the fragment and the API disagree;
//   - under --strict, the answer declares nothing the fragment does not.
func (e *exchange) check(strict bool) (warnings []string, err error) {
	e.checked = true
	var problems []string
	if e.responseErr != nil {
		problems = append(problems, e.responseErr.Error())
	}
	if e.requestErr != nil && e.status != http.StatusBadRequest {
		problems = append(problems, fmt.Sprintf("the fragment says this request is invalid (%v), but the API answered %d instead of 400", e.requestErr, e.status))
	}
	if len(e.undeclared) > 0 {
		drift := fmt.Sprintf("%s %s answered %d with members the fragment does not declare: %s", e.method, e.path, e.status, strings.Join(e.undeclared, ", "))
		if strict {
			problems = append(problems, drift+" (--strict)")
		} else {
			warnings = append(warnings, drift)
		}
	}
	if len(problems) > 0 {
		return warnings, errors.New(strings.Join(problems, "\n"))
	}
	return warnings, nil
}
