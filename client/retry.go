package client

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// RetryPolicy bounds how a call is retried. 429 waits for X-RateLimit-Reset;
// 5xx (but 501) and connection errors back off exponentially with jitter.
// 400, 403 and 404 are never retried: they will not change by waiting.
//
// Retrying POST is safe here: CreateHamrOrgConnection is an upsert, so sending
// the same body twice leaves the same connection.
type RetryPolicy struct {
	MaxAttempts      int           // attempts in all, the first included (1 = no retries)
	MinBackoff       time.Duration // first backoff after a 5xx or connection error
	MaxBackoff       time.Duration // cap of the exponential backoff
	MaxRateLimitWait time.Duration // a 429 whose reset is further away than this is returned, not waited for
	MaxElapsed       time.Duration // the whole call, every attempt and wait included
}

// DefaultRetryPolicy is what New uses: 4 attempts, 0.5s–8s backoff, up to 60s
// for a rate-limit reset, 2 minutes in all.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{
		MaxAttempts:      4,
		MinBackoff:       500 * time.Millisecond,
		MaxBackoff:       8 * time.Second,
		MaxRateLimitWait: 60 * time.Second,
		MaxElapsed:       2 * time.Minute,
	}
}

// newRetryingClient wraps the per-attempt http.Client in go-retryablehttp with
// our policy. Its own logger is off: it would print every URL to stderr.
func (p RetryPolicy) newRetryingClient(perAttempt *http.Client) *retryablehttp.Client {
	return &retryablehttp.Client{
		HTTPClient:   perAttempt,
		Logger:       nil,
		RetryWaitMin: p.MinBackoff,
		RetryWaitMax: p.MaxBackoff,
		RetryMax:     max(p.MaxAttempts-1, 0),
		CheckRetry:   p.shouldRetry,
		Backoff:      p.backoff,
		// Hand the last response back (a 429 or 5xx after the last attempt)
		// so that the caller gets a typed APIError, not "giving up after N".
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
}

func (p RetryPolicy) shouldRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if resp != nil && resp.StatusCode == http.StatusTooManyRequests {
		wait, _ := rateLimitReset(resp)
		if wait > p.MaxRateLimitWait {
			return false, nil
		}
		// Waiting past the call's deadline would only turn a useful 429
		// into a bare "context deadline exceeded".
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return false, nil
		}
	}
	return retryablehttp.DefaultRetryPolicy(ctx, resp, err)
}

func (p RetryPolicy) backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && resp.StatusCode == http.StatusTooManyRequests {
		if reset, ok := rateLimitReset(resp); ok {
			return min(reset, p.MaxRateLimitWait)
		}
		// No usable reset header: back off as for a 5xx rather than hammer.
	}
	// Exponential, with "equal jitter": half fixed, half random, so retries
	// from many clients spread out but still grow.
	wait := minWait << min(attempt, 30)
	if wait <= 0 || wait > maxWait {
		wait = maxWait
	}
	half := wait / 2
	return half + rand.N(half+1)
}

// rateLimitReset reads X-RateLimit-Reset (seconds until the period resets);
// ok is false when the header is absent or not a non-negative integer.
func rateLimitReset(resp *http.Response) (reset time.Duration, ok bool) {
	seconds, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64)
	if err != nil || seconds < 0 {
		return 0, false
	}
	return time.Duration(seconds) * time.Second, true
}
