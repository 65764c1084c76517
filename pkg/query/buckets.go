package query

import (
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// maxBuckets bounds a series whatever interval the request carries, so a
// year at 1 s cannot build a huge answer: the interval widens instead.
const maxBuckets = 2000

// buckets splits [from, to) into steps of interval aligned to it.
type buckets struct {
	from, to time.Time
	step     time.Duration
	n        int
}

// newBuckets validates the range and chooses the step.
func newBuckets(from, to time.Time, interval time.Duration) (buckets, error) {
	if from.IsZero() || to.IsZero() || !to.After(from) {
		return buckets{}, invalid("timeRange", "must have a start before its end (got %s – %s)", from.Format(time.RFC3339), to.Format(time.RFC3339))
	}
	span := to.Sub(from)
	if interval < time.Minute {
		interval = time.Minute // accounting times have 1 s resolution; finer buckets are noise
	}
	if span/interval > maxBuckets {
		interval = (span/maxBuckets + time.Minute - 1).Truncate(time.Minute)
	}
	start := from.Truncate(interval)
	n := int((to.Sub(start) + interval - 1) / interval)
	return buckets{from: start, to: to, step: interval, n: n}, nil
}

// index is the bucket of t, or -1 outside the range.
func (b buckets) index(t time.Time) int {
	if t.IsZero() || t.Before(b.from) || !t.Before(b.to) {
		return -1
	}
	return int(t.Sub(b.from) / b.step)
}

// times are the bucket starts (the time column).
func (b buckets) times() []time.Time {
	out := make([]time.Time, b.n)
	for i := range out {
		out[i] = b.from.Add(time.Duration(i) * b.step).UTC()
	}
	return out
}

// seriesFrame is one time series: time plus a value column labelled by group.
func seriesFrame(name string, b buckets, labels data.Labels, valueName, display, unit string, values any) *data.Frame {
	frame := data.NewFrame(name,
		data.NewField("time", nil, b.times()),
		withConfig(data.NewField(valueName, labels, values), display, unit),
	)
	frame.SetMeta(&data.FrameMeta{Type: data.FrameTypeTimeSeriesMulti, TypeVersion: data.FrameTypeVersion{0, 1}})
	return frame
}
