package query

import (
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// Nullable columns of a table, each with one backing array for its values:
// a page of 5 000 jobs has eleven nullable cells per row, and a pointer to a
// value of its own per cell was 55 000 allocations per query.

// nullInts is a column of numbers where unset and unlimited are null.
type nullInts struct {
	cells []*int64
	vals  []int64
}

func newNullInts(n int) nullInts { return nullInts{make([]*int64, n), make([]int64, n)} }

// set puts n into row i: its value, or null when unset or unlimited.
func (c nullInts) set(i int, n slurm.Number) {
	if v, ok := n.Get(); ok {
		c.vals[i] = v
		c.cells[i] = &c.vals[i]
	}
}

// nullTimes is a column of times where the zero time (none) is null.
type nullTimes struct {
	cells []*time.Time
	vals  []time.Time
}

func newNullTimes(n int) nullTimes { return nullTimes{make([]*time.Time, n), make([]time.Time, n)} }

// set puts t into row i in UTC, or null when t is zero.
func (c nullTimes) set(i int, t time.Time) {
	if !t.IsZero() {
		c.vals[i] = t.UTC()
		c.cells[i] = &c.vals[i]
	}
}
