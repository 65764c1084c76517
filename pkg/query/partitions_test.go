package query

import (
	"encoding/json"
	"testing"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

func TestPartitionsFrameDerivesCounts(t *testing.T) {
	yes := true
	parts := []slurm.Partition{
		{Name: "gpu", TotalCPUs: 16, MaxTime: slurm.Val(2880)},
		{Name: "cpu", TotalCPUs: 8, Default: &yes, MaxTime: slurm.Unlimited()},
	}
	q, _ := ParsePartitions(nil, testRequest)
	f := q.Frame(parts, cluster.NewJobIndex(testJobs), testNodes)
	checks := map[string]string{
		"partition":      "cpu,gpu", // default first
		"jobs_running":   "1,1",
		"jobs_pending":   "2,1", // job 3 asked for gpu,cpu: pending in both
		"cpus_allocated": "7,0",
		"cpus_idle":      "1,16",
		"gpus":           "0,4",
		"gpus_allocated": "0,1",
		"nodes_idle":     "0,1",
		"nodes_down":     "0,1",
		"max_time":       "unlimited,2880",
		"default":        "true,null", // gpu's flag unknown (as on v0.0.39–v0.0.44), not false
	}
	for col, want := range checks {
		if got := names(t, f, col); got != want {
			t.Errorf("%s: got %s, want %s", col, got, want)
		}
	}
	only, _ := ParsePartitions(json.RawMessage(`{"partitions":"gpu"}`), testRequest)
	if got := names(t, only.Frame(parts, cluster.NewJobIndex(testJobs), testNodes), "partition"); got != "gpu" {
		t.Errorf("filter: %s", got)
	}
}

// The derived counts read the jobs and nodes of the same snapshot, so all
// three kinds must be fresh.
func TestPartitionsReadPartitionsJobsAndNodes(t *testing.T) {
	snap := &cluster.Snapshot{Partitions: []slurm.Partition{{Name: "cpu"}, {Name: "gpu"}}, Jobs: testJobs, Nodes: testNodes}
	frames := answer(t, TypePartitions, `{"partitions":"gpu"}`, testRequest,
		kinds(cluster.KindPartitions, cluster.KindJobs, cluster.KindNodes), Data{Snapshot: snap})
	if len(frames) != 1 || names(t, frames[0], "partition") != "gpu" || names(t, frames[0], "jobs_running") != "1" {
		t.Errorf("gpu partition: %s running", names(t, frames[0], "jobs_running"))
	}
}
