package sandbox

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"
)

// faults injects latency and failures on demand, for contract tests of a
// client's retries and timeouts. With the same seed and the same order of
// requests, the same requests fail.
type faults struct {
	latency  time.Duration
	failRate float64

	mu  sync.Mutex
	rng *rand.Rand
}

func newFaults(latency time.Duration, failRate float64, seed uint64) *faults {
	return &faults{latency: latency, failRate: failRate, rng: rand.New(rand.NewPCG(seed, seed))}
}

// delay waits for the configured latency, or until the client gives up.
func (f *faults) delay(ctx context.Context) error {
	if f.latency <= 0 {
		return nil
	}
	timer := time.NewTimer(f.latency)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// fail draws whether this request gets an injected 500.
func (f *faults) fail() bool {
	if f.failRate <= 0 {
		return false
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rng.Float64() < f.failRate
}
