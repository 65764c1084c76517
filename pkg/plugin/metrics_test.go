package plugin

import (
	"context"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
)

// Grafana collects the plugin's metrics from the default registry (the SDK
// serves prometheus.DefaultGatherer), so instances made by the exported
// factory must count their calls there, labelled with their uid.
func TestInstancesCountCallsInTheDefaultRegistry(t *testing.T) {
	srv := clustertest.Start(t, "25.05.8", "v0.0.41")
	settings := instanceSettings(t, srv.URL(), map[string]any{"slurmUser": clustertest.User, "apiVersion": "v0.0.41"},
		map[string]string{"token": clustertest.Token})
	settings.UID = "metrics-test-uid"
	inst, err := NewDatasource(context.Background(), settings)
	if err != nil {
		t.Fatal(err)
	}
	ds := inst.(*Datasource)
	res, err := ds.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if err != nil || res.Status != backend.HealthStatusOk {
		t.Fatalf("health: %v %+v", err, res)
	}
	if _, _, err := ds.poller.Read(context.Background(), cluster.KindJobs); err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	mfs, err := prometheus.DefaultGatherer.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "datasource" && l.GetValue() == "metrics-test-uid" {
					found[mf.GetName()] = true
				}
			}
		}
	}
	for _, name := range []string{"hpc_slurm_upstream_calls_total", "hpc_slurm_upstream_call_duration_seconds", "hpc_slurm_snapshot_age_seconds", "hpc_slurm_snapshot_stale"} {
		if !found[name] {
			t.Errorf("%s has no series for the instance in the default registry (found %v)", name, found)
		}
	}
	// Disposing the instance (settings changed, data source deleted) removes its series.
	var disposer instancemgmt.InstanceDisposer = ds
	disposer.Dispose()
	// A request that still holds the disposed instance (Grafana disposes it a
	// few seconds after the successor exists) records nothing.
	if _, err := ds.CheckHealth(context.Background(), &backend.CheckHealthRequest{}); err != nil {
		t.Fatal(err)
	}
	mfs, _ = prometheus.DefaultGatherer.Gather()
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "datasource" && l.GetValue() == "metrics-test-uid" {
					t.Errorf("%s still has a series after Dispose", mf.GetName())
				}
			}
		}
	}
}
