package slurm

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// readFixture reads one recorded answer (path relative to pkg/slurm).
func readFixture(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.FromSlash(path))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// withStepCPUTime rewrites a recorded slurmdb answer so that the first step of
// the first job carries sec s + µs us of CPU time (the 23.11 and later
// recordings have only zero figures), leaving the job-level total as recorded.
func withStepCPUTime(t *testing.T, body []byte, s, us int64) []byte {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	job := doc["jobs"].([]any)[0].(map[string]any)
	step := job["steps"].([]any)[0].(map[string]any)
	step["time"].(map[string]any)["total"] = map[string]any{"seconds": s, "microseconds": us}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func cpuTimes(jobs []AccountingJob) map[int64]time.Duration {
	m := map[int64]time.Duration{}
	for _, j := range jobs {
		m[j.JobID] = j.CPUTime
	}
	return m
}

// TestAccountingCPUTimeFromSteps: slurmdbd reports the job-level CPU time as
// 0 and the real figure on the steps; the job's CPU time is their sum, on
// every version.
func TestAccountingCPUTimeFromSteps(t *testing.T) {
	us := time.Microsecond
	t.Run("22.05.8/v0.0.38 jobs", func(t *testing.T) {
		jobs, _, err := decodeDBJobs[string, exitPlain, *int64, stepIDV38, int64](
			readFixture(t, ownFixtures+"/v0.0.38/slurmdb_jobs.json"))
		if err != nil {
			t.Fatal(err)
		}
		got := cpuTimes(jobs)
		// Recorded: job-level time.total 0 for every job; batch step time.total
		// 3969 µs (user 1428 + system 2541), 2322, 2683, 3460, then 0.
		for id, want := range map[int64]time.Duration{1001: 3969 * us, 1002: 2322 * us, 1003: 2683 * us,
			1004: 3460 * us, 1005: 0, 1009: 0} {
			eq(t, "cpu time", got[id], want)
		}
		eq(t, "1001 batch step cpu time", jobs[0].Steps[0].CPUTime, 3969*us)
	})
	t.Run("22.05.8/v0.0.38 job failed", func(t *testing.T) {
		jobs, _, err := decodeDBJobs[string, exitPlain, *int64, stepIDV38, int64](
			readFixture(t, ownFixtures+"/v0.0.38/slurmdb_job_failed.json"))
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "crash_test cpu time", jobs[0].CPUTime, 2322*us)
	})
	t.Run("22.05.8/v0.0.38 streamed", func(t *testing.T) {
		f, err := os.Open(ownFixtures + "/v0.0.38/slurmdb_jobs.json")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		jobs, _, err := decodeDBJobsStream[string, exitPlain, *int64, stepIDV38, int64](f, 1<<30, defaultStreamOpts())
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "too_long cpu time", cpuTimes(jobs)[1003], 2683*us)
	})
	const r2311 = recordedFixtures + "/23.11.11/"
	t.Run("23.11.11/v0.0.38", func(t *testing.T) {
		body := readFixture(t, r2311+"v0.0.38/slurmdb_jobs.json")
		jobs, _, err := decodeDBJobs[string, exitPlain, *int64, stepIDV38, int64](body)
		if err != nil {
			t.Fatal(err)
		}
		// Recorded with 0 on the job and on every step.
		eq(t, "3001 cpu time", cpuTimes(jobs)[3001], time.Duration(0))
		jobs, _, err = decodeDBJobs[string, exitPlain, *int64, stepIDV38, int64](withStepCPUTime(t, body, 1, 500))
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "3001 cpu time from its step", cpuTimes(jobs)[3001], time.Second+500*us)
	})
	t.Run("23.11.11/v0.0.39", func(t *testing.T) {
		body := readFixture(t, r2311+"v0.0.39/slurmdb_job.json")
		jobs, _, err := decodeDBJobs[string, exitPlain, num, stepIDV39, int64](body)
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "3005 cpu time", jobs[0].CPUTime, time.Duration(0))
		jobs, _, err = decodeDBJobs[string, exitPlain, num, stepIDV39, int64](withStepCPUTime(t, body, 2, 7))
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "3005 step cpu time", jobs[0].Steps[0].CPUTime, 2*time.Second+7*us)
		eq(t, "3005 cpu time from its step", jobs[0].CPUTime, 2*time.Second+7*us)
	})
	// 25.05/26.05 slurmdbd, like 22.05's, leaves the job figure at 0 and
	// fills the steps (their recordings hold 0 everywhere: the recorded jobs
	// used no measurable CPU, so the steps' figures are put in here).
	// Microseconds may exceed 10⁶: 1 s + 2 500 000 µs is 3.5 s.
	for _, d := range recordedFixtureDirs(t) {
		if versionParts(d.Version)[2] < 40 {
			continue
		}
		t.Run(d.Release+"/"+d.Version+" sums the steps", func(t *testing.T) {
			jobs, _, err := adapterFor(d.Version).dbJobs(withStepCPUTime(t, d.body(t, "slurmdb_jobs"), 1, 2_500_000))
			if err != nil {
				t.Fatal(err)
			}
			eq(t, "step cpu time", jobs[0].Steps[0].CPUTime, 3500*time.Millisecond)
			eq(t, "job cpu time from its steps", jobs[0].CPUTime, 3500*time.Millisecond)
		})
	}
	t.Run("job-level figure wins when set", func(t *testing.T) {
		var doc map[string]any
		if err := json.Unmarshal(withStepCPUTime(t, readFixture(t, ownFixtures+"/v0.0.38/slurmdb_job_failed.json"), 9, 0), &doc); err != nil {
			t.Fatal(err)
		}
		doc["jobs"].([]any)[0].(map[string]any)["time"].(map[string]any)["total"] = map[string]any{"seconds": 4, "microseconds": 0}
		body, _ := json.Marshal(doc)
		jobs, _, err := decodeDBJobs[string, exitPlain, *int64, stepIDV38, int64](body)
		if err != nil {
			t.Fatal(err)
		}
		eq(t, "job cpu time", jobs[0].CPUTime, 4*time.Second)
	})
}

// parseSacctDuration reads sacct's [DD-[HH:]]MM:SS[.mmm].
func parseSacctDuration(t *testing.T, s string) time.Duration {
	t.Helper()
	var days, h, m int64
	var sec float64
	rest := s
	if d, r, ok := strings.Cut(rest, "-"); ok {
		days, _ = strconv.ParseInt(d, 10, 64)
		rest = r
	}
	parts := strings.Split(rest, ":")
	if len(parts) == 3 {
		h, _ = strconv.ParseInt(parts[0], 10, 64)
		parts = parts[1:]
	}
	if len(parts) != 2 {
		t.Fatalf("sacct duration %q", s)
	}
	m, _ = strconv.ParseInt(parts[0], 10, 64)
	sec, err := strconv.ParseFloat(parts[1], 64)
	if err != nil {
		t.Fatalf("sacct duration %q: %v", s, err)
	}
	return time.Duration(days)*24*time.Hour + time.Duration(h)*time.Hour + time.Duration(m)*time.Minute +
		time.Duration(sec*1000+0.5)*time.Millisecond
}

// The CPU-burning job of stack/seed, recorded on 22.05.8 with sacct's own
// figures: the client's CPU time (the steps' sum; the job figure is 0)
// equals sacct's TotalCPU.
func TestAccountingCPUTimeEqualsSacctTotalCPU(t *testing.T) {
	body := readFixture(t, ownFixtures+"/v0.0.38/slurmdb_job_cpu_burn.json")
	jobs, _, err := adapterFor("v0.0.38").dbJobs(body)
	if err != nil || len(jobs) != 1 {
		t.Fatalf("%d jobs, %v", len(jobs), err)
	}
	j := jobs[0]
	var total string
	for _, line := range strings.Split(string(readFixture(t, ownFixtures+"/v0.0.38/sacct_cpu_burn.txt")), "\n") {
		f := strings.Split(line, "|")
		if len(f) == 6 && f[0] == strconv.FormatInt(j.JobID, 10) {
			total = f[3]
		}
	}
	if total == "" {
		t.Fatalf("sacct_cpu_burn.txt has no line for job %d", j.JobID)
	}
	want := parseSacctDuration(t, total)
	if want < 2*time.Second || len(j.Steps) < 2 {
		t.Fatalf("the recorded job burned %s over %d steps: not the CPU-burning job", want, len(j.Steps))
	}
	// sacct prints milliseconds (truncated): the two agree to within one.
	if d := j.CPUTime - want; d < 0 || d >= time.Millisecond {
		t.Errorf("client CPU time %s, sacct TotalCPU %s (%s)", j.CPUTime, want, total)
	}
}
