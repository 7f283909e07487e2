package sandbox

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/hamr-go/hamr/gen"
	"github.com/hamr-go/hamr/validate"
)

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body) // the client hung up; nothing to tell it
}

// problem is one JSON:API error to send.
type problem struct {
	detail  string
	pointer string // JSON pointer into the request body, "" for none
	header  string // the request header at fault, "" for none
}

// writeErrors answers in the JSON:API error shape of the fragment, one error
// per problem.
func writeErrors(w http.ResponseWriter, status int, problems ...problem) {
	title := http.StatusText(status)
	code := strconv.Itoa(status)
	items := make([]gen.JSONAPIErrorItem, 0, len(problems))
	for _, p := range problems {
		item := gen.JSONAPIErrorItem{Status: &code, Title: &title, Detail: &p.detail}
		if p.pointer != "" || p.header != "" {
			item.Source = &gen.JSONAPIErrorItemSource{}
			if p.pointer != "" {
				item.Source.Pointer = &p.pointer
			}
			if p.header != "" {
				item.Source.Header = &p.header
			}
		}
		items = append(items, item)
	}
	writeJSON(w, status, gen.JSONAPIErrorResponse{Errors: items})
}

// writeValidationErrors turns a validation failure into one JSON:API error
// per violation, each pointing at its field.
func writeValidationErrors(w http.ResponseWriter, e *validate.Error) {
	problems := make([]problem, 0, len(e.Issues))
	for _, issue := range e.Issues {
		problems = append(problems, problem{detail: issue.String(), pointer: issue.Pointer, header: issue.Header})
	}
	writeErrors(w, e.Status, problems...)
}

// writeTooManyRequests is the 429 body: a list of strings, unlike every other error.
func writeTooManyRequests(w http.ResponseWriter) {
	writeJSON(w, http.StatusTooManyRequests, gen.APIErrorResponse{Errors: []string{"Too many requests"}})
}
