//go:build integration

package slurm

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// seededID returns the id stack/seed recorded for a job name.
func seededID(t *testing.T, env map[string]string, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(env["HPC_STACK_DIR"], "seeded.jobs"))
	if err != nil {
		t.Fatalf("stack/seed writes seeded.jobs: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if n, id, ok := strings.Cut(line, "="); ok && n == name {
			return id
		}
	}
	t.Fatalf("no %s job in seeded.jobs: run stack/seed --force (it submits cpu_burn)", name)
	return ""
}

// sacct runs the stack's sacct with args and returns its parsable lines.
func sacct(t *testing.T, env map[string]string, args ...string) []string {
	t.Helper()
	cmd := exec.Command("sacct", append([]string{"-n", "-P"}, args...)...) // #nosec G204 -- fixed binary, test arguments
	cmd.Env = append(os.Environ(), "SLURM_CONF="+env["SLURM_CONF"])
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("sacct %v: %v", args, err)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// The CPU-burning job's CPU time is sacct's TotalCPU (sacct sums the steps;
// slurmdbd reports the job figure as 0).
func TestLiveStackCPUTimeMatchesSacct(t *testing.T) {
	c, env, _ := liveClient(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	id := seededID(t, env, "cpu_burn")
	j, err := c.AccountingJob(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	// Not -X: sacct sums the steps into the job's line only when it reads
	// them (with -X it shows slurmdbd's job figure, 0).
	var total string
	for _, line := range sacct(t, env, "-j", id, "-o", "JobID,TotalCPU") {
		if f := strings.Split(line, "|"); len(f) == 2 && f[0] == id {
			total = f[1]
		}
	}
	if total == "" {
		t.Fatalf("sacct has no line for job %s", id)
	}
	want := parseSacctDuration(t, total)
	t.Logf("cpu_burn (%s): client %s over %d steps, sacct TotalCPU %s (%s)", id, j.CPUTime, len(j.Steps), want, total)
	// Up to 3 s of CPU, less on a busy machine; a job that does not burn
	// (hello_done) uses about 4 ms.
	if want < 100*time.Millisecond {
		t.Fatalf("sacct says %s: the job did not burn CPU as stack/seed meant", want)
	}
	if d := j.CPUTime - want; d < 0 || d >= time.Millisecond { // sacct truncates to milliseconds
		t.Errorf("client CPU time %s, sacct TotalCPU %s", j.CPUTime, want)
	}
	if len(j.Steps) < 2 {
		t.Errorf("%d steps, want the batch and the srun step", len(j.Steps))
	}
}

// Multi-value filters through real slurmrestd 22.05 (v0.0.38: %2C lists,
// users filtered by the client), compared with sacct over the same window.
func TestLiveStackMultiValueAccountingFilters(t *testing.T) {
	c, env, _ := liveClient(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	now := time.Now()
	start, end := now.Add(-6*time.Hour).Truncate(time.Second), now.Add(time.Minute).Truncate(time.Second)
	window := []string{"-S", start.Format("2006-01-02T15:04:05"), "-E", end.Format("2006-01-02T15:04:05")}
	ids := func(jobs []AccountingJob) string {
		var out []string
		for _, j := range jobs {
			out = append(out, fmt.Sprint(j.JobID))
		}
		slices.Sort(out)
		return strings.Join(slices.Compact(out), ",")
	}
	sacctIDs := func(args ...string) string {
		lines := sacct(t, env, append(append([]string{"-a", "-X", "-o", "JobIDRaw"}, window...), args...)...)
		slices.Sort(lines)
		return strings.Join(slices.Compact(lines), ",")
	}
	for _, tc := range []struct {
		name  string
		f     AccountingFilter
		sacct []string
	}{
		{"states FAILED+TIMEOUT", AccountingFilter{States: []string{"FAILED", "TIMEOUT"}}, []string{"-s", "FAILED,TIMEOUT"}},
		{"users alice+bob", AccountingFilter{Users: []string{"alice", "bob"}}, []string{"-u", "alice,bob"}},
		{"accounts and partitions", AccountingFilter{Accounts: []string{"physics", "chemistry"}, Partitions: []string{"cpu", "gpu"}},
			[]string{"-A", "physics,chemistry", "-r", "cpu,gpu"}},
		{"job names", AccountingFilter{JobNames: []string{"hello_done", "cpu_burn"}}, []string{"--name", "hello_done,cpu_burn"}},
	} {
		tc.f.Start, tc.f.End = start, end
		jobs, err := c.AccountingJobs(ctx, tc.f)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		got, want := ids(jobs), sacctIDs(tc.sacct...)
		if got != want || got == "" {
			t.Errorf("%s: client %s, sacct %s", tc.name, got, want)
		}
	}
	// Job ids go as step: just these two jobs.
	a, b := seededID(t, env, "crash_test"), seededID(t, env, "cpu_burn")
	ai, _ := strconv.ParseInt(a, 10, 64)
	bi, _ := strconv.ParseInt(b, 10, 64)
	jobs, err := c.AccountingJobs(ctx, AccountingFilter{Start: start, End: end, JobIDs: []int64{ai, bi}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{a, b}
	slices.Sort(want)
	if got := ids(jobs); got != strings.Join(want, ",") {
		t.Errorf("job ids %s,%s: got %s", a, b, got)
	}
}
