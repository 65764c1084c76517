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
	return one(q.Frame(d.Snapshot.Jobs, d.Snapshot.Partitions))
}

// Frame counts the matching jobs. Groups by state or partition also list
// the requested states and the known partitions with 0.
func (q JobCounts) Frame(jobs []slurm.Job, parts []slurm.Partition) *data.Frame {
	c := newCounter(q.GroupBy)
	for i := range jobs {
		j := &jobs[i]
		if !q.Match(j) {
			continue
		}
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
		c.add(values)
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
