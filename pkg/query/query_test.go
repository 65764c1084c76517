package query

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

func TestStringListAcceptsTheFormsGrafanaInterpolates(t *testing.T) {
	cases := map[string]string{
		`"cpu"`:             "cpu",
		`["cpu","gpu"]`:     "cpu|gpu",
		`"cpu,gpu"`:         "cpu|gpu",
		`"{cpu,gpu}"`:       "cpu|gpu",
		`" cpu , cpu "`:     "cpu",
		`"$__all"`:          "",
		`["All"]`:           "",
		`"*"`:               "",
		`""`:                "",
		`["a,b", "c", "a"]`: "a|b|c",
	}
	for in, want := range cases {
		var l StringList
		if err := json.Unmarshal([]byte(in), &l); err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if got := strings.Join(l, "|"); got != want {
			t.Errorf("%s: got %q, want %q", in, got, want)
		}
	}
	var q struct {
		States StringList `json:"states"`
	}
	err := decode(json.RawMessage(`{"states": 5}`), &q)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "states must be a []string") {
		t.Errorf("number for a list: %v", err)
	}
}

func TestDecodeRejectsBrokenJSONClearly(t *testing.T) {
	_, err := ParseJobs(json.RawMessage(`{"states": `), 0)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "not valid JSON") {
		t.Errorf("got %v", err)
	}
}

var testNodes = []slurm.Node{
	{Name: "node01", State: slurm.State{Base: "MIXED"}, Partitions: []string{"cpu"}, CPUs: 4, CPUsAllocated: 3, MemoryFreeMB: slurm.Val(100), CPULoad: slurm.Val(150)},
	{Name: "node02", State: slurm.State{Base: "ALLOCATED", Flags: []string{"DRAIN"}}, Partitions: []string{"cpu"}, CPUs: 4, CPUsAllocated: 4},
	{Name: "node05", State: slurm.State{Base: "IDLE"}, Partitions: []string{"gpu", "debug"}, CPUs: 8, GPUs: 2, Features: []string{"gpu"}},
	{Name: "node06", State: slurm.State{Base: "DOWN", Flags: []string{"NOT_RESPONDING"}}, Partitions: []string{"gpu"}, CPUs: 8, GPUs: 2, GPUsAllocated: 1},
}

func names(t *testing.T, f *data.Frame, col string) string {
	t.Helper()
	field, idx := f.FieldByName(col)
	if idx < 0 {
		t.Fatalf("no column %s", col)
	}
	var out []string
	for i := 0; i < field.Len(); i++ {
		v, ok := field.ConcreteAt(i)
		if !ok {
			out = append(out, "null")
			continue
		}
		out = append(out, toString(v))
	}
	return strings.Join(out, ",")
}

func toString(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return x
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

func TestNodesFilterByPartitionStateFlagAndName(t *testing.T) {
	cases := []struct {
		query string
		want  string
	}{
		{`{}`, "node01,node02,node05,node06"},
		{`{"partitions":"gpu"}`, "node05,node06"},
		{`{"partitions":["debug","cpu"]}`, "node01,node02,node05"},
		{`{"states":"drain"}`, "node02"},
		{`{"states":["IDLE","MIXED"]}`, "node01,node05"},
		{`{"nameRegex":"node0[15]"}`, "node01,node05"},
		{`{"nameRegex":"node0"}`, ""},
		{`{"features":"gpu"}`, "node05"},
	}
	for _, c := range cases {
		q, err := ParseNodes(json.RawMessage(c.query), 0)
		if err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		var got []string
		for _, n := range q.Filter(testNodes) {
			got = append(got, n.Name)
		}
		if strings.Join(got, ",") != c.want {
			t.Errorf("%s: got %v, want %s", c.query, got, c.want)
		}
	}
}

func TestNodesFrameKeepsUnknownValuesNull(t *testing.T) {
	q, _ := ParseNodes(nil, 0)
	f := q.Frame(testNodes)
	if got := names(t, f, "memory_free_mb"); got != "100,null,null,null" {
		t.Errorf("memory_free_mb %s: unset must be null, not 0", got)
	}
	if got := names(t, f, "cpu_load"); got != "1.5,null,null,null" {
		t.Errorf("cpu_load %s", got)
	}
	if got := names(t, f, "state"); got != "MIXED,ALLOCATED+DRAIN,IDLE,DOWN+NOT_RESPONDING" {
		t.Errorf("state %s", got)
	}
}

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
		q, err := ParseJobs(json.RawMessage(c.query), 0)
		if err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		sel, _ := q.Filter(testJobs)
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
	q, _ := ParseJobs(nil, 0)
	f := q.Frame(testJobs)
	if got := names(t, f, "time_limit"); got != "60,unlimited,,," {
		t.Errorf("time_limit %s", got)
	}
	if got := names(t, f, "time_limit_minutes"); got != "60,null,null,null,null" {
		t.Errorf("time_limit_minutes %s", got)
	}
	if got := names(t, f, "array_task_id"); got != "null,null,null,1,null" {
		t.Errorf("array_task_id %s", got)
	}
	if got := names(t, f, "start_time"); got != "null,null,null,null,null" {
		t.Errorf("start_time %s: no time must be null, not 1970", got)
	}
	if got := names(t, f, "submit_time"); !strings.HasPrefix(got, `"2026-11-29T`) {
		t.Errorf("submit_time %s", got)
	}
}

func TestPartitionsFrameDerivesCounts(t *testing.T) {
	yes := true
	parts := []slurm.Partition{
		{Name: "gpu", TotalCPUs: 16, MaxTime: slurm.Val(2880)},
		{Name: "cpu", TotalCPUs: 8, Default: &yes, MaxTime: slurm.Unlimited()},
	}
	q, _ := ParsePartitions(nil)
	f := q.Frame(parts, testJobs, testNodes)
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
	only, _ := ParsePartitions(json.RawMessage(`{"partitions":"gpu"}`))
	if got := names(t, only.Frame(parts, testJobs, testNodes), "partition"); got != "gpu" {
		t.Errorf("filter: %s", got)
	}
}

func TestJobsSortBeforeTheLimit(t *testing.T) {
	q, err := ParseJobs(json.RawMessage(`{"sort":{"field":"submit_time","desc":true},"limit":2}`), 0)
	if err != nil {
		t.Fatal(err)
	}
	sel, matched := q.Filter(testJobs)
	var got []string
	for _, j := range sel {
		got = append(got, j.ID)
	}
	// Jobs without a submit time sort last when descending.
	if strings.Join(got, ",") != "4_1,1" || matched != 5 {
		t.Errorf("got %v of %d", got, matched)
	}
	if _, err := ParseJobs(json.RawMessage(`{"sort":{"field":"colour"}}`), 0); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `sort.field "colour" is not sortable`) {
		t.Errorf("unknown sort field: %v", err)
	}
}
