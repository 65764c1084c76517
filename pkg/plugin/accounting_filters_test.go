package plugin

import (
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
)

// Multi-value accounting filters through QueryData, against the recorded
// answers of every release and API version. The test server refuses, or
// fails the test on, every query string that real release refused or
// answered wrongly (query-strings.md), so these pass only with the encoding
// each version needs.
func TestMultiValueAccountingFiltersOnEveryVersion(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	own := filepath.Join(filepath.Dir(file), "..", "slurm", "testdata")
	servers := map[string]func(t *testing.T) *clustertest.Server{
		"22.05.8/v0.0.38": func(t *testing.T) *clustertest.Server { return clustertest.StartIn(t, own, "22.05.8", "v0.0.38") },
	}
	for _, rv := range [][2]string{{"23.11.11", "v0.0.38"}, {"23.11.11", "v0.0.39"}, {"23.11.11", "v0.0.40"},
		{"25.05.8", "v0.0.40"}, {"25.05.8", "v0.0.41"}, {"25.05.8", "v0.0.42"}, {"25.05.8", "v0.0.43"},
		{"26.05.3", "v0.0.42"}, {"26.05.3", "v0.0.43"}, {"26.05.3", "v0.0.44"}, {"26.05.3", "v0.0.45"}} {
		servers[rv[0]+"/"+rv[1]] = func(t *testing.T) *clustertest.Server { return clustertest.Start(t, rv[0], rv[1]) }
	}
	for name, start := range servers {
		t.Run(name, func(t *testing.T) {
			version := name[strings.Index(name, "/")+1:]
			f := newFixtureFrom(t, start(t), version, nil, nil)
			query := func(queryType string, model map[string]any) {
				t.Helper()
				if r := f.rangeQuery(t, queryType, model, wideFrom, wideTo, time.Hour); r.Error != nil {
					t.Fatalf("%s %v: %v", queryType, model, r.Error)
				}
			}

			hist := singleFrame(t, f.rangeQuery(t, "job_history", map[string]any{"states": []string{"FAILED", "TIMEOUT"}}, wideFrom, wideTo, time.Hour))
			names := cells(t, hist, "name")
			slices.Sort(names)
			if strings.Join(names, ",") != "crash_test,too_long" {
				t.Errorf("FAILED+TIMEOUT jobs: %v", names)
			}
			ids := cells(t, hist, "job_id")

			byUser := singleFrame(t, f.rangeQuery(t, "job_history", map[string]any{"users": []string{"alice", "bob"}}, wideFrom, wideTo, time.Hour))
			users := cells(t, byUser, "user")
			if !slices.Contains(users, "alice") || !slices.Contains(users, "bob") || slices.Contains(users, "carol") {
				t.Errorf("alice+bob jobs are of %v", users)
			}
			both := singleFrame(t, f.rangeQuery(t, "job_history", map[string]any{"users": []string{"alice", "bob"},
				"states": []string{"FAILED", "TIMEOUT"}, "accounts": []string{"physics", "chemistry"}, "partitions": []string{"cpu", "gpu"}},
				wideFrom, wideTo, time.Hour))
			if got := strings.Join(cells(t, both, "name"), ","); got != "too_long" {
				t.Errorf("alice+bob FAILED+TIMEOUT jobs: %s", got)
			}

			query("history_series", map[string]any{"metric": "finished", "users": []string{"alice", "bob"}, "partitions": []string{"cpu", "gpu"}})
			query("usage", map[string]any{"tres": "cpu", "groupBy": "user", "users": []string{"alice", "bob"}, "accounts": []string{"physics", "chemistry"}})
			ann := singleFrame(t, f.rangeQuery(t, "annotations", map[string]any{"kind": "jobs", "jobIds": ids, "users": []string{"bob", "carol"}},
				wideFrom, wideTo, time.Hour))
			titles := strings.Join(cells(t, ann, "title"), "|")
			for _, id := range ids {
				if !strings.Contains(titles, "Job "+id+" ") {
					t.Errorf("annotations of jobs %v: %q", ids, titles)
				}
			}
		})
	}
}
