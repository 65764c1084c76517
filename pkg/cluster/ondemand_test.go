package cluster

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

func TestAccountingIsCoalescedAndCachedPerFilter(t *testing.T) {
	const ttl = time.Minute
	h := newHarness(t, harnessOpts{accountingTTL: ttl})
	// Hold the answer until every caller has asked.
	h.srv.SetFault(clustertest.Held)

	start := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	filter := slurm.AccountingFilter{Start: start, End: start.Add(time.Hour), Users: []string{"bob", "alice"}}

	const callers = 50
	var wg, asked sync.WaitGroup
	results := make([]int, callers)
	errs := make([]error, callers)
	for i := range callers {
		wg.Add(1)
		asked.Add(1)
		go func() {
			defer wg.Done()
			asked.Done()
			jobs, err := h.poller.AccountingJobs(context.Background(), filter)
			results[i], errs[i] = len(jobs), err
		}()
	}
	asked.Wait()
	waitEndpoint(t, h, "slurmdb_jobs")
	h.srv.Release()
	wg.Wait()
	for i := range callers {
		if errs[i] != nil || results[i] == 0 || results[i] != results[0] {
			t.Fatalf("caller %d: %d jobs, %v (caller 0: %d)", i, results[i], errs[i], results[0])
		}
	}
	if n := h.srv.Count("slurmdb_jobs"); n != 1 {
		t.Fatalf("%d concurrent identical accounting reads made %d upstream calls, want 1", callers, n)
	}

	// Same filter, lists in another order: served from the cache.
	same := slurm.AccountingFilter{Start: start, End: start.Add(time.Hour), Users: []string{"alice", "bob", "alice"}}
	if _, err := h.poller.AccountingJobs(context.Background(), same); err != nil {
		t.Fatal(err)
	}
	if n := h.srv.Count("slurmdb_jobs"); n != 1 {
		t.Errorf("a cached filter was fetched again: %d calls", n)
	}
	// Another time range is another key.
	other := slurm.AccountingFilter{Start: start, End: start.Add(2 * time.Hour), Users: []string{"alice", "bob"}}
	if _, err := h.poller.AccountingJobs(context.Background(), other); err != nil {
		t.Fatal(err)
	}
	if n := h.srv.Count("slurmdb_jobs"); n != 2 {
		t.Errorf("another range: %d calls, want 2", n)
	}
	// Just before the TTL the answer is reused; at the TTL it is fetched again.
	h.clock.Advance(ttl - time.Second)
	if _, err := h.poller.AccountingJobs(context.Background(), filter); err != nil {
		t.Fatal(err)
	}
	if n := h.srv.Count("slurmdb_jobs"); n != 2 {
		t.Errorf("before the TTL: %d calls, want 2", n)
	}
	h.clock.Advance(time.Second)
	if _, err := h.poller.AccountingJobs(context.Background(), filter); err != nil {
		t.Fatal(err)
	}
	if n := h.srv.Count("slurmdb_jobs"); n != 3 {
		t.Errorf("after the TTL: %d calls, want 3", n)
	}
}

func TestAccountingCallerGivingUpDoesNotFailTheOthers(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.srv.SetFault(clustertest.Held)
	filter := slurm.AccountingFilter{States: []string{"FAILED"}}

	var wg sync.WaitGroup
	var patientErr error
	var patientJobs []slurm.AccountingJob
	wg.Add(1)
	go func() {
		defer wg.Done()
		patientJobs, patientErr = h.poller.AccountingJobs(context.Background(), filter)
	}()
	waitEndpoint(t, h, "slurmdb_jobs")
	impatient, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := h.poller.AccountingJobs(impatient, filter); !errors.Is(err, context.Canceled) {
		t.Errorf("impatient caller: got %v, want its cancellation", err)
	}
	h.srv.Release()
	wg.Wait()
	if patientErr != nil || len(patientJobs) == 0 {
		t.Errorf("patient caller: %d jobs, %v", len(patientJobs), patientErr)
	}
	if n := h.srv.Count("slurmdb_jobs"); n != 1 {
		t.Errorf("%d upstream calls, want 1", n)
	}
}

func TestAccountingErrorsAreNotCached(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.srv.SetFault(clustertest.Status500)
	if _, err := h.poller.AccountingJobs(context.Background(), slurm.AccountingFilter{}); slurm.KindOf(err) != slurm.Server {
		t.Fatalf("got %v, want a server error", err)
	}
	h.srv.SetFault(clustertest.None)
	jobs, err := h.poller.AccountingJobs(context.Background(), slurm.AccountingFilter{})
	if err != nil || len(jobs) == 0 {
		t.Fatalf("after the fault: %d jobs, %v", len(jobs), err)
	}
}
