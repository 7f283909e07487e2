package sandbox

import (
	"fmt"
	"time"
)

// Controls for tests and the contract suite: they reach into the sandbox's
// state the way no API call can. They are not part of the HAMR API.

// SetRateLimit replaces the rate limit with a fresh one (counts start again);
// a limit of 0 turns it off.
func (s *Server) SetRateLimit(limit int, period time.Duration) error {
	if limit < 0 || (limit > 0 && period < time.Second) {
		return fmt.Errorf("sandbox: rate limit %d per %s: the limit must be positive and the period at least 1s", limit, period)
	}
	s.limiter.Store(newRateLimiter(limit, period))
	return nil
}

// ClearConnection forgets the org's HAMR connection, so that a GET answers
// 404 as for a fresh org. The real API has no such operation (no DELETE).
func (s *Server) ClearConnection(orgID string) {
	s.store.delete(orgID)
}
