package client

import (
	"context"
	"errors"
	"net/http"
)

// credentials hold the keys. They are unexported and never formatted: Client's
// String and GoString describe only which kind of auth is in use.
type credentials struct {
	apiKey, appKey string
	bearer         string
}

func (c credentials) kind() string {
	switch {
	case c.bearer != "":
		return "bearer token"
	case c.apiKey != "" || c.appKey != "":
		return "API and application keys"
	default:
		return "none"
	}
}

var errNoCredentials = errors.New("no credentials: set DD_API_KEY and DD_APP_KEY, or pass client.WithAPIKeys or client.WithBearerToken")

func (c credentials) check() error {
	switch {
	case c.bearer != "":
		return nil
	case c.apiKey == "" && c.appKey == "":
		return errNoCredentials
	case c.apiKey == "":
		return errors.New("an application key was given without an API key: set DD_API_KEY or pass both to client.WithAPIKeys")
	case c.appKey == "":
		return errors.New("an API key was given without an application key: set DD_APP_KEY or pass both to client.WithAPIKeys")
	}
	return nil
}

// authorize is a generated-client request editor: it adds the headers of the
// fragment's security schemes (apiKeyAuth + appKeyAuth, or AuthZ).
func (c credentials) authorize(_ context.Context, req *http.Request) error {
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
		return nil
	}
	req.Header.Set("DD-API-KEY", c.apiKey)
	req.Header.Set("DD-APPLICATION-KEY", c.appKey)
	return nil
}
