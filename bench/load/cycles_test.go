package load

import (
	"testing"
	"time"
)

func TestCyclesCountCallsPerRefresh(t *testing.T) {
	t0 := time.Unix(1795900000, 0)
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	calls := []Call{
		{Endpoint: "ping", Start: at(0), End: at(0.1)},
		// first refresh, out of order on purpose
		{Endpoint: "nodes", Start: at(2), End: at(2.5)},
		{Endpoint: "jobs", Start: at(1), End: at(2)},
		{Endpoint: "diag", Start: at(2.6), End: at(2.7)},
		// second refresh with a call refused by the rate limit
		{Endpoint: "jobs", Start: at(11), End: at(12)},
		{Endpoint: "nodes", Start: at(12), End: at(12.2), Status: 429},
		{Endpoint: "nodes", Start: at(12.4), End: at(13)},
	}
	before, cycles := Cycles(calls)
	if before["ping"] != 1 || len(before) != 1 {
		t.Fatalf("before the first refresh: %v", before)
	}
	if len(cycles) != 2 {
		t.Fatalf("%d cycles, want 2", len(cycles))
	}
	if got := cycles[0].Took(); got != 1700*time.Millisecond {
		t.Errorf("first refresh took %v, want 1.7s (jobs start to diag end)", got)
	}
	if cycles[1].Limited != 1 || cycles[1].Calls["nodes"] != 2 {
		t.Errorf("second refresh: %+v", cycles[1])
	}
	most := MostPerCycle(cycles)
	if most["nodes"] != 2 || most["jobs"] != 1 || most["diag"] != 1 {
		t.Errorf("most per cycle: %v", most)
	}
}

func TestUpstreamFromThePluginsMetrics(t *testing.T) {
	text := []byte(`# HELP hpc_slurm_upstream_calls_total Calls made to slurmrestd, by data source and endpoint.
# TYPE hpc_slurm_upstream_calls_total counter
hpc_slurm_upstream_calls_total{datasource="a",endpoint="jobs"} 3
hpc_slurm_upstream_calls_total{datasource="b",endpoint="jobs"} 1
hpc_slurm_upstream_calls_total{datasource="a",endpoint="nodes"} 3
# TYPE hpc_slurm_upstream_errors_total counter
hpc_slurm_upstream_errors_total{datasource="a",endpoint="nodes",kind="timeout"} 1
# TYPE hpc_slurm_upstream_call_duration_seconds histogram
hpc_slurm_upstream_call_duration_seconds_bucket{datasource="a",endpoint="jobs",le="+Inf"} 3
hpc_slurm_upstream_call_duration_seconds_sum{datasource="a",endpoint="jobs"} 6
hpc_slurm_upstream_call_duration_seconds_count{datasource="a",endpoint="jobs"} 3
hpc_slurm_upstream_call_duration_seconds_bucket{datasource="b",endpoint="jobs",le="+Inf"} 1
hpc_slurm_upstream_call_duration_seconds_sum{datasource="b",endpoint="jobs"} 2
hpc_slurm_upstream_call_duration_seconds_count{datasource="b",endpoint="jobs"} 1
# TYPE go_goroutines gauge
go_goroutines 12
`)
	u, err := parseUpstream(text)
	if err != nil {
		t.Fatal(err)
	}
	if j := u["jobs"]; j.Calls != 4 || j.Seconds != 8 || j.Mean() != 2 || j.Errors != 0 {
		t.Errorf("jobs: %+v", j)
	}
	if n := u["nodes"]; n.Calls != 3 || n.Errors != 1 || n.Mean() != 0 {
		t.Errorf("nodes: %+v", n)
	}
	if _, err := parseUpstream([]byte("not { metrics")); err == nil {
		t.Error("garbage parsed")
	}
}
