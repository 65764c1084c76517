package query

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

var testJobs = []slurm.Job{
	{ID: "1", Name: "md_run", User: "alice", Account: "physics", Partition: "cpu", QOS: "high", State: slurm.State{Base: "RUNNING"}, Reason: "None", TimeLimit: slurm.Val(60), CPUs: slurm.Val(4), SubmitTime: time.Unix(1795915000, 0), NodeList: "node[03-04]", JobID: 1},
	{ID: "2", Name: "big_mpi", User: "bob", Account: "physics", Partition: "cpu", State: slurm.State{Base: "PENDING"}, Reason: "Resources", TimeLimit: slurm.Unlimited()},
	{ID: "3", Name: "train", User: "carol", Account: "chemistry", Partition: "gpu,cpu", State: slurm.State{Base: "PENDING"}, Reason: "Priority"},
	{ID: "4_1", Name: "sweep", User: "bob", Account: "physics", Partition: "gpu", State: slurm.State{Base: "RUNNING", Flags: []string{"COMPLETING"}}, ArrayJobID: slurm.Val(4), ArrayTaskID: slurm.Val(1), NodeList: "node02", JobID: 6, SubmitTime: time.Unix(1795915100, 0)},
	{ID: "5", Name: "crash", User: "carol", Account: "chemistry", Partition: "gpu", State: slurm.State{Base: "FAILED"}, Reason: "NonZeroExitCode"},
}

func TestJobsFilters(t *testing.T) {
	cases := []struct {
		query string
		want  string
	}{
		{`{}`, "1,2,3,4_1,5"},
		{`{"states":"pending"}`, "2,3"},
		{`{"states":"COMPLETING"}`, "4_1"},
		{`{"users":["bob","carol"],"states":"PENDING"}`, "2,3"},
		{`{"accounts":"chemistry"}`, "3,5"},
		{`{"partitions":"cpu"}`, "1,2,3"},
		{`{"reasons":"resources"}`, "2"},
		{`{"nameRegex":"(md|sw).*"}`, "1,4_1"},
		{`{"nodes":"node04"}`, "1"},
		{`{"nodes":["node09","node02"]}`, "4_1"},
		{`{"qos":"high"}`, "1"},
		{`{"limit":2}`, "1,2"},
	}
	for _, c := range cases {
		q, err := ParseJobs(json.RawMessage(c.query), testRequest)
		if err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		sel, _ := q.Select(cluster.NewJobIndex(testJobs))
		var got []string
		for _, j := range sel {
			got = append(got, j.ID)
		}
		if strings.Join(got, ",") != c.want {
			t.Errorf("%s: got %v, want %s", c.query, got, c.want)
		}
	}
}

func TestJobsFrameShowsUnlimitedAndUnsetApart(t *testing.T) {
	q, _ := ParseJobs(nil, testRequest)
	f := q.Frame(cluster.NewJobIndex(testJobs))
	if got := names(t, f, "time_limit"); got != "60,unlimited,,," {
		t.Errorf("time_limit %s", got)
	}
	if got := names(t, f, "time_limit_minutes"); got != "60,null,null,null,null" {
		t.Errorf("time_limit_minutes %s", got)
	}
	if got := names(t, f, "array_task_id"); got != "null,null,null,1,null" {
		t.Errorf("array_task_id %s", got)
	}
	// The array task 4_1 is Slurm job 6: exporters label its series jobid="6".
	if got, ids := names(t, f, "slurm_job_id"), names(t, f, "job_id"); strings.Split(ids, ",")[3] != "4_1" || strings.Split(got, ",")[3] != "6" {
		t.Errorf("slurm_job_id %s for job ids %s", got, ids)
	}
	if got := names(t, f, "start_time"); got != "null,null,null,null,null" {
		t.Errorf("start_time %s: no time must be null, not 1970", got)
	}
	if got := names(t, f, "submit_time"); !strings.HasPrefix(got, `"2026-11-29T`) {
		t.Errorf("submit_time %s", got)
	}
}

func TestJobsSortBeforeTheLimit(t *testing.T) {
	q, err := ParseJobs(json.RawMessage(`{"sort":{"field":"submit_time","desc":true},"limit":2}`), testRequest)
	if err != nil {
		t.Fatal(err)
	}
	sel, matched := q.Select(cluster.NewJobIndex(testJobs))
	var got []string
	for _, j := range sel {
		got = append(got, j.ID)
	}
	// Jobs without a submit time sort last when descending.
	if strings.Join(got, ",") != "4_1,1" || matched != 5 {
		t.Errorf("got %v of %d", got, matched)
	}
	if _, err := ParseJobs(json.RawMessage(`{"sort":{"field":"colour"}}`), testRequest); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `sort.field "colour" is not sortable`) {
		t.Errorf("unknown sort field: %v", err)
	}
}

func TestJobsReadTheSnapshotsJobs(t *testing.T) {
	snap := &cluster.Snapshot{Jobs: testJobs, Nodes: testNodes}
	frames := answer(t, TypeJobs, `{"states":"PENDING"}`, testRequest, kinds(cluster.KindJobs), Data{Snapshot: snap})
	if len(frames) != 1 || names(t, frames[0], "job_id") != "2,3" {
		t.Fatalf("pending jobs of the snapshot: %d frames", len(frames))
	}
}
