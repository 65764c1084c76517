package query

import (
	"encoding/json"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// jobGroupLabels are the labels job_counts can group by.
var jobGroupLabels = []string{"state", "partition", "user", "account", "qos", "reason"}

// TypeJobCounts counts the controller's jobs by label.
const TypeJobCounts = "job_counts"

func init() {
	register(Type{Name: TypeJobCounts,
		Frame: "numeric long: one string column per label (groupBy state, partition, user, account, qos, reason), `jobs` " +
			"count; one alert instance per row",
		Examples: []string{`{"states":["PENDING"],"groupBy":["partition","reason"]}`},
	}, ParseJobCounts)
}

// JobCounts is the "job_counts" query: how many jobs match, grouped by any of
// jobGroupLabels, as a numeric long frame (one series per group).
type JobCounts struct {
	JobFilter
	GroupBy StringList `json:"groupBy"`
}

// ParseJobCounts reads and validates a job_counts query.
func ParseJobCounts(raw json.RawMessage, _ Request) (JobCounts, error) {
	var q JobCounts
	if err := decode(raw, &q); err != nil {
		return JobCounts{}, err
	}
	if err := q.compile(); err != nil {
		return JobCounts{}, err
	}
	if err := checkGroupBy(q.GroupBy, jobGroupLabels); err != nil {
		return JobCounts{}, err
	}
	return q, nil
}

// Needs reads the snapshot's jobs and, to list every partition, its partitions.
func (q JobCounts) Needs() Needs {
	return Needs{Kinds: []cluster.Kind{cluster.KindJobs, cluster.KindPartitions}}
}

// Frames answers with the counts.
func (q JobCounts) Frames(d Data) (data.Frames, error) {
	return one(q.Frame(d.Snapshot.JobIndex(), d.Snapshot.Partitions))
}

// Frame counts the matching jobs. Groups by state or partition also list
// the requested states and the known partitions with 0. A filter on labels
// only counts the index's classes of jobs alike in the labels it filters
// and groups by (a few dozen for the dashboards' counts at 100k jobs), each
// once with its number of jobs; a filter on names, nodes or job ids looks
// at every job.
func (q JobCounts) Frame(x *cluster.JobIndex, parts []slurm.Partition) *data.Frame {
	c := newCounter(q.GroupBy)
	if q.labelsOnly() {
		for _, cl := range x.ClassesBy(q.labels() | groupLabels(q.GroupBy)) {
			if q.Match(cl.Job) {
				c.addN(q.groupValues(cl.Job), int64(cl.Count))
			}
		}
	} else {
		f := q.walking()
		jobs := x.Jobs()
		for i := range jobs {
			if j := &jobs[i]; f.Match(j) {
				c.addN(q.groupValues(j), 1)
			}
		}
	}
	if len(q.GroupBy) == 1 {
		switch q.GroupBy[0] {
		case "state":
			for _, s := range q.States {
				c.ensure([]string{upper(s)})
			}
		case "partition":
			for _, p := range parts {
				if matchAny(q.Partitions, p.Name) {
					c.ensure([]string{p.Name})
				}
			}
		}
	}
	return c.frame("job_counts", "jobs")
}

// groupValues are a job's values of every groupBy label (a job pending in
// two partitions has two).
func (q JobCounts) groupValues(j *slurm.Job) [][]string {
	values := make([][]string, len(q.GroupBy))
	for g, label := range q.GroupBy {
		switch label {
		case "state":
			values[g] = []string{j.State.Base}
		case "partition":
			values[g] = jobPartitions(j)
			if len(q.Partitions) > 0 {
				values[g] = intersect(values[g], q.Partitions)
			}
		case "user":
			values[g] = []string{orUnknown(j.User)}
		case "account":
			values[g] = []string{orUnknown(j.Account)}
		case "qos":
			values[g] = []string{orUnknown(j.QOS)}
		case "reason":
			values[g] = []string{orUnknown(j.Reason)}
		}
	}
	return values
}

// groupLabels are the labels a groupBy reads.
func groupLabels(groupBy []string) cluster.JobLabels {
	var l cluster.JobLabels
	for _, g := range groupBy {
		l |= jobLabelOf[g]
	}
	return l
}

var jobLabelOf = map[string]cluster.JobLabels{"state": cluster.LabelState, "partition": cluster.LabelPartition, "user": cluster.LabelUser,
	"account": cluster.LabelAccount, "qos": cluster.LabelQOS, "reason": cluster.LabelReason}
