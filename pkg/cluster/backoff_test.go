package cluster

import (
	"testing"
	"time"
)

func TestRetryDelayGrowsToTheIntervalWithJitter(t *testing.T) {
	interval := 80 * time.Second
	cases := []struct {
		failures int
		lo, hi   time.Duration
	}{
		{1, 5 * time.Second, 10 * time.Second},
		{2, 10 * time.Second, 20 * time.Second},
		{3, 20 * time.Second, 40 * time.Second},
		{4, 40 * time.Second, 80 * time.Second},
		{9, 40 * time.Second, 80 * time.Second},
	}
	for _, c := range cases {
		seen := map[time.Duration]bool{}
		for range 200 {
			d := retryDelay(interval, c.failures)
			if d < c.lo || d > c.hi {
				t.Fatalf("failures=%d: delay %s outside [%s, %s]", c.failures, d, c.lo, c.hi)
			}
			seen[d] = true
		}
		if len(seen) < 10 {
			t.Errorf("failures=%d: only %d distinct delays in 200 draws: no jitter", c.failures, len(seen))
		}
	}
	if d := retryDelay(interval, 0); d != interval {
		t.Errorf("no failure: got %s, want the interval %s", d, interval)
	}
}
