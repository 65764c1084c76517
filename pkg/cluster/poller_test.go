package cluster

import (
	"context"
	"errors"
	"fmt"
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

func TestJobsRefreshSendsUpdateTimeAndKeepsJobsWhenUnchanged(t *testing.T) {
	h := newHarness(t, harnessOpts{interval: 200 * time.Millisecond})
	if _, _, err := h.readJobs(t); err != nil {
		t.Fatal(err)
	}
	first := h.poller.Current().Status(KindJobs).FetchedAt
	waitFor(t, 3*time.Second, "a second jobs refresh", func() bool {
		_, _, _ = h.readJobs(t)
		return h.srv.Count("jobs") >= 3
	})
	snap, f, err := h.readJobs(t)
	if err != nil {
		t.Fatal(err)
	}
	q := h.srv.JobsQueries()
	if strings.Contains(q[0], "update_time") {
		t.Errorf("first jobs request must not send update_time: %q", q[0])
	}
	for _, later := range q[1:] {
		if !strings.Contains(later, "update_time=1795915252") {
			t.Errorf("later jobs request must send the previous last_update: %q", later)
		}
	}
	// slurmctld answered "nothing changed": the jobs stay, and the data counts as fresh.
	if len(snap.Jobs) != fixtureJobs {
		t.Errorf("after unchanged answers the snapshot has %d jobs, want %d kept", len(snap.Jobs), fixtureJobs)
	}
	if !snap.Status(KindJobs).FetchedAt.After(first) || f.Stale {
		t.Errorf("an unchanged answer must refresh the jobs' age: first %s, now %s, stale %v", first, snap.Status(KindJobs).FetchedAt, f.Stale)
	}
}

func TestStaleDataIsServedLabelledUpToTheLimitThenReadsFailThenRecover(t *testing.T) {
	interval := 200 * time.Millisecond
	h := newHarness(t, harnessOpts{interval: interval, staleLimit: 1200 * time.Millisecond})
	if _, _, err := h.readJobs(t); err != nil {
		t.Fatal(err)
	}
	h.srv.SetFault(clustertest.Status500)
	waitFor(t, 2*time.Second, "the failure to be noticed", func() bool {
		_, f, _ := h.readJobs(t)
		return f.Stale
	})
	snap, f, err := h.readJobs(t)
	if err != nil {
		t.Fatalf("within the stale limit the last good data must be served: %v", err)
	}
	if len(snap.Jobs) != fixtureJobs {
		t.Errorf("stale snapshot has %d jobs, want the last good %d", len(snap.Jobs), fixtureJobs)
	}
	if f.LastError == nil || !strings.Contains(f.LastError.Error(), "HTTP 500") {
		t.Errorf("stale data must carry the error: %v", f.LastError)
	}

	waitFor(t, 3*time.Second, "the stale limit to pass", func() bool {
		_, _, err := h.readJobs(t)
		return err != nil
	})
	_, _, err = h.readJobs(t)
	if !errors.Is(err, ErrTooStale) {
		t.Fatalf("beyond the stale limit: got %v, want ErrTooStale", err)
	}
	for _, want := range []string{"stale limit of 1.2s", "HTTP 500", "jobs"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}

	h.srv.SetFault(clustertest.None)
	recovered := waitFor(t, 2*time.Second, "recovery", func() bool {
		_, f, err := h.readJobs(t)
		return err == nil && !f.Stale
	})
	t.Logf("recovered %s after slurmrestd answered again (interval %s)", recovered, interval)
	if recovered > interval+200*time.Millisecond {
		t.Errorf("recovery took %s, want within one interval (%s)", recovered, interval)
	}
}

func TestLoopGoesIdleWithoutReadersAndWakesOnRead(t *testing.T) {
	interval := 100 * time.Millisecond
	h := newHarness(t, harnessOpts{interval: interval, idleAfter: 3 * interval})
	if _, _, err := h.readJobs(t); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 2*time.Second, "the loop to go idle", func() bool { return !h.poller.Running() })
	idleCalls := h.srv.Count("jobs")
	time.Sleep(10 * interval)
	if n := h.srv.Count("jobs"); n != idleCalls {
		t.Fatalf("an idle poller called slurmrestd: %d jobs calls, was %d", n, idleCalls)
	}
	if idleCalls > 5 {
		t.Errorf("%d jobs calls before going idle after 3 intervals without readers", idleCalls)
	}

	// Waking from idle: the reader waits for a fresh refresh rather than
	// getting data from before the idle period.
	wake := time.Now()
	snap, f, err := h.readJobs(t)
	if err != nil {
		t.Fatal(err)
	}
	if !h.poller.Running() || h.srv.Count("jobs") != idleCalls+1 {
		t.Errorf("a read must wake the loop and refresh once: running %v, calls %d (was %d)", h.poller.Running(), h.srv.Count("jobs"), idleCalls)
	}
	if !f.FetchedAt.After(wake) || f.LastError != nil || len(snap.Jobs) != fixtureJobs {
		t.Errorf("after waking: fetched %s (woken %s), error %v, jobs %d", f.FetchedAt, wake, f.LastError, len(snap.Jobs))
	}
}

func TestReadersNeverChangeTheNumberOfUpstreamCalls(t *testing.T) {
	// 200 concurrent readers during 10 refresh intervals: exactly 10 jobs
	// calls upstream, each at least one interval after the previous one.
	// The window is delimited by the calls themselves (from before the first
	// until half an interval after the tenth) so that a slow, loaded machine
	// makes the test longer, not wrong.
	interval := 300 * time.Millisecond
	h := newHarness(t, harnessOpts{interval: interval})

	const readers = 200
	var reads, failures atomic.Int64
	var firstFailure atomic.Value
	stop := make(chan struct{})
	var wg sync.WaitGroup
	start := time.Now()
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
				time.Sleep(2 * time.Millisecond)
			}
		}()
	}
	waitFor(t, 60*time.Second, "the tenth jobs refresh", func() bool { return h.srv.Count("jobs") >= 10 })
	time.Sleep(interval / 2)
	close(stop)
	wg.Wait()
	// Read the metric before Stop, which deletes the data source's series.
	metricCalls := int(testutil.ToFloat64(h.metrics.calls.WithLabelValues("test-ds", "jobs")))
	h.poller.Stop()
	elapsed := time.Since(start)

	times := h.srv.JobsTimes()
	if len(times) < 10 {
		t.Fatalf("only %d jobs calls", len(times))
	}
	// The calls during the readers' window: up to half an interval after the
	// tenth call.
	window := times[9].Add(interval / 2)
	got := 0
	for _, at := range times {
		if !at.After(window) {
			got++
		}
	}
	t.Logf("%d readers made %d reads in %s: %d jobs calls upstream in 10 intervals (first to tenth: %s)",
		readers, reads.Load(), elapsed.Round(time.Millisecond), got, times[9].Sub(times[0]).Round(time.Millisecond))
	if got != 10 {
		t.Errorf("jobs calls upstream during 10 intervals: got %d, want exactly 10", got)
	}
	for i := 1; i < len(times); i++ {
		if gap := times[i].Sub(times[i-1]); gap < interval-20*time.Millisecond {
			t.Errorf("jobs calls %d and %d only %s apart: readers caused an extra call", i, i+1, gap)
		}
	}
	if failures.Load() > 0 {
		t.Errorf("%d of %d reads failed or saw a wrong job count; first: %v", failures.Load(), reads.Load(), firstFailure.Load())
	}
	if reads.Load() < readers*10 {
		t.Errorf("only %d reads: readers were blocked", reads.Load())
	}
	// A call may still be in flight when the metric is read (it is counted when it ends).
	if served := len(h.srv.JobsTimes()); metricCalls != served && metricCalls != served-1 {
		t.Errorf("calls metric says %d jobs calls, the server counted %d", metricCalls, served)
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
	time.Sleep(3 * h.poller.Interval())
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
