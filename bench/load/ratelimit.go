package load

import (
	"sync"
	"time"
)

// Slurm's default RPC rate limit per user (slurm.conf SlurmctldParameters
// rl_enable with the defaults rl_bucket_size=30, rl_refill_rate=2,
// rl_refill_period=1): a bucket of 30 tokens per user, refilled with 2 tokens
// every second, one token per RPC. Each slurmrestd GET the data source makes
// is one RPC of its Slurm user.
const (
	RateBurst     = 30
	RatePerSecond = 2
)

// rateLimiter is one token bucket per user, on a clock the caller passes in.
type rateLimiter struct {
	burst, perSecond float64

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newRateLimiter(burst, perSecond float64) *rateLimiter {
	return &rateLimiter{burst: burst, perSecond: perSecond, buckets: map[string]*bucket{}}
}

// allow takes one token of user's bucket at time now; false: over the limit.
func (l *rateLimiter) allow(user string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[user]
	if b == nil {
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[user] = b
	}
	if now.After(b.at) {
		b.tokens = min(l.burst, b.tokens+now.Sub(b.at).Seconds()*l.perSecond)
		b.at = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
