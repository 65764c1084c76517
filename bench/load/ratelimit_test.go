package load

import (
	"testing"
	"time"
)

func TestRateLimitIsSlurmsDefaultBucketPerUser(t *testing.T) {
	l := newRateLimiter(RateBurst, RatePerSecond)
	t0 := time.Unix(1795900000, 0)
	for i := 0; i < 30; i++ {
		if !l.allow("grafana", t0) {
			t.Fatalf("call %d of the burst refused", i+1)
		}
	}
	if l.allow("grafana", t0) {
		t.Fatal("a 31st call at once was allowed: the bucket holds 30")
	}
	if !l.allow("alice", t0) {
		t.Fatal("another user's bucket was drained by grafana's calls")
	}
	// Two tokens a second come back.
	if !l.allow("grafana", t0.Add(500*time.Millisecond)) {
		t.Fatal("one token should be back after 0.5 s")
	}
	if l.allow("grafana", t0.Add(500*time.Millisecond)) {
		t.Fatal("only one token comes back in 0.5 s")
	}
	// A steady 2/s is sustainable forever, 3/s is not.
	at := t0.Add(time.Second)
	refused := 0
	for i := 0; i < 300; i++ {
		at = at.Add(time.Second / 3)
		if !l.allow("grafana", at) {
			refused++
		}
	}
	if refused < 90 || refused > 110 {
		t.Fatalf("at 3 calls/s for 100 s, %d of 300 were refused; want about 100", refused)
	}
	// Idle time never fills the bucket beyond 30.
	later := at.Add(time.Hour)
	allowed := 0
	for l.allow("grafana", later) {
		allowed++
	}
	if allowed != 30 {
		t.Fatalf("after an idle hour %d calls were allowed at once; want 30", allowed)
	}
}
