// Package sandbox is a local, stateful fake of Datadog's HAMR API, one
// deployment per site, built from the same fragment as the client.
//
// Its handlers implement the server interface that oapi-codegen generates
// from openapi/hamr.yaml, so a spec change breaks the build rather than the
// behaviour; requests are validated by kin-openapi against the same fragment;
// every answer takes one of the fragment's documented shapes.
package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/hamr-go/hamr/gen"
	"github.com/hamr-go/hamr/validate"
)

// maxBodyBytes is the largest request body the sandbox reads (1 MiB).
const maxBodyBytes = 1 << 20

// Config describes one site's sandbox.
type Config struct {
	Site string // the Datadog site it stands in for, for logs

	// Orgs the sandbox knows. Empty means the default org with the
	// development keys.
	Orgs []Org

	// RateLimit requests per RatePeriod per org; 0 turns rate limiting off.
	RateLimit  int
	RatePeriod time.Duration

	Latency  time.Duration // added to every authenticated request
	FailRate float64       // 0..1: share of authenticated requests answered 500
	Seed     uint64        // seeds FailRate's draws

	// Logger gets one line per request (method, path, status, latency, org;
	// never a key). Nil logs nothing.
	Logger *slog.Logger

	// SelfCheck, if set, is called with every response the sandbox sends
	// that breaks the fragment. Tests set it to fail; nothing should call it.
	SelfCheck func(error)

	// Now is the clock; nil is time.Now. Tests move it to cross rate-limit windows.
	Now func() time.Time
}

// Server is the sandbox for one site: its orgs, their connections, their
// rate limits. It is safe for concurrent use.
type Server struct {
	cfg       Config
	validator *validate.Validator
	orgsByKey map[string]Org // by API key and by bearer token
	store     *store
	limiter   atomic.Pointer[rateLimiter] // nil when off; swapped by SetRateLimit
	faults    *faults
	handler   http.Handler

	// validateRequests is off only in the benchmark that measures what
	// validation costs.
	validateRequests bool
}

var _ gen.ServerInterface = (*Server)(nil)

// New builds a sandbox from cfg.
func New(cfg Config) (*Server, error) {
	if len(cfg.Orgs) == 0 {
		cfg.Orgs = []Org{DefaultOrg("", "")}
	}
	if err := checkOrgs(cfg.Orgs); err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	if cfg.RateLimit < 0 || (cfg.RateLimit > 0 && cfg.RatePeriod < time.Second) {
		return nil, fmt.Errorf("sandbox: rate limit %d per %s: the limit must be positive and the period at least 1s", cfg.RateLimit, cfg.RatePeriod)
	}
	if cfg.FailRate < 0 || cfg.FailRate > 1 {
		return nil, fmt.Errorf("sandbox: fail rate %v is not between 0 and 1", cfg.FailRate)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	validator, err := validate.Default()
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:              cfg,
		validator:        validator,
		orgsByKey:        map[string]Org{},
		store:            newStore(),
		faults:           newFaults(cfg.Latency, cfg.FailRate, cfg.Seed),
		validateRequests: true,
	}
	s.limiter.Store(newRateLimiter(cfg.RateLimit, cfg.RatePeriod))
	for _, org := range cfg.Orgs {
		s.orgsByKey[org.APIKey] = org
		if org.BearerToken != "" {
			s.orgsByKey[org.BearerToken] = org
		}
	}
	operations := gen.HandlerWithOptions(s, gen.StdHTTPServerOptions{
		ErrorHandlerFunc: func(w http.ResponseWriter, _ *http.Request, err error) {
			writeErrors(w, http.StatusBadRequest, problem{detail: err.Error()})
		},
	})
	// Outermost first: log, route, authenticate, rate limit, inject faults,
	// validate, then the generated router calls our handlers.
	s.handler = s.logRequests(s.selfCheck(s.route(s.authenticate(s.rateLimit(s.injectFaults(s.validateRequest(operations)))))))
	return s, nil
}

// ServeHTTP serves the HAMR API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Orgs are the orgs this sandbox knows.
func (s *Server) Orgs() []Org { return append([]Org(nil), s.cfg.Orgs...) }

// GetHamrOrgConnection answers the org's connection, or 404 when it has none.
func (s *Server) GetHamrOrgConnection(w http.ResponseWriter, r *http.Request) {
	org := orgFrom(r.Context())
	conn, ok := s.store.get(org.ID)
	if !ok {
		writeErrors(w, http.StatusNotFound, problem{detail: fmt.Sprintf("organization %s has no HAMR connection", org.ID)})
		return
	}
	writeJSON(w, http.StatusOK, gen.HamrOrgConnectionResponse{Data: conn})
}

// CreateHamrOrgConnection upserts the org's connection. The body has been
// validated against the fragment already.
func (s *Server) CreateHamrOrgConnection(w http.ResponseWriter, r *http.Request) {
	org := orgFrom(r.Context())
	var body gen.HamrOrgConnectionRequest
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeErrors(w, http.StatusBadRequest, problem{detail: "body is not valid JSON: " + err.Error()})
		return
	}
	if body.Data.Id != org.ID {
		writeErrors(w, http.StatusForbidden, problem{
			detail:  "data.id must be the authenticated organization's UUID; an organization can only change its own HAMR connection",
			pointer: "/data/id",
		})
		return
	}
	conn := s.store.put(org.ID, body.Data.Attributes, s.cfg.Now())
	writeJSON(w, http.StatusOK, gen.HamrOrgConnectionResponse{Data: conn})
}

// route answers 404 for a path and 405 for a method the fragment does not have.
func (s *Server) route(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, _, err := s.validator.Route(r); err != nil {
			var e *validate.Error
			if errors.As(err, &e) && e.Status == http.StatusMethodNotAllowed {
				w.Header().Set("Allow", "GET, POST")
			}
			status := http.StatusNotFound
			if e != nil {
				status = e.Status
			}
			writeErrors(w, status, problem{detail: err.Error()})
			return
		}
		next.ServeHTTP(w, r)
	})
}

type orgKey struct{}

func orgFrom(ctx context.Context) Org { org, _ := ctx.Value(orgKey{}).(Org); return org }

// authenticate finds the org from DD-API-KEY + DD-APPLICATION-KEY (or a
// bearer token) and answers 403 when there is none. The detail never echoes
// a key.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		org, ok := s.orgFor(r.Header)
		if !ok {
			writeErrors(w, http.StatusForbidden, problem{detail: "the API key and application key (or bearer token) do not authenticate an organization"})
			return
		}
		reportOrg(r.Context(), org.ID)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), orgKey{}, org)))
	})
}

func (s *Server) orgFor(h http.Header) (Org, bool) {
	if token, ok := bearerToken(h); ok {
		org, found := s.orgsByKey[token]
		return org, found && org.BearerToken == token
	}
	org, found := s.orgsByKey[h.Get("DD-API-KEY")]
	return org, found && h.Get("DD-API-KEY") == org.APIKey && h.Get("DD-APPLICATION-KEY") == org.AppKey
}

func bearerToken(h http.Header) (string, bool) {
	const prefix = "Bearer "
	auth := h.Get("Authorization")
	if len(auth) > len(prefix) && auth[:len(prefix)] == prefix {
		return auth[len(prefix):], true
	}
	return "", false
}

// rateLimit counts each authenticated request against its org's limit.
func (s *Server) rateLimit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limiter := s.limiter.Load()
		if limiter != nil && !limiter.take(w.Header(), orgFrom(r.Context()).ID, s.cfg.Now()) {
			writeTooManyRequests(w)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// injectFaults adds latency and injected 500s.
func (s *Server) injectFaults(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := s.faults.delay(r.Context()); err != nil {
			return // the client went away during the injected latency
		}
		// Only POST documents a 500; GET's injected failures would break the
		// fragment, so they are not drawn.
		if r.Method == http.MethodPost && s.faults.fail() {
			writeErrors(w, http.StatusInternalServerError, problem{detail: "injected fault (--fail-rate)"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// validateRequest reads at most 1 MiB of body and checks the request against
// the fragment: 400 with one error per violation.
func (s *Server) validateRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				writeErrors(w, http.StatusBadRequest, problem{detail: fmt.Sprintf("request body is over %d bytes; a HAMR connection is a few hundred", maxBodyBytes)})
				return
			}
			writeErrors(w, http.StatusBadRequest, problem{detail: "reading the request body: " + err.Error()})
			return
		}
		if s.validateRequests {
			if err := s.validator.Request(r.Context(), r, body); err != nil {
				var e *validate.Error
				if errors.As(err, &e) {
					writeValidationErrors(w, e)
					return
				}
				writeErrors(w, http.StatusBadRequest, problem{detail: err.Error()})
				return
			}
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}
