package cluster

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
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

// seriesOf counts the series labelled datasource=name in reg.
func seriesOf(t *testing.T, reg *prometheus.Registry, name string) int {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "datasource" && l.GetValue() == name {
					n++
				}
			}
		}
	}
	return n
}

// A call that ends after Stop (a health check, an accounting fetch that was
// in flight) must not bring back series that nothing would remove again.
func TestNoSeriesComeBackAfterStop(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	if _, _, err := h.readJobs(t); err != nil {
		t.Fatal(err)
	}
	h.srv.SetFault(clustertest.Held)
	done := make(chan error, 1)
	go func() {
		_, err := h.poller.AccountingJobs(context.Background(), slurm.AccountingFilter{})
		done <- err
	}()
	waitEndpoint(t, h, "slurmdb_jobs")
	h.poller.Stop()
	<-done
	h.srv.Release()
	h.poller.Observe("ping", time.Millisecond, nil)
	if n := seriesOf(t, h.reg, "test-ds"); n != 0 {
		t.Errorf("%d series of the stopped data source", n)
	}
}

// Grafana disposes a reconfigured instance after creating its successor
// with the same uid: the successor's series stay.
func TestStoppingAnInstanceKeepsItsSuccessorsSeries(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	if _, _, err := h.readJobs(t); err != nil {
		t.Fatal(err)
	}
	next, err := New(h.client, Options{Name: "test-ds", Metrics: h.metrics, Clock: h.clock})
	if err != nil {
		t.Fatal(err)
	}
	defer next.Stop()
	if _, _, err := next.Read(context.Background(), KindJobs); err != nil {
		t.Fatal(err)
	}
	h.poller.Stop()
	if v := testutil.ToFloat64(h.metrics.calls.WithLabelValues("test-ds", "jobs")); v != 2 {
		t.Errorf("jobs calls of the data source after its old instance stopped: %v, want both instances' 2", v)
	}
	if n, _ := testutil.GatherAndCount(h.reg, "hpc_slurm_snapshot_age_seconds"); n != 5 {
		t.Errorf("age series: %d, want the successor's 5", n)
	}
	next.Stop()
	if n := seriesOf(t, h.reg, "test-ds"); n != 0 {
		t.Errorf("%d series after the last instance stopped", n)
	}
}
