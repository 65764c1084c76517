//go:build integration

package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// queryFrame runs one query through QueryData as Grafana sends it.
func queryFrame(t *testing.T, d *Datasource, settings backend.DataSourceInstanceSettings, model map[string]any) *data.Frame {
	t.Helper()
	raw, err := json.Marshal(model)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := d.QueryData(ctx, &backend.QueryDataRequest{
		PluginContext: pluginContext(settings),
		Queries: []backend.DataQuery{{
			RefID:     "A",
			QueryType: model["queryType"].(string),
			JSON:      raw,
			TimeRange: backend.TimeRange{From: time.Now().Add(-time.Hour), To: time.Now()},
		}},
	})
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	r := resp.Responses["A"]
	if r.Error != nil {
		t.Fatalf("query %v: %s: %v", model, r.Status, r.Error)
	}
	if len(r.Frames) != 1 {
		t.Fatalf("query %v: %d frames", model, len(r.Frames))
	}
	return r.Frames[0]
}

// column returns a frame's column by name as strings (nulls as "").
func column(t *testing.T, f *data.Frame, name string) []string {
	t.Helper()
	field, idx := f.FieldByName(name)
	if idx < 0 {
		t.Fatalf("frame %s has no column %q", f.Name, name)
	}
	out := make([]string, field.Len())
	for i := range out {
		v, ok := field.ConcreteAt(i)
		if ok {
			out[i] = fmt.Sprint(v)
		}
	}
	return out
}

// TestIntegrationQueryData reads the seeded cluster through QueryData: the
// nodes, both partitions and every job state the seed produces.
func TestIntegrationQueryData(t *testing.T) {
	env := stackEnv(t)
	settings := stackInstanceSettings(t, env, map[string]any{"refreshIntervalSeconds": 10})
	d := newStackDatasource(t, settings)

	nodes := queryFrame(t, d, settings, map[string]any{"queryType": "nodes"})
	if n, _ := nodes.RowLen(); n < 6 {
		t.Errorf("nodes: %d rows, want at least 6", n)
	}
	gpus := 0
	for _, g := range column(t, nodes, "gpus") {
		if g != "0" && g != "" {
			gpus++
		}
	}
	if gpus == 0 {
		t.Error("no node reports GPUs: the gpu nodes' GRES is missing")
	}

	parts := queryFrame(t, d, settings, map[string]any{"queryType": "partitions"})
	names := column(t, parts, "partition")
	for _, want := range []string{"cpu", "gpu"} {
		if !slices.Contains(names, want) {
			t.Errorf("partitions %v lack %q", names, want)
		}
	}

	// The count and scheduler queries the bundled dashboards use.
	nodeCounts := queryFrame(t, d, settings, map[string]any{"queryType": "node_counts", "groupBy": []string{"partition"}})
	if parts := column(t, nodeCounts, "partition"); !slices.Contains(parts, "cpu") || !slices.Contains(parts, "gpu") {
		t.Errorf("node_counts by partition: %v", parts)
	}
	pendingByReason := queryFrame(t, d, settings, map[string]any{"queryType": "job_counts", "groupBy": []string{"reason"}, "states": []string{"PENDING"}})
	if n, _ := pendingByReason.RowLen(); n == 0 {
		t.Error("job_counts: no pending reasons")
	}
	sched := queryFrame(t, d, settings, map[string]any{"queryType": "scheduler"})
	// slurmctld resets its job counters at midnight; a serving thread is
	// always there while it answers.
	if threads := column(t, sched, "server_thread_count"); len(threads) != 1 || threads[0] == "0" {
		t.Errorf("scheduler server_thread_count %v", threads)
	}

	// TIMEOUT needs the too_long job's one-minute limit to pass after
	// seeding, so poll the snapshot (refreshed every 10 s) for a while.
	want := []string{
		"RUNNING", "PENDING/Resources", "PENDING/Priority", "PENDING/Dependency",
		"held", "array task", "COMPLETED", "FAILED", "TIMEOUT", "CANCELLED",
	}
	deadline := time.Now().Add(3 * time.Minute)
	var seen map[string]bool
	for {
		jobs := queryFrame(t, d, settings, map[string]any{"queryType": "jobs"})
		seen = jobStatesSeen(t, jobs)
		var missing []string
		for _, w := range want {
			if !seen[w] {
				missing = append(missing, w)
			}
		}
		if len(missing) == 0 {
			n, _ := jobs.RowLen()
			t.Logf("all seeded job states seen among %d jobs", n)
			break
		}
		if time.Now().After(deadline) {
			have := make([]string, 0, len(seen))
			for k := range seen {
				have = append(have, k)
			}
			sort.Strings(have)
			t.Fatalf("after 3 minutes these seeded job states are still missing: %v (seen: %v). Was stack/seed run?", missing, have)
		}
		time.Sleep(5 * time.Second)
	}
}

// jobStatesSeen classifies the rows of a jobs frame into the seeded cases.
func jobStatesSeen(t *testing.T, jobs *data.Frame) map[string]bool {
	t.Helper()
	states := column(t, jobs, "state_base")
	reasons := column(t, jobs, "reason")
	tasks := column(t, jobs, "array_task_id")
	seen := map[string]bool{}
	for i, s := range states {
		seen[s] = true
		if s == "PENDING" {
			seen["PENDING/"+reasons[i]] = true
			if strings.HasPrefix(reasons[i], "JobHeld") {
				seen["held"] = true
			}
		}
		if tasks[i] != "" {
			seen["array task"] = true
		}
	}
	return seen
}
