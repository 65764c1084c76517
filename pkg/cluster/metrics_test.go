package cluster

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
)

func TestMetricsCountCallsErrorsAndSnapshotAge(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	if _, _, err := h.readJobs(t); err != nil {
		t.Fatal(err)
	}
	if v := testutil.ToFloat64(h.metrics.calls.WithLabelValues("test-ds", "nodes")); v != 1 {
		t.Errorf("nodes calls: %v, want 1", v)
	}
	if n := testutil.CollectAndCount(h.metrics.duration); n < 5 {
		t.Errorf("duration series: %d, want one per kind", n)
	}
	ages := `
# HELP hpc_slurm_snapshot_stale 1 when the data of a kind is stale (its last refresh failed or it is older than two intervals and a second).
# TYPE hpc_slurm_snapshot_stale gauge
hpc_slurm_snapshot_stale{datasource="test-ds",kind="diag"} 0
hpc_slurm_snapshot_stale{datasource="test-ds",kind="jobs"} 0
hpc_slurm_snapshot_stale{datasource="test-ds",kind="nodes"} 0
hpc_slurm_snapshot_stale{datasource="test-ds",kind="partitions"} 0
hpc_slurm_snapshot_stale{datasource="test-ds",kind="reservations"} 0
`
	if err := testutil.GatherAndCompare(h.reg, strings.NewReader(ages), "hpc_slurm_snapshot_stale"); err != nil {
		t.Error(err)
	}
	if n, err := testutil.GatherAndCount(h.reg, "hpc_slurm_snapshot_age_seconds"); err != nil || n != 5 {
		t.Errorf("age series: %d %v", n, err)
	}

	h.srv.SetFault(clustertest.Truncated)
	h.advance(t, testInterval)
	if v := testutil.ToFloat64(h.metrics.errors.WithLabelValues("test-ds", "jobs", "malformed answer")); v != 1 {
		t.Errorf("jobs errors counted: %v, want 1", v)
	}
	allStale := strings.ReplaceAll(ages, "} 0", "} 1")
	if err := testutil.GatherAndCompare(h.reg, strings.NewReader(allStale), "hpc_slurm_snapshot_stale"); err != nil {
		t.Errorf("after a failed refresh of every kind: %v", err)
	}
}
