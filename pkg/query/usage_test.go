package query

import (
	"fmt"
	"testing"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

func TestUsageClipsToTheRange(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	jobs := []slurm.AccountingJob{
		// 4 CPUs from 1 h before the range to 1 h into it: 1 h counts → 4 CPU-hours.
		{Account: "physics", State: slurm.State{Base: "COMPLETED"}, StartTime: t0.Add(-time.Hour), EndTime: t0.Add(time.Hour), TRESAllocated: slurm.TRES{"cpu": 4}},
		// 2 CPUs still running: counts up to now (1.5 h into the range) → 3 CPU-hours.
		{Account: "chemistry", State: slurm.State{Base: "RUNNING"}, StartTime: t0, EndTime: t0.Add(10 * time.Hour), TRESAllocated: slurm.TRES{"cpu": 2}},
		// Pending: no usage.
		{Account: "chemistry", State: slurm.State{Base: "PENDING"}, StartTime: t0, TRESAllocated: slurm.TRES{"cpu": 64}},
	}
	q, err := ParseUsage([]byte(`{"tres":"cpu","groupBy":"account"}`), testRequest)
	if err != nil {
		t.Fatal(err)
	}
	frames, err := q.Metered(jobs, t0, t0.Add(2*time.Hour), time.Hour, t0.Add(90*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	f := frames[0]
	want := map[string]float64{"chemistry": 3, "physics": 4}
	for i := 0; i < f.Rows(); i++ {
		g, h := f.Fields[0].At(i).(string), f.Fields[1].At(i).(float64)
		if h != want[g] {
			t.Errorf("%s: %v CPU-hours, want %v", g, h, want[g])
		}
	}
	if f.Fields[1].Config.Unit != "suffix: CPU-hours" {
		t.Errorf("unit %q", f.Fields[1].Config.Unit)
	}
	q, _ = ParseUsage([]byte(`{"tres":"cpu","groupBy":"account","format":"series"}`), testRequest)
	frames, err = q.Metered(jobs, t0, t0.Add(2*time.Hour), time.Hour, t0.Add(90*time.Minute))
	if err != nil || len(frames) != 2 {
		t.Fatalf("series: %v, %d frames", err, len(frames))
	}
	// chemistry: 2 CPU-hours in the first hour, 1 in the second (until now).
	if v := frames[0].Fields[1]; v.Labels["account"] != "chemistry" || v.At(0).(float64) != 2 || v.At(1).(float64) != 1 {
		t.Errorf("chemistry series %v %v %v", v.Labels, v.At(0), v.At(1))
	}
}

func TestUsageSeriesKeepTheLargestGroupsWithinTheBudget(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var jobs []slurm.AccountingJob
	for i := 0; i < 300; i++ {
		jobs = append(jobs, slurm.AccountingJob{User: fmt.Sprintf("u%03d", i), State: slurm.State{Base: "COMPLETED"},
			StartTime: t0, EndTime: t0.Add(time.Hour), TRESAllocated: slurm.TRES{"cpu": int64(i + 1)}})
	}
	q, _ := ParseUsage([]byte(`{"tres":"cpu","groupBy":"user","format":"series"}`), testRequest)
	// 2000 one-minute buckets: 250 series fit in 500000 cells.
	frames, err := q.Metered(jobs, t0, t0.Add(2000*time.Minute), time.Minute, t0.Add(3000*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) != 250 || frames[0].Fields[1].Labels["user"] != "u050" {
		t.Errorf("%d series from %s: want the 250 largest (u050…u299)", len(frames), frames[0].Fields[1].Labels["user"])
	}
	if frames[0].Meta == nil || len(frames[0].Meta.Notices) != 1 {
		t.Errorf("the cut must be said")
	}
}
