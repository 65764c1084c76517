package plugin

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
)

// alertRequest is the request Grafana's alerting sends when it evaluates a
// rule: no user in the plugin context, the FromAlert header, and the query
// JSON exactly as the rule stores it (datasource, intervalMs, maxDataPoints).
func alertRequest(f *fixture, model string) *backend.QueryDataRequest {
	pc := f.pluginContext()
	pc.User = nil
	now := time.Now()
	return &backend.QueryDataRequest{
		PluginContext: pc,
		Headers: map[string]string{
			"FromAlert":        "true",
			"X-Rule-Uid":       "slurm-pending-by-partition",
			"X-Rule-Folder":    "HPC",
			"X-Grafana-Org-Id": "1",
		},
		Queries: []backend.DataQuery{{
			RefID: "A", QueryType: "job_counts", JSON: []byte(model),
			Interval: time.Second, MaxDataPoints: 43200,
			TimeRange: backend.TimeRange{From: now.Add(-10 * time.Minute), To: now},
		}},
	}
}

const storedRule = `{"datasource":{"type":"hpc-slurm-datasource","uid":"slurm"},"groupBy":["partition"],"intervalMs":1000,"maxDataPoints":43200,"queryType":"job_counts","refId":"A","states":["PENDING"]}`

func TestAlertRuleIsAnsweredFromTheSnapshot(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.41", nil, nil)
	for i := 0; i < 3; i++ {
		resp, err := f.ds.QueryData(context.Background(), alertRequest(f, storedRule))
		if err != nil {
			t.Fatal(err)
		}
		frame := singleFrame(t, resp.Responses["A"])
		// One numeric row per partition: one alert instance each.
		if got := numericLong(t, frame); got != "partition=cpu: 5; partition=gpu: 2" {
			t.Errorf("evaluation %d: %s", i, got)
		}
	}
	if n := f.srv.Count("jobs"); n != 1 {
		t.Errorf("%d jobs calls for three evaluations, want 1 (the snapshot)", n)
	}
}

// A snapshot older than the stale limit fails the query, so the rule goes
// to Error (or NoData/Error per its settings), never silently OK.
func TestAlertRuleFailsWhenTheSnapshotIsBeyondTheStaleLimit(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.41", map[string]any{"refreshIntervalSeconds": 10, "staleLimitSeconds": 10}, nil)
	resp, err := f.ds.QueryData(context.Background(), alertRequest(f, storedRule))
	if err != nil || resp.Responses["A"].Error != nil {
		t.Fatalf("fresh evaluation: %v %v", err, resp.Responses["A"].Error)
	}
	f.srv.SetFault(clustertest.Status500)
	// The first failed refresh leaves data exactly one interval (= the
	// limit) old: still served, stale. The retry after it finds it older.
	f.advance(t, 10*time.Second)
	resp, _ = f.ds.QueryData(context.Background(), alertRequest(f, storedRule))
	if r := resp.Responses["A"]; r.Error != nil {
		t.Fatalf("at the stale limit the last good data must still be served: %v", r.Error)
	}
	f.advance(t, 10*time.Second)
	resp, err = f.ds.QueryData(context.Background(), alertRequest(f, storedRule))
	if err != nil {
		t.Fatal(err)
	}
	r := resp.Responses["A"]
	if r.Error == nil {
		t.Fatal("the query kept answering from a snapshot beyond the 10 s stale limit")
	}
	if r.Status != backend.StatusBadGateway || len(r.Frames) != 0 {
		t.Errorf("stale answer: status %d, %d frames; want 502 and no frames", r.Status, len(r.Frames))
	}
	if !strings.Contains(r.Error.Error(), "beyond the stale limit of 10s") {
		t.Errorf("error %q does not say the data is too old", r.Error)
	}
}
