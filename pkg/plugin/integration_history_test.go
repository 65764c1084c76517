//go:build integration

package plugin

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// rangeFrames runs one query over [from, to] through QueryData.
func rangeFrames(t *testing.T, d *Datasource, settings backend.DataSourceInstanceSettings, model map[string]any, from, to time.Time) data.Frames {
	t.Helper()
	raw, err := json.Marshal(model)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := d.QueryData(ctx, &backend.QueryDataRequest{
		PluginContext: pluginContext(settings),
		Queries: []backend.DataQuery{{RefID: "A", QueryType: model["queryType"].(string), JSON: raw,
			TimeRange: backend.TimeRange{From: from, To: to}, Interval: time.Hour, MaxDataPoints: 1000}},
	})
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	r := resp.Responses["A"]
	if r.Error != nil {
		t.Fatalf("query %v: %s: %v", model, r.Status, r.Error)
	}
	return r.Frames
}

// TestIntegrationJobHistoryAndAnnotations reads slurmdbd through QueryData:
// the seed's finished jobs with their efficiencies (computed, or null when
// Slurm recorded nothing to compute them from), and their start/end events.
func TestIntegrationJobHistoryAndAnnotations(t *testing.T) {
	env := stackEnv(t)
	settings := stackInstanceSettings(t, env, map[string]any{"refreshIntervalSeconds": 10})
	d := newStackDatasource(t, settings)
	to := time.Now()
	from := to.AddDate(0, 0, -30)

	hist := rangeFrames(t, d, settings, map[string]any{"queryType": "job_history", "states": []string{"COMPLETED", "FAILED", "TIMEOUT"}}, from, to)[0]
	states := column(t, hist, "state")
	for _, want := range []string{"COMPLETED", "FAILED", "TIMEOUT"} {
		if !slices.Contains(states, want) {
			t.Errorf("job_history has no %s job: %v", want, states)
		}
	}
	elapsed, cpuEff, memEff := column(t, hist, "elapsed_s"), column(t, hist, "cpu_efficiency"), column(t, hist, "mem_efficiency")
	for i := range states {
		if elapsed[i] == "" {
			t.Errorf("finished job %d has no elapsed time", i)
		}
		for _, v := range []string{cpuEff[i], memEff[i]} {
			if v == "0" {
				t.Errorf("row %d: an efficiency of exactly 0 (must be computed or null)", i)
			}
		}
	}
	t.Logf("%d finished jobs; cpu_efficiency %v; mem_efficiency %v", len(states), cpuEff, memEff)

	ids := column(t, hist, "job_id")
	ann := rangeFrames(t, d, settings, map[string]any{"queryType": "annotations", "kind": "jobs", "jobIds": ids[:1]}, from, to)[0]
	titles := strings.Join(column(t, ann, "title"), "|")
	if !strings.Contains(titles, "Job "+ids[0]+" started") || !strings.Contains(titles, "Job "+ids[0]+" "+states[0]) {
		t.Errorf("annotations of job %s: %q", ids[0], titles)
	}
	// The node reasons of drained/down nodes, if the stack has any, and the
	// reservations as regions: both answer, shaped as annotations.
	for _, kind := range []string{"node_reasons", "reservations"} {
		fr := rangeFrames(t, d, settings, map[string]any{"queryType": "annotations", "kind": kind}, from, to.AddDate(0, 0, 30))[0]
		if _, i := fr.FieldByName("timeEnd"); i < 0 {
			t.Errorf("%s annotations have no timeEnd", kind)
		}
	}
}
