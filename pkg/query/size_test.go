package query

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// maxResponseBytes is the response budget of DESIGN.md §8.
const maxResponseBytes = 8 << 20

// syntheticJobs is a large snapshot with realistic, long-ish values.
func syntheticJobs(n int) []slurm.Job {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	jobs := make([]slurm.Job, n)
	for i := range jobs {
		jobs[i] = slurm.Job{
			ID: fmt.Sprint(1000000 + i), JobID: int64(1000000 + i),
			Name: fmt.Sprintf("train_resnet50_sweep_lr_%06d", i), User: fmt.Sprintf("user%04d", i%5000),
			Account: fmt.Sprintf("project-%03d", i%300), Partition: "gpu,gpu-long", QOS: "normal",
			State: slurm.State{Base: "RUNNING"}, Reason: "None", SubmitTime: t0, StartTime: t0.Add(time.Minute),
			EndTime: t0.Add(48 * time.Hour), NodeList: fmt.Sprintf("gpu-node[%04d-%04d]", i%9000, i%9000+3),
			TimeLimit: slurm.Number{Value: 2880, Set: true}, NodeCount: slurm.Number{Value: 4, Set: true},
			CPUs: slurm.Number{Value: 256, Set: true}, MemoryMB: 1 << 20, GPUsRequested: 32, GPUsAllocated: 32,
			Priority: slurm.Number{Value: 4294901760, Set: true}, Extras: &slurm.JobExtras{ExitCode: slurm.ExitCode{Status: "SUCCESS", ReturnCode: slurm.Number{Set: true}}},
		}
	}
	return jobs
}

// The largest page the data source allows stays under 8 MiB in both
// encodings Grafana uses; beyond it, rows are paged (meta.custom.total).
func TestLargestJobsPageFitsTheResponseBudget(t *testing.T) {
	jobs := syntheticJobs(100000)
	q, err := ParseJobs(json.RawMessage(fmt.Sprintf(`{"limit":%d}`, MaxRowsCeiling)), rows(MaxRowsCeiling))
	if err != nil {
		t.Fatal(err)
	}
	frame := q.Frame(cluster.NewJobIndex(jobs))
	if frame.Rows() != MaxRowsCeiling {
		t.Fatalf("%d rows, want %d", frame.Rows(), MaxRowsCeiling)
	}
	arrow, err := frame.MarshalArrow()
	if err != nil {
		t.Fatal(err)
	}
	js, err := data.FrameToJSON(frame, data.IncludeAll)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d rows: arrow %d bytes, JSON %d bytes", frame.Rows(), len(arrow), len(js))
	if len(arrow) > maxResponseBytes || len(js) > maxResponseBytes {
		t.Errorf("arrow %d / JSON %d bytes: over the 8 MiB budget", len(arrow), len(js))
	}
}
