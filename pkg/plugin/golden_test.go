package plugin

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/experimental"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
)

// update regenerates testdata/golden/*.jsonc: go test ./pkg/plugin -run Golden -update
var update = flag.Bool("update", false, "rewrite the golden frame files")

// goldenCase is one query of the golden set.
type goldenCase struct {
	name, queryType, model string
	from, to               time.Time
	interval               time.Duration
}

// goldenCases are every query type, with filters that make each frame say
// something, over a time range around the recording's jobs.
func goldenCases(from, to time.Time, shares bool, pendingJob string) []goldenCase {
	c := []goldenCase{
		{"jobs", "jobs", `{"states":["RUNNING","PENDING"],"sort":{"field":"job_id"}}`, from, to, time.Minute},
		{"job_counts", "job_counts", `{"groupBy":["partition","state"]}`, from, to, time.Minute},
		{"job_counts_by_state", "job_counts", `{"groupBy":["state"]}`, from, to, time.Minute},
		{"nodes", "nodes", `{}`, from, to, time.Minute},
		{"node_counts", "node_counts", `{"groupBy":["state"]}`, from, to, time.Minute},
		{"node_counts_per_node", "node_counts", `{"groupBy":["node","state","reason"]}`, from, to, time.Minute},
		{"partitions", "partitions", `{}`, from, to, time.Minute},
		{"scheduler", "scheduler", `{}`, from, to, time.Minute},
		{"scheduler_numeric", "scheduler", `{"format":"numeric"}`, from, to, time.Minute},
		{"reservations", "reservations", `{}`, from, to, time.Minute},
		{"job_history", "job_history", `{}`, from, to, time.Minute},
		{"history_series_submitted", "history_series", `{"metric":"submitted","groupBy":["partition"]}`, from, to, time.Minute},
		{"history_series_wait_p90", "history_series", `{"metric":"wait_p90"}`, from, to, time.Minute},
		{"usage_table", "usage", `{"tres":"cpu","groupBy":"account"}`, from, to, time.Minute},
		{"usage_table_gpu", "usage", `{"tres":"gpu","groupBy":"user"}`, from, to, time.Minute},
		{"usage_series", "usage", `{"tres":"gpu","groupBy":"user","format":"series"}`, from, to, time.Minute},
		{"annotations_jobs", "annotations", `{"kind":"jobs"}`, from, to, time.Minute},
		{"annotations_reservations", "annotations", `{"kind":"reservations"}`, from.AddDate(-1, 0, 0), to.AddDate(1, 0, 0), time.Hour},
		{"annotations_node_reasons", "annotations", `{"kind":"node_reasons"}`, from.AddDate(-1, 0, 0), to.AddDate(1, 0, 0), time.Hour},
	}
	if shares {
		c = append(c, goldenCase{"shares", "shares", `{}`, from, to, time.Minute})
	}
	c = append(c,
		goldenCase{"pending", "pending", `{}`, from, to, time.Minute},
		goldenCase{"pending_counts_category", "pending", `{"format":"counts","groupBy":["category"]}`, from, to, time.Minute},
		goldenCase{"pending_counts_limit", "pending", `{"format":"counts","groupBy":["partition","limit"]}`, from, to, time.Minute},
		goldenCase{"pending_impossible_per_partition", "pending", `{"format":"counts","groupBy":["partition"],"categories":["impossible"]}`, from, to, time.Minute},
		goldenCase{"pending_facts", "pending", `{"format":"facts","jobId":"` + pendingJob + `"}`, from, to, time.Minute},
	)
	return c
}

func TestGoldenFrames2605(t *testing.T) {
	f := newFixture(t, "26.05.3", "v0.0.44", nil, nil)
	// train_wait: GPUs, a busy partition and the active gpu_workshop reservation.
	runGolden(t, f, "26.05.3_v0.0.44", recFrom, recTo, true, "5013")
}

func TestGoldenFrames2205(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "slurm", "testdata")
	f := newFixtureIn(t, root, "22.05.8", "v0.0.38")
	runGolden(t, f, "22.05.8_v0.0.38",
		time.Date(2026, 11, 29, 2, 25, 0, 0, time.UTC), time.Date(2026, 11, 29, 2, 35, 0, 0, time.UTC), false, "1010")
}

func runGolden(t *testing.T, f *fixture, prefix string, from, to time.Time, shares bool, pendingJob string) {
	// The recording's own "now", so reservation states and running jobs'
	// usage do not drift with the wall clock.
	f.ds.now = func() time.Time { return to }
	dir := filepath.Join("testdata", "golden")
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range goldenCases(from, to, shares, pendingJob) {
		t.Run(c.name, func(t *testing.T) {
			var model map[string]any
			if err := json.Unmarshal([]byte(c.model), &model); err != nil {
				t.Fatal(err)
			}
			model["refId"], model["queryType"] = "A", c.queryType
			raw, _ := json.Marshal(model)
			resp, err := f.ds.QueryData(context.Background(), &backend.QueryDataRequest{
				PluginContext: f.pluginContext(),
				Queries: []backend.DataQuery{{RefID: "A", QueryType: c.queryType, JSON: raw,
					TimeRange: backend.TimeRange{From: c.from, To: c.to}, Interval: c.interval, MaxDataPoints: 1000}},
			})
			if err != nil {
				t.Fatal(err)
			}
			r := resp.Responses["A"]
			if r.Error != nil {
				t.Fatalf("%s: %v", c.name, r.Error)
			}
			dropSnapshotAge(r.Frames)
			experimental.CheckGoldenJSONResponse(t, dir, prefix+"_"+c.name, &r, *update)
		})
	}
}

// dropSnapshotAge removes the only values that change between runs: how
// old the snapshot is and when it was fetched.
func dropSnapshotAge(frames data.Frames) {
	for _, fr := range frames {
		if fr.Meta == nil {
			continue
		}
		if custom, ok := fr.Meta.Custom.(map[string]any); ok {
			for k := range custom {
				if strings.HasPrefix(k, "snapshot") {
					delete(custom, k)
				}
			}
		}
	}
}

// newFixtureIn is newFixture over a recordings root of the project.
func newFixtureIn(t *testing.T, root, release, version string) *fixture {
	t.Helper()
	return newFixtureFrom(t, clustertest.StartIn(t, root, release, version), version, nil, nil)
}
