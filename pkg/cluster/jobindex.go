package cluster

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// JobIndex is what the readers of one jobs answer need again and again,
// computed once per answer instead of once per query: the jobs grouped into
// classes of jobs alike in every label counts group and filter by, and the
// jobs' orderings by every sortable column. At 100k jobs a sorted page of
// 5 000 jobs was a copy and a sort of every matching job per query (1–2 s,
// ~2 GB of garbage); with the index it is a walk over a ready ordering that
// stops when the page is full. The poller builds it when it swaps a jobs
// answer in; it never changes afterwards.
type JobIndex struct {
	jobs    []slurm.Job
	classes []JobClass
	classOf []int32 // each job's class, by position in jobs

	orders   [numJobOrders]lazyOrder
	byLabels [numLabelSets]projection
}

// JobClass is a set of jobs with the same state (base and flags), user,
// account, partition, QOS and reason: a count or a filter on those labels
// treats every job of the class alike, so it can look at Job once and
// count Count jobs.
type JobClass struct {
	Job   *slurm.Job // the first job of the class, in snapshot order
	Count int
}

// JobOrder is a column the jobs can be ordered by.
type JobOrder int

// The orderings, by the jobs table's sortable columns.
const (
	OrderJobID JobOrder = iota
	OrderSubmitTime
	OrderStartTime
	OrderEndTime
	OrderPriority
	OrderName
	OrderUser
	OrderPartition
	OrderState
	numJobOrders
)

// jobOrders: each ordering's column name and comparison. Equal jobs keep
// their snapshot order (a stable sort).
var jobOrders = [numJobOrders]struct {
	name    string
	compare func(a, b *slurm.Job) int
}{
	OrderJobID:      {"job_id", func(a, b *slurm.Job) int { return cmp.Compare(a.JobID, b.JobID) }},
	OrderSubmitTime: {"submit_time", func(a, b *slurm.Job) int { return a.SubmitTime.Compare(b.SubmitTime) }},
	OrderStartTime:  {"start_time", func(a, b *slurm.Job) int { return a.StartTime.Compare(b.StartTime) }},
	OrderEndTime:    {"end_time", func(a, b *slurm.Job) int { return a.EndTime.Compare(b.EndTime) }},
	OrderPriority:   {"priority", func(a, b *slurm.Job) int { return cmp.Compare(a.Priority.Value, b.Priority.Value) }},
	OrderName:       {"name", func(a, b *slurm.Job) int { return strings.Compare(a.Name, b.Name) }},
	OrderUser:       {"user", func(a, b *slurm.Job) int { return strings.Compare(a.User, b.User) }},
	OrderPartition:  {"partition", func(a, b *slurm.Job) int { return strings.Compare(a.Partition, b.Partition) }},
	OrderState:      {"state", func(a, b *slurm.Job) int { return strings.Compare(a.State.Base, b.State.Base) }},
}

// JobOrderNamed returns the ordering by a column name ("priority", …).
func JobOrderNamed(name string) (JobOrder, bool) {
	for o, d := range jobOrders {
		if d.name == name {
			return JobOrder(o), true
		}
	}
	return 0, false
}

// JobOrderNames lists the column names the jobs can be ordered by, sorted.
func JobOrderNames() []string {
	names := make([]string, 0, numJobOrders)
	for _, d := range jobOrders {
		names = append(names, d.name)
	}
	slices.Sort(names)
	return names
}

// Compare compares two jobs by the ordering's column.
func (o JobOrder) Compare(a, b *slurm.Job) int { return jobOrders[o].compare(a, b) }

// eagerOrders are built with the index: the jobs page's default (newest
// first) and the pending queue's (by priority). The others are built by
// their first reader, once per answer.
var eagerOrders = []JobOrder{OrderSubmitTime, OrderPriority}

type lazyOrder struct {
	once      sync.Once
	asc, desc []int32
}

// NewJobIndex indexes jobs (which must not change afterwards).
func NewJobIndex(jobs []slurm.Job) *JobIndex {
	x := &JobIndex{jobs: jobs}
	x.classes, x.classOf = jobClasses(jobs)
	for _, o := range eagerOrders {
		x.Order(o, false)
	}
	return x
}

// Jobs are the indexed jobs (none for a nil index).
func (x *JobIndex) Jobs() []slurm.Job {
	if x == nil {
		return nil
	}
	return x.jobs
}

// Classes are the jobs' classes, in the order of their first job (none for
// a nil index).
func (x *JobIndex) Classes() []JobClass {
	if x == nil {
		return nil
	}
	return x.classes
}

// ClassOf returns the position in Classes of the class of the job at
// position i of Jobs. A filter on the labels classes share can be decided
// once per class and read per job from here.
func (x *JobIndex) ClassOf(i int) int { return int(x.classOf[i]) }

// Order returns the positions of the jobs in the ordering, ascending or
// descending; equal jobs keep their snapshot order either way. The slice is
// shared: read only.
func (x *JobIndex) Order(o JobOrder, desc bool) []int32 {
	l := &x.orders[o]
	l.once.Do(func() {
		l.asc = sortedBy(x.jobs, o)
		l.desc = reversedRuns(x.jobs, l.asc, o)
	})
	if desc {
		return l.desc
	}
	return l.asc
}

type classKey struct {
	base, flags, user, account, partition, qos, reason string
}

func jobClasses(jobs []slurm.Job) ([]JobClass, []int32) {
	at := make(map[classKey]int, 1024)
	var classes []JobClass
	classOf := make([]int32, len(jobs))
	for i := range jobs {
		j := &jobs[i]
		k := classKey{base: j.State.Base, user: j.User, account: j.Account, partition: j.Partition, qos: j.QOS, reason: j.Reason}
		if len(j.State.Flags) > 0 {
			k.flags = strings.Join(j.State.Flags, "+")
		}
		c, ok := at[k]
		if !ok {
			c = len(classes)
			at[k] = c
			classes = append(classes, JobClass{Job: j})
		}
		classes[c].Count++
		classOf[i] = int32(c) // #nosec G115 -- c < len(jobs), which an answer's size cap keeps far below 2^31
	}
	return slices.Clip(classes), classOf
}

// JobLabels is a set of the labels jobs are classed by.
type JobLabels uint8

// The labels.
const (
	LabelState     JobLabels = 1 << iota // base state and flags
	LabelUser                            // user
	LabelAccount                         // account
	LabelPartition                       // partition (list) as Slurm gives it
	LabelQOS                             // QOS
	LabelReason                          // state reason
	numLabelSets   = 1 << 6
)

// ClassesBy returns the jobs grouped by the given labels only: a count
// that filters on the state and groups by partition needs a class per state
// and partition, not one per user and reason as well (at 100k jobs of 500
// users that is a few dozen classes instead of tens of thousands). Each
// set is grouped from the full classes by its first reader, once per
// index; the result is shared: read only.
func (x *JobIndex) ClassesBy(labels JobLabels) []JobClass {
	groups, _ := x.ClassGroups(labels)
	return groups
}

// ClassGroups is ClassesBy with, for each of the index's classes (by
// position in Classes), the position of its group: a filter on those labels
// is decided once per group and read per job through ClassOf.
func (x *JobIndex) ClassGroups(labels JobLabels) (groups []JobClass, groupOf []int32) {
	if x == nil {
		return nil, nil
	}
	p := &x.byLabels[labels%numLabelSets]
	p.once.Do(func() { p.classes, p.groupOf = project(x.classes, labels) })
	return p.classes, p.groupOf
}

type projection struct {
	once    sync.Once
	classes []JobClass
	groupOf []int32 // by full class
}

func project(classes []JobClass, labels JobLabels) ([]JobClass, []int32) {
	at := make(map[classKey]int, 64)
	var out []JobClass
	groupOf := make([]int32, len(classes))
	for c, cl := range classes {
		j := cl.Job
		var k classKey
		if labels&LabelState != 0 {
			k.base = j.State.Base
			if len(j.State.Flags) > 0 {
				k.flags = strings.Join(j.State.Flags, "+")
			}
		}
		if labels&LabelUser != 0 {
			k.user = j.User
		}
		if labels&LabelAccount != 0 {
			k.account = j.Account
		}
		if labels&LabelPartition != 0 {
			k.partition = j.Partition
		}
		if labels&LabelQOS != 0 {
			k.qos = j.QOS
		}
		if labels&LabelReason != 0 {
			k.reason = j.Reason
		}
		g, ok := at[k]
		if ok {
			out[g].Count += cl.Count
		} else {
			g = len(out)
			at[k] = g
			out = append(out, cl)
		}
		groupOf[c] = int32(g) // #nosec G115 -- g <= c < len(jobs), far below 2^31
	}
	return slices.Clip(out), groupOf
}

// sortedBy sorts the positions of jobs by o, ties by position (stable).
// The column is copied next to each position first: comparing compact
// pairs is several times faster than following every comparison into two
// 560-byte jobs.
func sortedBy(jobs []slurm.Job, o JobOrder) []int32 {
	switch o {
	case OrderJobID:
		return sortPairs(jobs, func(j *slurm.Job) int64 { return j.JobID }, cmp.Compare[int64])
	case OrderPriority:
		return sortPairs(jobs, func(j *slurm.Job) int64 { return j.Priority.Value }, cmp.Compare[int64])
	case OrderSubmitTime:
		return sortPairs(jobs, func(j *slurm.Job) time.Time { return j.SubmitTime }, time.Time.Compare)
	case OrderStartTime:
		return sortPairs(jobs, func(j *slurm.Job) time.Time { return j.StartTime }, time.Time.Compare)
	case OrderEndTime:
		return sortPairs(jobs, func(j *slurm.Job) time.Time { return j.EndTime }, time.Time.Compare)
	case OrderName:
		return sortPairs(jobs, func(j *slurm.Job) string { return j.Name }, strings.Compare)
	case OrderUser:
		return sortPairs(jobs, func(j *slurm.Job) string { return j.User }, strings.Compare)
	case OrderPartition:
		return sortPairs(jobs, func(j *slurm.Job) string { return j.Partition }, strings.Compare)
	default: // OrderState
		return sortPairs(jobs, func(j *slurm.Job) string { return j.State.Base }, strings.Compare)
	}
}

func sortPairs[K any](jobs []slurm.Job, key func(*slurm.Job) K, compare func(a, b K) int) []int32 {
	type pair struct {
		k K
		i int32
	}
	pairs := make([]pair, len(jobs))
	for i := range jobs {
		pairs[i] = pair{key(&jobs[i]), int32(i)}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		if c := compare(a.k, b.k); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	out := make([]int32, len(pairs))
	for i, p := range pairs {
		out[i] = p.i
	}
	return out
}

// reversedRuns is the descending order from the ascending one: the runs of
// equal jobs in reverse, each run in snapshot order (what a stable sort
// with the reversed comparison gives).
func reversedRuns(jobs []slurm.Job, asc []int32, o JobOrder) []int32 {
	out := make([]int32, 0, len(asc))
	end := len(asc)
	for end > 0 {
		start := end - 1
		for start > 0 && o.Compare(&jobs[asc[start-1]], &jobs[asc[end-1]]) == 0 {
			start--
		}
		out = append(out, asc[start:end]...)
		end = start
	}
	return out
}
