package query

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// historyMetrics are what history_series can plot per bucket.
var historyMetrics = []string{"submitted", "started", "finished", "wait_p50", "wait_p90"}

// TypeHistorySeries plots accounting over the range.
const TypeHistorySeries = "history_series"

func init() {
	register(Type{Name: TypeHistorySeries,
		Frame: "metric submitted, started, finished, wait_p50 or wait_p90: one time series frame per partition (label " +
			"`partition`), buckets of the query interval (≥ 1 min, ≤ 2000 buckets); waits in s, null where no job started",
		Examples: []string{`{"metric":"wait_p90","groupBy":["partition"]}`},
	}, ParseHistorySeries)
}

// HistorySeries is the "history_series" query: accounting jobs turned into
// time series over the dashboard range, one series per partition when
// grouped.
type HistorySeries struct {
	Metric     string     `json:"metric"`
	GroupBy    StringList `json:"groupBy"` // only "partition"
	Users      StringList `json:"users"`
	Accounts   StringList `json:"accounts"`
	Partitions StringList `json:"partitions"`
	w          window
}

// ParseHistorySeries reads and validates a history_series query.
func ParseHistorySeries(raw json.RawMessage, r Request) (HistorySeries, error) {
	var q HistorySeries
	if err := decode(raw, &q); err != nil {
		return HistorySeries{}, err
	}
	var err error
	if q.w, err = windowOf(r); err != nil {
		return HistorySeries{}, err
	}
	if err := checkUpstreamNames(map[string][]string{"users": q.Users, "accounts": q.Accounts, "partitions": q.Partitions}); err != nil {
		return HistorySeries{}, err
	}
	if q.Metric == "" {
		q.Metric = "submitted"
	}
	if !slices.Contains(historyMetrics, q.Metric) {
		return HistorySeries{}, invalid("metric", "is %q: use one of %s", q.Metric, strings.Join(historyMetrics, ", "))
	}
	if err := checkGroupBy(q.GroupBy, []string{"partition"}); err != nil {
		return HistorySeries{}, err
	}
	return q, nil
}

// Needs asks slurmdbd for the jobs of the range.
func (q HistorySeries) Needs() Needs {
	f := q.Filter(q.w.from, q.w.to)
	return Needs{Accounting: &f}
}

// Frames answers with the series of the request's buckets.
func (q HistorySeries) Frames(d Data) (data.Frames, error) {
	return q.Series(d.Accounting, q.w.from, q.w.to, q.w.interval)
}

// Filter is the accounting request (same coalesced cache as job_history).
func (q HistorySeries) Filter(from, to time.Time) slurm.AccountingFilter {
	return slurm.AccountingFilter{Start: from, End: to, Users: q.Users, Accounts: q.Accounts, Partitions: q.Partitions}
}

// Series builds one frame per group (one in all when not grouped).
// Counts are per bucket; wait percentiles are over the jobs that started in
// the bucket, null where none did (no start is not a zero wait).
func (q HistorySeries) Series(jobs []slurm.AccountingJob, from, to time.Time, interval time.Duration) (data.Frames, error) {
	b, err := newBuckets(from, to, interval)
	if err != nil {
		return nil, err
	}
	grouped := len(q.GroupBy) > 0
	counts := map[string][]int64{}
	waits := map[string][][]float64{}
	for i := range jobs {
		j := &jobs[i]
		if !matchAny(q.Users, j.User) || !matchAny(q.Accounts, j.Account) {
			continue
		}
		groups := []string{""}
		if grouped || len(q.Partitions) > 0 {
			groups = intersect(splitValues([]string{j.Partition}), q.Partitions)
			if !grouped && len(groups) > 0 {
				groups = []string{""}
			}
		}
		var at time.Time
		switch q.Metric {
		case "submitted":
			at = j.SubmitTime
		case "finished":
			at = endedAt(j)
		default: // started and the waits are keyed by start
			at = startedAt(j)
		}
		idx := b.index(at)
		if idx < 0 {
			continue
		}
		for _, g := range groups {
			if counts[g] == nil {
				counts[g], waits[g] = make([]int64, b.n), make([][]float64, b.n)
			}
			counts[g][idx]++
			if !j.SubmitTime.IsZero() && !j.StartTime.Before(j.SubmitTime) {
				waits[g][idx] = append(waits[g][idx], j.StartTime.Sub(j.SubmitTime).Seconds())
			}
		}
	}
	if len(counts) == 0 && !grouped {
		counts[""], waits[""] = make([]int64, b.n), make([][]float64, b.n)
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	frames := make(data.Frames, 0, len(keys))
	for _, g := range keys {
		var labels data.Labels
		if grouped {
			labels = data.Labels{"partition": g}
		}
		switch q.Metric {
		case "wait_p50", "wait_p90":
			p := 0.5
			if q.Metric == "wait_p90" {
				p = 0.9
			}
			values := make([]*float64, b.n)
			for i, w := range waits[g] {
				values[i] = percentile(w, p)
			}
			frames = append(frames, seriesFrame("history_series", b, labels, q.Metric, waitDisplay(q.Metric, g), "s", values))
		default:
			frames = append(frames, seriesFrame("history_series", b, labels, q.Metric, jobsDisplay(q.Metric, g), "none", counts[g]))
		}
	}
	return frames, nil
}

func jobsDisplay(metric, group string) string {
	s := "Jobs " + metric
	if group != "" {
		s += " (" + group + ")"
	}
	return s
}

func waitDisplay(metric, group string) string {
	s := "Wait " + strings.TrimPrefix(metric, "wait_")
	if group != "" {
		s += " (" + group + ")"
	}
	return s
}

// percentile is the nearest-rank percentile, nil for no values.
func percentile(values []float64, p float64) *float64 {
	if len(values) == 0 {
		return nil
	}
	s := slices.Clone(values)
	slices.Sort(s)
	rank := int(p*float64(len(s))+0.999999) - 1
	rank = max(0, min(rank, len(s)-1))
	v := s[rank]
	return &v
}
