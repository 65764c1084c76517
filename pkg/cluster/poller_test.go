package cluster

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
)

func TestFirstReadWaitsForTheFirstRefreshAndServesTheRecordedCluster(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	snap, f, err := h.readJobs(t)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if len(snap.Jobs) != fixtureJobs {
		t.Errorf("jobs: got %d, want %d", len(snap.Jobs), fixtureJobs)
	}
	if len(snap.Nodes) != fixtureNodes {
		t.Errorf("nodes: got %d, want %d", len(snap.Nodes), fixtureNodes)
	}
	var names []string
	for _, p := range snap.Partitions {
		names = append(names, p.Name)
	}
	if strings.Join(names, ",") != "cpu,gpu" {
		t.Errorf("partitions: got %v, want [cpu gpu]", names)
	}
	if f.Stale || f.LastError != nil {
		t.Errorf("fresh data reported stale: %+v", f)
	}
	if f.Age > time.Second {
		t.Errorf("age of fresh data: %s", f.Age)
	}
	states := map[string]int{}
	for _, j := range snap.Jobs {
		states[j.State.Base]++
	}
	for _, want := range []string{"RUNNING", "PENDING", "COMPLETED", "FAILED", "TIMEOUT", "CANCELLED"} {
		if states[want] == 0 {
			t.Errorf("no %s job in the snapshot: %v", want, states)
		}
	}
}

// AfterRefresh runs once per refresh cycle, after every kind was fetched,
// with the snapshot readers get from then on.
func TestAfterRefreshSeesEachCycleOnceWithEveryKind(t *testing.T) {
	var mu sync.Mutex
	var seen []*Snapshot
	h := newHarness(t, harnessOpts{afterRefresh: func(ctx context.Context, s *Snapshot) {
		mu.Lock()
		defer mu.Unlock()
		if ctx.Err() != nil {
			t.Errorf("AfterRefresh got a cancelled context while the poller runs")
		}
		seen = append(seen, s)
	}})
	if _, _, err := h.readJobs(t); err != nil {
		t.Fatal(err)
	}
	h.advance(t, testInterval)
	h.advance(t, testInterval)
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 3 {
		t.Fatalf("AfterRefresh ran %d times in three refresh cycles, want 3", len(seen))
	}
	last := seen[2]
	if last != h.poller.Current() {
		t.Error("AfterRefresh did not get the snapshot the cycle ended with")
	}
	for _, k := range Kinds() {
		if s := last.Status(k); !s.FetchedAt.Equal(h.clock.Now()) {
			t.Errorf("%s last fetched at %s, not in the cycle of %s that ended before AfterRefresh", k, s.FetchedAt, h.clock.Now())
		}
	}
	if len(last.Jobs) != fixtureJobs || len(last.Nodes) != fixtureNodes || last.Diag == nil {
		t.Errorf("AfterRefresh's snapshot: %d jobs, %d nodes, diag %v", len(last.Jobs), len(last.Nodes), last.Diag != nil)
	}
}

func TestJobsRefreshSendsUpdateTimeAndKeepsJobsWhenUnchanged(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	if _, _, err := h.readJobs(t); err != nil {
		t.Fatal(err)
	}
	first := h.poller.Current().Status(KindJobs).FetchedAt
	h.advance(t, testInterval)
	h.advance(t, testInterval)
	snap, f, err := h.readJobs(t)
	if err != nil {
		t.Fatal(err)
	}
	q := h.srv.JobsQueries()
	if len(q) != 3 {
		t.Fatalf("%d jobs requests in two intervals after the first, want 3 in all: %q", len(q), q)
	}
	if strings.Contains(q[0], "update_time") {
		t.Errorf("first jobs request must not send update_time: %q", q[0])
	}
	for _, later := range q[1:] {
		// v0.0.41 refuses Unix seconds (error 9202): the previous answer's
		// time goes as a Slurm time string relative to now.
		if !regexp.MustCompile(`(^|&)update_time=now-[0-9]+(&|$)`).MatchString(later) {
			t.Errorf("later jobs request must send update_time as a time string: %q", later)
		}
	}
	// slurmctld answered "nothing changed": the jobs stay, and the data counts as fresh.
	if len(snap.Jobs) != fixtureJobs {
		t.Errorf("after unchanged answers the snapshot has %d jobs, want %d kept", len(snap.Jobs), fixtureJobs)
	}
	if got := snap.Status(KindJobs).FetchedAt; !got.Equal(first.Add(2*testInterval)) || f.Stale {
		t.Errorf("an unchanged answer must refresh the jobs' age: first %s, now %s, stale %v", first, got, f.Stale)
	}
}

func TestStaleDataIsServedLabelledUpToTheLimitThenReadsFailThenRecover(t *testing.T) {
	const staleLimit = 2 * time.Minute
	h := newHarness(t, harnessOpts{staleLimit: staleLimit})
	if _, _, err := h.readJobs(t); err != nil {
		t.Fatal(err)
	}
	h.srv.SetFault(clustertest.Status500)
	h.advance(t, testInterval)
	snap, f, err := h.readJobs(t)
	if err != nil {
		t.Fatalf("within the stale limit the last good data must be served: %v", err)
	}
	if len(snap.Jobs) != fixtureJobs || !f.Stale {
		t.Errorf("stale snapshot has %d jobs (stale %v), want the last good %d labelled stale", len(snap.Jobs), f.Stale, fixtureJobs)
	}
	if f.LastError == nil || !strings.Contains(f.LastError.Error(), "HTTP 500") {
		t.Errorf("stale data must carry the error: %v", f.LastError)
	}

	// Retries come at most one interval apart: step by intervals until the
	// last good data is older than the limit.
	for i := 0; ; i++ {
		if i > int(staleLimit/testInterval)+2 {
			t.Fatalf("still served after %d intervals of failures: %+v", i, f)
		}
		if _, f, err = h.readJobs(t); err != nil {
			break
		}
		if f.Age > staleLimit {
			t.Fatalf("data %s old served beyond the stale limit of %s", f.Age, staleLimit)
		}
		h.advance(t, testInterval)
	}
	if !errors.Is(err, ErrTooStale) {
		t.Fatalf("beyond the stale limit: got %v, want ErrTooStale", err)
	}
	for _, want := range []string{"stale limit of 2m0s", "HTTP 500", "jobs"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}

	// Retries are capped at one interval: one interval after slurmrestd
	// answers again, the data is fresh.
	h.srv.SetFault(clustertest.None)
	h.advance(t, testInterval)
	if _, f, err := h.readJobs(t); err != nil || f.Stale {
		t.Errorf("one interval after recovery: stale %v, %v", f.Stale, err)
	}
}

func TestLoopGoesIdleWithoutReadersAndWakesOnRead(t *testing.T) {
	h := newHarness(t, harnessOpts{idleAfter: 3 * testInterval})
	if _, _, err := h.readJobs(t); err != nil {
		t.Fatal(err)
	}
	// Refreshes at 1, 2 and 3 intervals after the read; at the fourth the
	// loop finds nobody read for longer than idleAfter and stops.
	for i := 1; i <= 3; i++ {
		h.advance(t, testInterval)
		if !h.poller.Running() {
			t.Fatalf("idle after %d intervals, before idleAfter passed", i)
		}
	}
	h.settle(t)
	h.clock.Advance(testInterval)
	waitFor(t, 10*time.Second, "the loop to go idle", func() bool { return !h.poller.Running() })
	idleCalls := h.srv.Count("jobs")
	if idleCalls != 4 {
		t.Errorf("%d jobs calls before going idle, want 4 (the first and one per interval)", idleCalls)
	}
	h.clock.Advance(10 * testInterval)
	if n := h.srv.Count("jobs"); n != idleCalls {
		t.Fatalf("an idle poller called slurmrestd: %d jobs calls, was %d", n, idleCalls)
	}

	// Waking from idle: the reader waits for a fresh refresh rather than
	// getting data from before the idle period.
	wake := h.clock.Now()
	snap, f, err := h.readJobs(t)
	if err != nil {
		t.Fatal(err)
	}
	if !h.poller.Running() || h.srv.Count("jobs") != idleCalls+1 {
		t.Errorf("a read must wake the loop and refresh once: running %v, calls %d (was %d)", h.poller.Running(), h.srv.Count("jobs"), idleCalls)
	}
	if f.FetchedAt.Before(wake) || f.LastError != nil || len(snap.Jobs) != fixtureJobs {
		t.Errorf("after waking: fetched %s (woken %s), error %v, jobs %d", f.FetchedAt, wake, f.LastError, len(snap.Jobs))
	}
}

func TestReadersNeverChangeTheNumberOfUpstreamCalls(t *testing.T) {
	// 200 concurrent readers during 10 refresh intervals: exactly one jobs
	// call per interval upstream (plus the first).
	h := newHarness(t, harnessOpts{})
	if _, _, err := h.readJobs(t); err != nil {
		t.Fatal(err)
	}

	const readers = 200
	var reads, failures atomic.Int64
	var firstFailure atomic.Value
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				snap, _, err := h.poller.Read(context.Background(), KindJobs)
				switch {
				case err != nil:
					failures.Add(1)
					firstFailure.CompareAndSwap(nil, err.Error())
				case len(snap.Jobs) != fixtureJobs:
					failures.Add(1)
					firstFailure.CompareAndSwap(nil, fmt.Sprintf("%d jobs", len(snap.Jobs)))
				}
				reads.Add(1)
				runtime.Gosched()
			}
		}()
	}
	for range 10 {
		h.advance(t, testInterval)
	}
	close(stop)
	wg.Wait()
	// Read the metric before Stop, which deletes the data source's series.
	metricCalls := int(testutil.ToFloat64(h.metrics.calls.WithLabelValues("test-ds", "jobs")))
	h.poller.Stop()

	got := h.srv.Count("jobs")
	t.Logf("%d readers made %d reads during 10 intervals: %d jobs calls upstream", readers, reads.Load(), got)
	if got != 11 {
		t.Errorf("jobs calls upstream: got %d, want exactly 11 (the first, then one per interval)", got)
	}
	if failures.Load() > 0 {
		t.Errorf("%d of %d reads failed or saw a wrong job count; first: %v", failures.Load(), reads.Load(), firstFailure.Load())
	}
	if reads.Load() < readers {
		t.Errorf("only %d reads: readers were blocked", reads.Load())
	}
	if metricCalls != got {
		t.Errorf("calls metric says %d jobs calls, the server counted %d", metricCalls, got)
	}
	if n := testutil.CollectAndCount(h.metrics.calls); n != 0 {
		t.Errorf("Stop left %d call series of the data source behind", n)
	}
}

func TestStoppedPollerRefusesReads(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	if _, _, err := h.readJobs(t); err != nil {
		t.Fatal(err)
	}
	h.poller.Stop()
	h.poller.Stop() // twice is fine
	if _, _, err := h.readJobs(t); !errors.Is(err, ErrStopped) {
		t.Fatalf("read after Stop: got %v, want ErrStopped", err)
	}
	calls := h.srv.Count("jobs")
	h.clock.Advance(3 * h.poller.Interval())
	if h.srv.Count("jobs") != calls {
		t.Error("a stopped poller kept calling slurmrestd")
	}
}

func TestNewRejectsIntervalsBelowTheMinimum(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	_, err := New(h.client, Options{Interval: 5 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "below the minimum of 10s") {
		t.Errorf("5 s interval: got %v", err)
	}
	_, err = New(h.client, Options{Interval: 30 * time.Second, StaleLimit: 20 * time.Second})
	if err == nil || !strings.Contains(err.Error(), "stale limit 20s is shorter than the refresh interval 30s") {
		t.Errorf("stale limit below interval: got %v", err)
	}
	p, err := New(h.client, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	if p.Interval() != 30*time.Second || p.StaleLimit() != 10*time.Minute {
		t.Errorf("defaults: interval %s stale limit %s", p.Interval(), p.StaleLimit())
	}
}
