package cluster

import (
	"math/rand/v2"
	"time"
)

// retryDelay is how long to wait before retrying a kind that failed
// `failures` times in a row: exponential from interval/8, capped at the
// interval, with jitter in [d/2, d] so that many data sources pointed at one
// slurmrestd do not retry in lockstep.
//
// The cap is what guarantees recovery within one interval once slurmrestd is
// back; the exponential start keeps a short outage (a slurmctld restart) from
// costing a full interval of stale data, and the growth keeps a long outage at
// about one attempt per interval, the same load as a healthy cluster.
func retryDelay(interval time.Duration, failures int) time.Duration {
	if failures < 1 {
		return interval
	}
	d := interval / 8
	for i := 1; i < failures && d < interval; i++ {
		d *= 2
	}
	d = min(d, interval)
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + rand.N(half+1) // #nosec G404 -- retry jitter, not a secret
}
