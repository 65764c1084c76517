package query

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

func TestPercentileNearestRank(t *testing.T) {
	v := []float64{10, 1, 5, 3, 8}
	if p := percentile(v, 0.5); p == nil || *p != 5 {
		t.Errorf("p50 %v", p)
	}
	if p := percentile(v, 0.9); p == nil || *p != 10 {
		t.Errorf("p90 %v", p)
	}
	if percentile(nil, 0.5) != nil {
		t.Error("no values must give null")
	}
}

func TestBucketsBounded(t *testing.T) {
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	b, err := newBuckets(from, from.AddDate(1, 0, 0), time.Second)
	if err != nil || b.n > maxBuckets+1 {
		t.Errorf("a year at 1 s: %d buckets (%v), want at most %d", b.n, err, maxBuckets)
	}
	if _, err := newBuckets(from, from, time.Minute); !errors.Is(err, ErrInvalid) {
		t.Errorf("empty range: %v", err)
	}
}

func TestHistorySeriesCountsStartsAndSkipsPendingJobs(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	jobs := []slurm.AccountingJob{
		{Partition: "cpu", State: slurm.State{Base: "COMPLETED"}, SubmitTime: t0, StartTime: t0.Add(30 * time.Second), EndTime: t0.Add(2 * time.Minute)},
		{Partition: "gpu", State: slurm.State{Base: "RUNNING"}, SubmitTime: t0, StartTime: t0.Add(90 * time.Second), EndTime: t0.Add(5 * time.Minute)},
		// slurmdbd puts the request time into a pending job's start: not a start.
		{Partition: "gpu", State: slurm.State{Base: "PENDING"}, SubmitTime: t0, StartTime: t0.Add(4 * time.Minute)},
	}
	q, err := ParseHistorySeries([]byte(`{"metric":"started","groupBy":"partition"}`), testRequest)
	if err != nil {
		t.Fatal(err)
	}
	frames, err := q.Series(jobs, t0, t0.Add(5*time.Minute), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range frames {
		v := f.Fields[1]
		var cells []string
		for i := 0; i < v.Len(); i++ {
			cells = append(cells, fmt.Sprint(v.At(i)))
		}
		got[v.Labels["partition"]] = strings.Join(cells, ",")
	}
	// cpu started in minute 0, gpu's running job in minute 1; the pending
	// job's "start" in minute 4 is not counted.
	if got["cpu"] != "1,0,0,0,0" || got["gpu"] != "0,1,0,0,0" || len(got) != 2 {
		t.Errorf("starts per partition %v", got)
	}
	q, _ = ParseHistorySeries([]byte(`{"metric":"finished"}`), testRequest)
	frames, _ = q.Series(jobs, t0, t0.Add(5*time.Minute), time.Minute)
	if v := frames[0].Fields[1]; v.At(2).(int64) != 1 || v.At(4).(int64) != 0 {
		t.Errorf("finished: only the COMPLETED job, in minute 2 (a running job has no end)")
	}
}
