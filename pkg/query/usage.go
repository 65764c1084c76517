package query

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// usageTRES maps the query's tres to the accounting TRES key, the unit
// divisor (mem is in MB: report GB-hours) and the column's unit text.
var usageTRES = map[string]struct {
	key     string
	divisor float64
	unit    string
}{
	"cpu": {"cpu", 1, "CPU-hours"},
	"gpu": {"gres/gpu", 1, "GPU-hours"},
	"mem": {"mem", 1024, "GB-hours"},
}

var usageGroups = []string{"account", "user", "partition"}

// TypeUsage meters allocated TRES over the range.
const TypeUsage = "usage"

func init() {
	register(Type{Name: TypeUsage,
		Frame: "tres cpu, gpu or mem by account, user or partition: table (group, `<tres>_hours`, jobs) or format series, one " +
			"series per group. Allocated TRES × run time clipped to the range (mem in GB-hours)",
		Examples: []string{`{"tres":"gpu","groupBy":"account","format":"series"}`},
	}, ParseUsage)
}

// Usage is the "usage" query: metering from accounting — allocated TRES ×
// run time inside the dashboard range, by account, user or partition.
type Usage struct {
	TRES       string     `json:"tres"`
	GroupBy    string     `json:"groupBy"`
	Format     string     `json:"format"` // table (default) or series
	Users      StringList `json:"users"`
	Accounts   StringList `json:"accounts"`
	Partitions StringList `json:"partitions"`
	w          window
}

// ParseUsage reads and validates a usage query.
func ParseUsage(raw json.RawMessage, r Request) (Usage, error) {
	var q Usage
	if err := decode(raw, &q); err != nil {
		return Usage{}, err
	}
	var err error
	if q.w, err = windowOf(r); err != nil {
		return Usage{}, err
	}
	if err := checkUpstreamNames(map[string][]string{"users": q.Users, "accounts": q.Accounts, "partitions": q.Partitions}); err != nil {
		return Usage{}, err
	}
	if q.TRES == "" {
		q.TRES = "cpu"
	}
	if q.GroupBy == "" {
		q.GroupBy = "account"
	}
	if q.Format == "" {
		q.Format = "table"
	}
	if _, ok := usageTRES[q.TRES]; !ok {
		return Usage{}, invalid("tres", "is %q: use cpu, gpu or mem", q.TRES)
	}
	if !slices.Contains(usageGroups, q.GroupBy) {
		return Usage{}, invalid("groupBy", "is %q: use one of %s", q.GroupBy, strings.Join(usageGroups, ", "))
	}
	if q.Format != "table" && q.Format != "series" {
		return Usage{}, invalid("format", "is %q: use table or series", q.Format)
	}
	return q, nil
}

// Needs asks slurmdbd for the jobs of the range.
func (q Usage) Needs() Needs {
	f := q.Filter(q.w.from, q.w.to)
	return Needs{Accounting: &f}
}

// Frames answers with the usage table or series.
func (q Usage) Frames(d Data) (data.Frames, error) {
	return q.Metered(d.Accounting, q.w.from, q.w.to, q.w.interval, q.w.now)
}

// Filter is the accounting request.
func (q Usage) Filter(from, to time.Time) slurm.AccountingFilter {
	return slurm.AccountingFilter{Start: from, End: to, Users: q.Users, Accounts: q.Accounts, Partitions: q.Partitions}
}

// group is the job's value of the groupBy column.
func (q Usage) group(j *slurm.AccountingJob) string {
	switch q.GroupBy {
	case "user":
		return orUnknown(j.User)
	case "partition":
		return orUnknown(j.Partition)
	}
	return orUnknown(j.Account)
}

// runSpan is when the job held its allocation; a job still running counts
// up to now (the range end at most).
func runSpan(j *slurm.AccountingJob, now time.Time) (time.Time, time.Time, bool) {
	start := startedAt(j)
	if start.IsZero() {
		return time.Time{}, time.Time{}, false
	}
	end := endedAt(j)
	if end.IsZero() {
		end = now
	}
	return start, end, end.After(start)
}

// hours is the overlap of [s, e) with [from, to) in hours.
func hours(s, e, from, to time.Time) float64 {
	if s.Before(from) {
		s = from
	}
	if e.After(to) {
		e = to
	}
	if !e.After(s) {
		return 0
	}
	return e.Sub(s).Hours()
}

// Metered builds the table (group, usage, jobs) or one series per group.
func (q Usage) Metered(jobs []slurm.AccountingJob, from, to time.Time, interval time.Duration, now time.Time) (data.Frames, error) {
	t := usageTRES[q.TRES]
	valueName := q.TRES + "_hours"
	if q.Format == "series" {
		b, err := newBuckets(from, to, interval)
		if err != nil {
			return nil, err
		}
		series := map[string][]float64{}
		q.each(jobs, now, func(j *slurm.AccountingJob, s, e time.Time, amount float64) {
			g := q.group(j)
			if series[g] == nil {
				series[g] = make([]float64, b.n)
			}
			for i, bt := range b.times() {
				if bt.After(e) {
					break
				}
				series[g][i] += amount * hours(s, e, maxTime(bt, from), minTime(bt.Add(b.step), to))
			}
		})
		keys, dropped := largestSeries(series, maxSeriesCells/max(b.n, 1))
		frames := make(data.Frames, 0, len(keys))
		for _, g := range keys {
			frames = append(frames, seriesFrame("usage", b, data.Labels{q.GroupBy: g}, valueName, g, "suffix: "+t.unit, series[g]))
		}
		if dropped > 0 && len(frames) > 0 {
			frames[0].AppendNotices(data.Notice{Severity: data.NoticeSeverityWarning,
				Text: fmt.Sprintf("Showing the %d largest of %d %ss: filter, or use the table format.", len(keys), len(keys)+dropped, q.GroupBy)})
		}
		return frames, nil
	}
	if !to.After(from) {
		return nil, invalid("timeRange", "must have a start before its end")
	}
	total := map[string]float64{}
	count := map[string]int64{}
	q.each(jobs, now, func(j *slurm.AccountingJob, s, e time.Time, amount float64) {
		g := q.group(j)
		total[g] += amount * hours(s, e, from, to)
		count[g]++
	})
	keys := sortedKeys(total)
	groups, values, counts := make([]string, len(keys)), make([]float64, len(keys)), make([]int64, len(keys))
	for i, g := range keys {
		groups[i], values[i], counts[i] = g, total[g], count[g]
	}
	return data.Frames{data.NewFrame("usage",
		withConfig(data.NewField(q.GroupBy, nil, groups), strings.ToUpper(q.GroupBy[:1])+q.GroupBy[1:], ""),
		withConfig(data.NewField(valueName, nil, values), t.unit, "suffix: "+t.unit),
		withConfig(data.NewField("jobs", nil, counts), "Jobs", "none"),
	)}, nil
}

// each calls fn for every matching job that ran inside [from, to) with its
// allocated amount of the TRES (in the reported unit).
func (q Usage) each(jobs []slurm.AccountingJob, now time.Time, fn func(j *slurm.AccountingJob, s, e time.Time, amount float64)) {
	t := usageTRES[q.TRES]
	for i := range jobs {
		j := &jobs[i]
		if !matchAny(q.Users, j.User) || !matchAny(q.Accounts, j.Account) ||
			(len(q.Partitions) > 0 && !anyIn(q.Partitions, splitValues([]string{j.Partition}))) {
			continue
		}
		amount := float64(j.TRESAllocated[t.key]) / t.divisor
		if amount <= 0 {
			continue
		}
		s, e, ok := runSpan(j, now)
		if !ok {
			continue
		}
		fn(j, s, e, amount)
	}
}

// maxSeriesCells bounds buckets × series of one answer (8 bytes a cell plus
// the times: ~4 MB, inside the 8 MiB budget), whatever the number of users.
const maxSeriesCells = 500000

// largestSeries keeps at most n groups, those with the most usage, in name
// order, and says how many it dropped.
func largestSeries(series map[string][]float64, n int) ([]string, int) {
	keys := sortedKeys(series)
	if len(keys) <= n {
		return keys, 0
	}
	sum := func(g string) (s float64) {
		for _, v := range series[g] {
			s += v
		}
		return s
	}
	slices.SortStableFunc(keys, func(a, b string) int { return cmp.Compare(sum(b), sum(a)) })
	kept := slices.Clone(keys[:max(n, 1)])
	slices.Sort(kept)
	return kept, len(keys) - len(kept)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
