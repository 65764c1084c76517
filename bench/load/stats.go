package load

import (
	"slices"
	"time"
)

// Latencies collects durations and reports percentiles.
type Latencies []time.Duration

// Percentile is the nearest-rank percentile p (0 < p ≤ 100); 0 when empty.
func (l Latencies) Percentile(p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := slices.Clone(l)
	slices.Sort(s)
	rank := int(p/100*float64(len(s))+0.999999) - 1
	return s[min(max(rank, 0), len(s)-1)]
}

// Max is the largest duration; 0 when empty.
func (l Latencies) Max() time.Duration {
	if len(l) == 0 {
		return 0
	}
	return slices.Max(l)
}
