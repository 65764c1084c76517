package plugin

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
)

func (f *fixture) query(t *testing.T, queryType string, model map[string]any) backend.DataResponse {
	t.Helper()
	return f.rangeQuery(t, queryType, model, time.Time{}, time.Time{}, 0)
}

func singleFrame(t *testing.T, r backend.DataResponse) *data.Frame {
	t.Helper()
	if r.Error != nil {
		t.Fatalf("query failed: %s %v", r.Status, r.Error)
	}
	if len(r.Frames) != 1 {
		t.Fatalf("%d frames, want 1", len(r.Frames))
	}
	return r.Frames[0]
}

func cells(t *testing.T, f *data.Frame, name string) []string {
	t.Helper()
	field, idx := f.FieldByName(name)
	if idx < 0 {
		t.Fatalf("frame %q has no column %q", f.Name, name)
	}
	out := make([]string, field.Len())
	for i := range out {
		if v, ok := field.ConcreteAt(i); ok {
			out[i] = fmt.Sprint(v)
		}
	}
	return out
}

func TestQueryNodesFromTheSnapshot(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.41", nil, nil)
	frame := singleFrame(t, f.query(t, "nodes", nil))
	if frame.RefID != "A" {
		t.Errorf("refId %q", frame.RefID)
	}
	names := cells(t, frame, "node")
	if strings.Join(names, ",") != "node01,node02,node03,node04,node05,node06" {
		t.Errorf("nodes %v", names)
	}
	gpus := cells(t, frame, "gpus")
	if gpus[4] != "2" || gpus[5] != "2" || gpus[0] != "0" {
		t.Errorf("gpus per node %v: node05/06 have gpu:a100:2", gpus)
	}
	if meta := frame.Meta; meta == nil || meta.Custom.(map[string]any)["stale"] != false {
		t.Errorf("fresh data must be labelled stale=false: %+v", frame.Meta)
	}

	gpuOnly := singleFrame(t, f.query(t, "nodes", map[string]any{"partitions": "gpu"}))
	if got := cells(t, gpuOnly, "node"); strings.Join(got, ",") != "node05,node06" {
		t.Errorf("partition gpu: %v", got)
	}
	byName := singleFrame(t, f.query(t, "nodes", map[string]any{"nameRegex": "node0[12]"}))
	if got := cells(t, byName, "node"); strings.Join(got, ",") != "node01,node02" {
		t.Errorf("node regex: %v", got)
	}
}

func TestQueryPartitionsDerivesCountsFromJobsAndNodes(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.41", nil, nil)
	frame := singleFrame(t, f.query(t, "partitions", nil))
	names := cells(t, frame, "partition")
	if strings.Join(names, ",") != "cpu,gpu" {
		t.Fatalf("partitions %v", names)
	}
	running, pending := cells(t, frame, "jobs_running"), cells(t, frame, "jobs_pending")
	// Fixture table: cpu runs 7005-7008 (4), gpu runs 7011, 7012 and sweep
	// tasks 7018, 7019 (4); cpu pends 7009, 7010, 7015, 7016, 7017 (5),
	// gpu pends 7013 and the sweep remainder 7014 (2).
	if running[0] != "4" || running[1] != "4" || pending[0] != "5" || pending[1] != "2" {
		t.Errorf("running %v pending %v", running, pending)
	}
	if gpus := cells(t, frame, "gpus"); gpus[1] != "4" {
		t.Errorf("gpu partition GPUs %v, want 4", gpus)
	}
}

func TestQueryJobsFilters(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.41", nil, nil)
	all := singleFrame(t, f.query(t, "jobs", nil))
	if n, _ := all.RowLen(); n != 19 {
		t.Errorf("all jobs: %d rows, want 19", n)
	}
	pending := singleFrame(t, f.query(t, "jobs", map[string]any{"states": []string{"PENDING"}, "reasons": "Resources,Priority"}))
	ids := cells(t, pending, "job_id")
	if strings.Join(ids, ",") != "7009,7010,7013" {
		t.Errorf("pending for Resources or Priority: %v", ids)
	}
	carol := singleFrame(t, f.query(t, "jobs", map[string]any{"users": "carol", "states": "FAILED"}))
	if got := cells(t, carol, "name"); strings.Join(got, ",") != "crash_test" {
		t.Errorf("carol's failed jobs: %v", got)
	}
	onNode := singleFrame(t, f.query(t, "jobs", map[string]any{"nodes": "node03", "states": "RUNNING"}))
	if got := cells(t, onNode, "job_id"); strings.Join(got, ",") != "7006" {
		t.Errorf("running on node03 (mpi_test has node[03-04]): %v", got)
	}
	limited := singleFrame(t, f.query(t, "jobs", map[string]any{"limit": 3}))
	if n, _ := limited.RowLen(); n != 3 || len(limited.Meta.Notices) != 1 || !strings.Contains(limited.Meta.Notices[0].Text, "rows 1–3 of 19") {
		t.Errorf("limit 3: %d rows, notices %+v", n, limited.Meta.Notices)
	}
	if total := limited.Meta.Custom.(map[string]any)["total"]; total != 19 {
		t.Errorf("meta.custom.total %v, want 19", total)
	}
	// The last page: offset 18 holds the 19th job only, and no notice.
	last := singleFrame(t, f.query(t, "jobs", map[string]any{"limit": 3, "offset": 18}))
	allIDs := cells(t, singleFrame(t, f.query(t, "jobs", map[string]any{"limit": 100})), "job_id")
	if got := cells(t, last, "job_id"); len(got) != 1 || got[0] != allIDs[18] || len(last.Meta.Notices) != 0 {
		t.Errorf("last page %v (want %s), notices %+v", got, allIDs[18], last.Meta.Notices)
	}
}

func TestQueryErrorsNameTheProblem(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.41", nil, nil)
	cases := []struct {
		queryType string
		model     map[string]any
		want      string
	}{
		{"gpu_hours", nil, `unknown queryType "gpu_hours": supported query types are annotations, history_series, job_counts, job_history, jobs, node_counts, nodes`},
		{"", nil, "queryType is missing"},
		{"nodes", map[string]any{"nameRegex": "node[0"}, "nameRegex is not a valid regular expression"},
		{"jobs", map[string]any{"limit": -1}, "limit is -1"},
		{"jobs", map[string]any{"limit": "ten"}, "limit must be a int"},
		{"jobs", map[string]any{"users": 5}, "users must be a []string"},
		{"job_counts", map[string]any{"groupBy": []string{"colour"}}, `groupBy has "colour": group by any of state, partition, user, account, qos, reason`},
		{"node_counts", map[string]any{"groupBy": "user"}, `groupBy has "user": group by any of state, partition`},
	}
	for _, c := range cases {
		r := f.query(t, c.queryType, c.model)
		if r.Error == nil || r.Status != backend.StatusBadRequest || !strings.Contains(r.Error.Error(), c.want) {
			t.Errorf("%s %v: got %s %v, want 400 containing %q", c.queryType, c.model, r.Status, r.Error, c.want)
		}
	}
}

func TestQueryFailsWithBadGatewayWhenSlurmrestdNeverAnswered(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.41", nil, nil)
	f.srv.SetFault(clustertest.Status500)
	r := f.query(t, "jobs", nil)
	if r.Error == nil || r.Status != backend.StatusBadGateway || r.ErrorSource != backend.ErrorSourceDownstream {
		t.Fatalf("got %s %v", r.Status, r.Error)
	}
	if !strings.Contains(r.Error.Error(), "jobs could not be fetched from slurmrestd") || !strings.Contains(r.Error.Error(), "HTTP 500") {
		t.Errorf("error %q", r.Error)
	}
}

func TestStaleFramesCarryANotice(t *testing.T) {
	frame := data.NewFrame("jobs")
	annotateFreshness(frame, []cluster.Freshness{{
		Kind: cluster.KindJobs, FetchedAt: time.Now().Add(-2 * time.Minute), Age: 2 * time.Minute,
		Stale: true, LastError: fmt.Errorf("slurm: unreachable (GET /slurm/v0.0.41/jobs)"),
	}})
	custom := frame.Meta.Custom.(map[string]any)
	if custom["stale"] != true || custom["snapshotAgeSeconds"] != 120.0 {
		t.Errorf("meta %+v", custom)
	}
	if len(frame.Meta.Notices) != 1 || !strings.Contains(frame.Meta.Notices[0].Text, "Slurm data is stale (jobs): last refreshed 2m0s ago. slurmrestd: slurm: unreachable (GET /slurm/v0.0.41/jobs)") {
		t.Errorf("notices %+v", frame.Meta.Notices)
	}
}

// numericLong reads a numeric long frame into "label=value,...: n" lines.
func numericLong(t *testing.T, frame *data.Frame) string {
	t.Helper()
	if frame.Meta == nil || frame.Meta.Type != data.FrameTypeNumericLong {
		t.Fatalf("frame %q is not numeric long: %+v", frame.Name, frame.Meta)
	}
	rows, _ := frame.RowLen()
	var lines []string
	for r := 0; r < rows; r++ {
		var parts []string
		var value string
		for _, f := range frame.Fields {
			v, _ := f.ConcreteAt(r)
			if f.Type() == data.FieldTypeString {
				parts = append(parts, fmt.Sprintf("%s=%v", f.Name, v))
			} else {
				value = fmt.Sprint(v)
			}
		}
		lines = append(lines, strings.Join(parts, ",")+": "+value)
	}
	return strings.Join(lines, "; ")
}

func TestQueryJobCountsAsTheDashboardsAsk(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.41", nil, nil)
	cases := []struct {
		model map[string]any
		want  string
	}{
		{map[string]any{"states": []string{"RUNNING"}}, ": 8"},
		{map[string]any{"states": []string{"PENDING"}}, ": 7"},
		{map[string]any{"groupBy": []string{"partition"}, "states": []string{"PENDING"}}, "partition=cpu: 5; partition=gpu: 2"},
		{map[string]any{"groupBy": []string{"reason"}, "states": []string{"PENDING"}},
			"reason=BeginTime: 1; reason=Dependency: 1; reason=JobArrayTaskLimit: 1; reason=JobHeldUser: 1; reason=Priority: 1; reason=Resources: 2"},
		{map[string]any{"groupBy": []string{"state"}, "states": []string{"RUNNING", "PENDING", "SUSPENDED"}}, "state=PENDING: 7; state=RUNNING: 8; state=SUSPENDED: 0"},
		{map[string]any{"groupBy": []string{"partition", "state"}, "users": "alice"},
			"partition=cpu,state=COMPLETED: 1; partition=cpu,state=PENDING: 2; partition=cpu,state=RUNNING: 2; partition=gpu,state=RUNNING: 1"},
	}
	for _, c := range cases {
		frame := singleFrame(t, f.query(t, "job_counts", c.model))
		if got := numericLong(t, frame); got != c.want {
			t.Errorf("%v:\n got  %s\n want %s", c.model, got, c.want)
		}
	}
}

func TestQueryNodeCountsAndScheduler(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.41", nil, nil)
	if got := numericLong(t, singleFrame(t, f.query(t, "node_counts", map[string]any{"groupBy": "state"}))); got != "state=ALLOCATED: 3; state=MIXED: 3" {
		t.Errorf("nodes by state: %s", got)
	}
	if got := numericLong(t, singleFrame(t, f.query(t, "node_counts", map[string]any{"states": []string{"DOWN", "DRAIN", "NOT_RESPONDING"}}))); got != ": 0" {
		t.Errorf("nodes needing attention: %s", got)
	}
	if got := numericLong(t, singleFrame(t, f.query(t, "node_counts", map[string]any{"groupBy": []string{"partition"}}))); got != "partition=cpu: 4; partition=gpu: 2" {
		t.Errorf("nodes by partition: %s", got)
	}
	sched := singleFrame(t, f.query(t, "scheduler", nil))
	for col, want := range map[string]string{"jobs_submitted": "22", "jobs_running": "8", "jobs_pending": "10", "schedule_cycle_max": "1303", "backfill_active": "false"} {
		if got := cells(t, sched, col); len(got) != 1 || got[0] != want {
			t.Errorf("scheduler %s: %v, want %s", col, got, want)
		}
	}
}
