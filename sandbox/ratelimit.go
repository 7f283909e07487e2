package sandbox

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// rateLimitName is the X-RateLimit-Name the sandbox sends.
const rateLimitName = "hamr_org_connection"

// rateLimiter is a fixed window per org, calendar aligned like Datadog's:
// every period starts at a multiple of the period since the epoch.
type rateLimiter struct {
	limit  int
	period time.Duration

	mu      sync.Mutex
	windows map[string]window // by org ID
}

type window struct {
	start time.Time
	used  int
}

func newRateLimiter(limit int, period time.Duration) *rateLimiter {
	if limit <= 0 {
		return nil // off
	}
	return &rateLimiter{limit: limit, period: period, windows: map[string]window{}}
}

// take counts one request for org at now, sets the X-RateLimit-* headers and
// reports whether the request is within the limit.
func (l *rateLimiter) take(h http.Header, orgID string, now time.Time) bool {
	start := now.Truncate(l.period)
	l.mu.Lock()
	w := l.windows[orgID]
	if !w.start.Equal(start) {
		w = window{start: start}
	}
	w.used++
	l.windows[orgID] = w
	l.mu.Unlock()

	remaining := max(l.limit-w.used, 0)
	reset := start.Add(l.period).Sub(now)
	h.Set("X-RateLimit-Limit", strconv.Itoa(l.limit))
	h.Set("X-RateLimit-Period", strconv.Itoa(int(l.period/time.Second)))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", strconv.Itoa(int((reset+time.Second-1)/time.Second))) // whole seconds, rounded up
	h.Set("X-RateLimit-Name", rateLimitName)
	return w.used <= l.limit
}
