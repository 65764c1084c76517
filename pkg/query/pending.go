package query

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/pending"
)

// TypePending explains why pending jobs do not start.
const TypePending = "pending"

func init() {
	register(Type{Name: TypePending,
		Frame: "table (default): one row per pending job — job_id (link), name, user, account, partition, qos, category, " +
			"category_title, explanation (one line with the numbers), reason, limit, can_ever_start, blocked_by, cpus, gpus, " +
			"nodes, memory_mb, time_limit_s, priority, rank, expected_start; counts: numeric long, `jobs`, `cpus`, `gpus` per " +
			"group (groupBy partition, category, reason, limit, user, account, qos; partition or category alone lists every " +
			"one with 0; `measure` jobs, cpus or gpus keeps one number, for alert rules); facts: section, fact, value rows " +
			"of one job (the job page reads the same explanation as JSON from `GET pending/{jobId}`)",
		Examples: []string{`{"categories":["impossible"],"partitions":["gpu"]}`, `{"format":"counts","groupBy":["partition","category"]}`,
			`{"format":"facts","jobId":"5013"}`},
	}, ParsePending)
}

// pendingKinds are the snapshot kinds an explanation reads.
var pendingKinds = []cluster.Kind{cluster.KindJobs, cluster.KindNodes, cluster.KindPartitions, cluster.KindReservations}

// Formats of the pending query.
const (
	PendingTable  = "table"  // one row per pending job with its one-line explanation
	PendingCounts = "counts" // numeric long: jobs, CPUs and GPUs per group
	PendingFacts  = "facts"  // one job (jobId): section, fact, value rows
)

// pendingGroupLabels are the labels the counts format can group by; "limit"
// is the QOS or association setting that holds a job ("(none)" for jobs not
// held by a limit).
var pendingGroupLabels = []string{"partition", "category", "reason", "limit", "user", "account", "qos"}

// Pending is the "pending" query.
type Pending struct {
	JobFilter
	Categories StringList `json:"categories"` // resources, priority, limit, dependency, reservation, held, impossible, other
	Format     string     `json:"format"`
	GroupBy    StringList `json:"groupBy"`
	JobID      string     `json:"jobId"`
	// Measure picks one number of the counts format (jobs, cpus or gpus),
	// for alert rules, which need one number per label set; "" keeps all three.
	Measure string `json:"measure"`
	Page
	links appLinks
}

// ParsePending reads and validates a pending query.
func ParsePending(raw json.RawMessage, r Request) (Pending, error) {
	q := Pending{links: appLinks{r.DatasourceUID}}
	if err := decode(raw, &q); err != nil {
		return Pending{}, err
	}
	if err := q.compile(); err != nil {
		return Pending{}, err
	}
	switch q.Format {
	case "":
		q.Format = PendingTable
	case PendingTable, PendingCounts, PendingFacts:
	default:
		return Pending{}, invalid("format", "is %q: use table, counts or facts", q.Format)
	}
	if len(q.States) > 0 {
		return Pending{}, invalid("states", "does not apply: the pending query explains PENDING jobs only")
	}
	if err := q.Page.check(r.MaxRows); err != nil {
		return Pending{}, err
	}
	for _, c := range q.Categories {
		if !slices.Contains(pending.Categories(), pending.Category(strings.ToLower(c))) {
			return Pending{}, invalid("categories", "has %q: use any of %s", c, categoryNames())
		}
	}
	if err := checkGroupBy(q.GroupBy, pendingGroupLabels); err != nil {
		return Pending{}, err
	}
	if len(q.GroupBy) > 0 && q.Format != PendingCounts {
		return Pending{}, invalid("groupBy", "applies to the counts format only")
	}
	switch q.Measure {
	case "", "jobs", "cpus", "gpus":
	default:
		return Pending{}, invalid("measure", "is %q: use jobs, cpus or gpus", q.Measure)
	}
	if q.Measure != "" && q.Format != PendingCounts {
		return Pending{}, invalid("measure", "applies to the counts format only")
	}
	q.JobID = strings.TrimSpace(q.JobID)
	if q.Format == PendingFacts {
		if q.JobID == "" {
			return Pending{}, invalid("jobId", "is required by the facts format: the id of one pending job")
		}
		if len(q.JobID) > 64 || strings.ContainsAny(q.JobID, " \t\n/\\") {
			return Pending{}, invalid("jobId", "is %q: a Slurm job id looks like 123, 123_4 or 123_[3-6]", q.JobID)
		}
	}
	return q, nil
}

// Needs reads the explanations of the snapshot's pending jobs, or one job's
// with every fact (format facts).
func (q Pending) Needs() Needs {
	if q.Format == PendingFacts {
		return Needs{Kinds: pendingKinds, Explain: q.JobID}
	}
	return Needs{Kinds: pendingKinds, Pending: true}
}

// Frames answers in the query's format.
func (q Pending) Frames(d Data) (data.Frames, error) {
	if q.Format == PendingFacts {
		return one(FactsFrame(d.Explanation))
	}
	set := d.Pending
	selected := q.Select(set.Explanations, func(i int) bool { return q.Match(set.Jobs[i]) })
	if q.Format == PendingCounts {
		names := make([]string, len(d.Snapshot.Partitions))
		for i, p := range d.Snapshot.Partitions {
			names[i] = p.Name
		}
		return one(q.CountsFrame(selected, names))
	}
	return one(q.TableFrame(selected))
}

func categoryNames() string {
	var names []string
	for _, c := range pending.Categories() {
		names = append(names, string(c))
	}
	return strings.Join(names, ", ")
}

// Select points to the explanations the filter and categories select;
// match(i) says whether the snapshot's job of exps[i] matches the filter.
// The explanations are shared by every reader of the snapshot and a few
// hundred bytes each, so they are never copied.
func (q Pending) Select(exps []pending.Explanation, match func(i int) bool) []*pending.Explanation {
	var out []*pending.Explanation
	for i := range exps {
		if !match(i) {
			continue
		}
		if len(q.Categories) > 0 && !matchAnyFold(q.Categories, string(exps[i].Category)) {
			continue
		}
		out = append(out, &exps[i])
	}
	return out
}

// LimitLabel names the limit that holds a job: "QOS normal MaxTRESPerUser
// cpu", "association physics GrpTRES cpu", "array 5014 ArrayTaskThrottle";
// "(none)" when no limit holds it.
func LimitLabel(e *pending.Explanation) string {
	if e.Limit == nil {
		return "(none)"
	}
	l := e.Limit
	parts := []string{string(l.Scope), l.Owner}
	if l.Setting != "" {
		parts = append(parts, l.Setting)
	}
	if l.TRES != "" {
		parts = append(parts, l.TRES)
	}
	return strings.Join(parts, " ")
}

// TableFrame is one row per pending job, one page of them.
func (q Pending) TableFrame(exps []*pending.Explanation) *data.Frame {
	rows := pageOf(exps, q.Page)
	n := len(rows)
	var (
		id, name, user, account, part, qos, reason, category, title, summary, limit, blocker = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		canStart                                                                             = make([]bool, n)
		cpus, gpus, nodes, mem                                                               = make([]int64, n), make([]int64, n), make([]int64, n), make([]*int64, n)
		timeLimit, priority                                                                  = make([]*int64, n), make([]*int64, n)
		rank                                                                                 = make([]*int64, n)
		start                                                                                = make([]*time.Time, n)
	)
	for i, e := range rows {
		r := e.Request
		id[i], name[i], user[i], account[i], part[i], qos[i] = pageableID(e.JobID), e.Name, e.User, r.Account, r.Partition, r.QOS
		reason[i], category[i], title[i], summary[i], limit[i] = e.Reason, string(e.Category), e.Category.Title(), e.Summary, LimitLabel(e)
		canStart[i] = e.CanEverStart
		if len(e.Blockers) > 0 {
			blocker[i] = e.Blockers[0]
		}
		cpus[i], gpus[i], nodes[i] = r.CPUs, r.GPUs, r.Nodes
		if r.MemoryMB > 0 {
			mem[i] = &r.MemoryMB
		}
		if tl, ok := r.TimeLimit.Get(); ok {
			s := tl * 60
			timeLimit[i] = &s
		}
		if e.Queue != nil {
			if p, ok := e.Queue.Priority.Get(); ok {
				priority[i] = &p
			}
			rk := int64(e.Queue.Rank)
			rank[i] = &rk
		}
		start[i] = timeOrNil(e.ExpectedStart)
	}
	frame := data.NewFrame("pending",
		q.links.job(withConfig(data.NewField("job_id", nil, id), "Job ID", "")),
		withConfig(data.NewField("name", nil, name), "Name", ""),
		withConfig(data.NewField("user", nil, user), "User", ""),
		withConfig(data.NewField("account", nil, account), "Account", ""),
		withConfig(data.NewField("partition", nil, part), "Partition", ""),
		withConfig(data.NewField("qos", nil, qos), "QOS", ""),
		hiddenInTables(withConfig(data.NewField("category", nil, category), "Category code", "")),
		withConfig(data.NewField("category_title", nil, title), "Why it waits", ""),
		withConfig(data.NewField("explanation", nil, summary), "Explanation", ""),
		withConfig(data.NewField("reason", nil, reason), "Slurm reason", ""),
		withConfig(data.NewField("limit", nil, limit), "Limit", ""),
		withConfig(data.NewField("can_ever_start", nil, canStart), "Can ever start", ""),
		withConfig(data.NewField("blocked_by", nil, blocker), "Never starts because", ""),
		withConfig(data.NewField("cpus", nil, cpus), "CPUs", "none"),
		withConfig(data.NewField("gpus", nil, gpus), "GPUs", "none"),
		withConfig(data.NewField("nodes", nil, nodes), "Nodes", "none"),
		withConfig(data.NewField("memory_mb", nil, mem), "Memory", "decmbytes"),
		withConfig(data.NewField("time_limit_s", nil, timeLimit), "Time limit", "s"),
		withConfig(data.NewField("priority", nil, priority), "Priority", "none"),
		withConfig(data.NewField("rank", nil, rank), "Rank in partition", "none"),
		withConfig(data.NewField("expected_start", nil, start), "Expected start", ""),
	)
	setTotal(frame, len(exps), q.Page, n)
	return frame
}

// CountsFrame tallies jobs, CPUs and GPUs per group as a numeric long frame.
// Grouped by partition or category alone, every partition (or category) is
// listed, with 0 when nothing matched, so an alert rule sees 0 rather than
// no data.
func (q Pending) CountsFrame(exps []*pending.Explanation, partitions []string) *data.Frame {
	type sums struct{ jobs, cpus, gpus int64 }
	groups := map[string]*sums{}
	labels := map[string][]string{}
	add := func(vals []string, e *pending.Explanation) {
		key := ""
		if len(vals) == 1 {
			key = vals[0] // no join for the common single label
		} else if len(vals) > 1 {
			key = strings.Join(vals, "\x00")
		}
		s := groups[key]
		if s == nil {
			s = &sums{}
			groups[key], labels[key] = s, slices.Clone(vals)
		}
		if e != nil {
			s.jobs++
			s.cpus += e.Request.CPUs
			s.gpus += e.Request.GPUs
		}
	}
	vals := make([]string, len(q.GroupBy)) // reused: add clones a new group's values
	for _, e := range exps {
		for g, label := range q.GroupBy {
			switch label {
			case "partition":
				vals[g] = orUnknown(e.Request.Partition)
			case "category":
				vals[g] = string(e.Category)
			case "reason":
				vals[g] = orUnknown(e.Reason)
			case "limit":
				vals[g] = LimitLabel(e)
			case "user":
				vals[g] = orUnknown(e.User)
			case "account":
				vals[g] = orUnknown(e.Request.Account)
			case "qos":
				vals[g] = orUnknown(e.Request.QOS)
			}
		}
		add(vals, e)
	}
	if len(q.GroupBy) == 1 {
		switch q.GroupBy[0] {
		case "partition":
			for _, p := range partitions {
				if matchAny(q.Partitions, p) {
					add([]string{p}, nil)
				}
			}
		case "category":
			for _, c := range pending.Categories() {
				if len(q.Categories) == 0 || matchAnyFold(q.Categories, string(c)) {
					add([]string{string(c)}, nil)
				}
			}
		}
	}
	if len(q.GroupBy) == 0 {
		add(nil, nil)
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	fields := make([]*data.Field, 0, len(q.GroupBy)+3)
	for g, label := range q.GroupBy {
		col := make([]string, len(keys))
		for r, k := range keys {
			col[r] = labels[k][g]
		}
		fields = append(fields, data.NewField(label, nil, col))
	}
	jobs, cpus, gpus := make([]int64, len(keys)), make([]int64, len(keys)), make([]int64, len(keys))
	for r, k := range keys {
		jobs[r], cpus[r], gpus[r] = groups[k].jobs, groups[k].cpus, groups[k].gpus
	}
	if q.Measure == "" || q.Measure == "jobs" {
		fields = append(fields, withConfig(data.NewField("jobs", nil, jobs), "Pending jobs", "none"))
	}
	if q.Measure == "" || q.Measure == "cpus" {
		fields = append(fields, withConfig(data.NewField("cpus", nil, cpus), "CPUs requested", "none"))
	}
	if q.Measure == "" || q.Measure == "gpus" {
		fields = append(fields, withConfig(data.NewField("gpus", nil, gpus), "GPUs requested", "none"))
	}
	frame := data.NewFrame("pending_counts", fields...)
	frame.SetMeta(&data.FrameMeta{Type: data.FrameTypeNumericLong, TypeVersion: data.FrameTypeVersion{0, 1}})
	return frame
}
