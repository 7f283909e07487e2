package sandbox

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"time"
)

// recorder remembers what a handler answered, for the log line and the
// self-check.
type recorder struct {
	http.ResponseWriter
	status int
	body   *bytes.Buffer // nil unless the self-check wants the body
}

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	if r.body != nil {
		r.body.Write(b)
	}
	return r.ResponseWriter.Write(b)
}

// logRequests writes one line per request. It logs the org's UUID, never a
// key: keys arrive only in headers, and no header is logged.
func (s *Server) logRequests(next http.Handler) http.Handler {
	if s.cfg.Logger == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		var org string
		next.ServeHTTP(rec, r.WithContext(withOrgSink(r.Context(), &org)))
		s.cfg.Logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("site", s.cfg.Site),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.status),
			slog.Duration("latency", time.Since(start)),
			slog.String("org", org),
		)
	})
}

// selfCheck validates every response the sandbox sends against the fragment
// and reports any that breaks it. 404 and 405 for paths and methods the
// fragment does not have cannot be checked against it, and are skipped.
func (s *Server) selfCheck(next http.Handler) http.Handler {
	if s.cfg.SelfCheck == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{ResponseWriter: w, body: &bytes.Buffer{}}
		next.ServeHTTP(rec, r)
		if _, _, err := s.validator.Route(r); err != nil || rec.status == 0 {
			return
		}
		if err := s.validator.Response(r.Context(), r, rec.status, w.Header(), rec.body.Bytes()); err != nil {
			s.cfg.SelfCheck(err)
		}
	})
}

// orgSinkKey carries, from the logger inward, where authenticate writes the
// org it found, so the log line (written outside) can name it.
type orgSinkKey struct{}

func withOrgSink(ctx context.Context, sink *string) context.Context {
	return context.WithValue(ctx, orgSinkKey{}, sink)
}

func reportOrg(ctx context.Context, orgID string) {
	if sink, ok := ctx.Value(orgSinkKey{}).(*string); ok {
		*sink = orgID
	}
}
