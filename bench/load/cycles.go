package load

import (
	"slices"
	"time"
)

// Cycle is one refresh of the data source as the stand-in saw it: from a
// jobs request (the first kind each refresh fetches) to the end of the last
// answer before the next jobs request.
type Cycle struct {
	Start, End time.Time
	Calls      map[string]int // endpoint → calls
	Limited    int            // calls refused by the rate limit
}

// Took is how long the refresh took on the stand-in's clock.
func (c Cycle) Took() time.Duration { return c.End.Sub(c.Start) }

// Cycles splits calls into what came before the first refresh (version
// discovery, a health check) and the refresh cycles.
func Cycles(calls []Call) (before map[string]int, cycles []Cycle) {
	calls = slices.Clone(calls)
	slices.SortStableFunc(calls, func(a, b Call) int { return a.Start.Compare(b.Start) })
	before = map[string]int{}
	for _, c := range calls {
		if c.Endpoint == "jobs" {
			cycles = append(cycles, Cycle{Start: c.Start, End: c.End, Calls: map[string]int{}})
		}
		if len(cycles) == 0 {
			before[c.Endpoint]++
			continue
		}
		cur := &cycles[len(cycles)-1]
		cur.Calls[c.Endpoint]++
		if c.RateLimited() {
			cur.Limited++
		}
		if c.End.After(cur.End) {
			cur.End = c.End
		}
	}
	return before, cycles
}

// MostPerCycle is, per endpoint, the most calls any complete cycle made.
func MostPerCycle(cycles []Cycle) map[string]int {
	most := map[string]int{}
	for _, c := range cycles {
		for e, n := range c.Calls {
			most[e] = max(most[e], n)
		}
	}
	return most
}
