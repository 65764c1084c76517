//go:build integration

package plugin

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// seededJobs reads the name=id lines stack/seed wrote.
func seededJobs(t *testing.T, env map[string]string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(env["HPC_STACK_DIR"], "seeded.jobs"))
	if err != nil {
		t.Fatalf("stack/seed writes seeded.jobs: %v", err)
	}
	out := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if name, id, ok := strings.Cut(line, "="); ok {
			out[name] = id
		}
	}
	return out
}

// Multi-value filters through QueryData on live Slurm 22.05: every
// accounting query type answers, the filters hold, and the CPU-burning
// job has its CPU time and efficiency.
func TestIntegrationMultiValueFilters(t *testing.T) {
	env := stackEnv(t)
	seeded := seededJobs(t, env)
	settings := stackInstanceSettings(t, env, map[string]any{"refreshIntervalSeconds": 10})
	d := newStackDatasource(t, settings)
	to := time.Now()
	from := to.Add(-6 * time.Hour)

	hist := rangeFrames(t, d, settings, map[string]any{"queryType": "job_history", "states": []string{"FAILED", "TIMEOUT"},
		"users": []string{"bob", "carol"}}, from, to)[0]
	ids, states, users := column(t, hist, "job_id"), column(t, hist, "state"), column(t, hist, "user")
	for i := range ids {
		if !slices.Contains([]string{"FAILED", "TIMEOUT"}, states[i]) || !slices.Contains([]string{"bob", "carol"}, users[i]) {
			t.Errorf("job %s: %s of %s", ids[i], states[i], users[i])
		}
	}
	for _, name := range []string{"crash_test", "too_long"} {
		if !slices.Contains(ids, seeded[name]) {
			t.Errorf("job_history FAILED+TIMEOUT of bob+carol lacks %s (%s): %v", name, seeded[name], ids)
		}
	}

	byUser := rangeFrames(t, d, settings, map[string]any{"queryType": "job_history", "users": []string{"alice", "bob"}}, from, to)[0]
	users = column(t, byUser, "user")
	if !slices.Contains(users, "alice") || !slices.Contains(users, "bob") || slices.Contains(users, "carol") {
		t.Errorf("job_history of alice+bob has users %v", users)
	}
	i := slices.Index(column(t, byUser, "job_id"), seeded["cpu_burn"])
	if i < 0 {
		t.Fatalf("job_history of alice+bob lacks cpu_burn (%s)", seeded["cpu_burn"])
	}
	// Slurm reports its CPU time on the steps only: the column has it (up to
	// 3 s, less on a busy machine), and so the efficiency is computed.
	if cpu := column(t, byUser, "cpu_time_s")[i]; cpu == "" {
		t.Error("cpu_burn has no CPU time")
	}
	if eff, err := strconv.ParseFloat(column(t, byUser, "cpu_efficiency")[i], 64); err != nil || eff < 0.05 {
		t.Errorf("cpu_burn CPU efficiency %q (%v), want that of a CPU-bound job", column(t, byUser, "cpu_efficiency")[i], err)
	}

	series := rangeFrames(t, d, settings, map[string]any{"queryType": "history_series", "metric": "finished",
		"users": []string{"alice", "bob"}, "partitions": []string{"cpu", "gpu"}}, from, to)
	if len(series) == 0 {
		t.Error("history_series of alice+bob in cpu+gpu: no frame")
	}
	usage := rangeFrames(t, d, settings, map[string]any{"queryType": "usage", "tres": "cpu", "groupBy": "user",
		"users": []string{"alice", "bob"}, "accounts": []string{"physics", "chemistry"}}, from, to)[0]
	if groups := column(t, usage, "user"); !slices.Contains(groups, "alice") || slices.Contains(groups, "carol") {
		t.Errorf("usage of alice+bob grouped by user: %v", groups)
	}

	want := []string{seeded["crash_test"], seeded["cpu_burn"]}
	ann := rangeFrames(t, d, settings, map[string]any{"queryType": "annotations", "kind": "jobs", "jobIds": want,
		"users": []string{"alice", "carol"}}, from, to)[0]
	titles := strings.Join(column(t, ann, "title"), "|")
	for _, id := range want {
		if !strings.Contains(titles, "Job "+id+" started") {
			t.Errorf("annotations of jobs %v: %q", want, titles)
		}
	}
	if n := len(column(t, ann, "title")); n != 4 {
		t.Errorf("annotations of two finished jobs: %d events, want a start and an end each: %q", n, titles)
	}
}
