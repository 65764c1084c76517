package cluster

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// The gate admits a burst of 10 at once, then queues a call for at most 2 s
// of the 1-per-second rate, and refuses beyond that at once with a clear error.
func TestOnDemandRateAdmitsABurstQueuesBrieflyThenRefuses(t *testing.T) {
	clock := clockwork.NewFakeClock()
	g := newDemandGate(clock)
	for i := range OnDemandBurst {
		release, err := g.enter(context.Background(), "accounting_jobs")
		if err != nil {
			t.Fatalf("call %d of the burst: %v", i+1, err)
		}
		release()
	}
	// The 11th and 12th wait 1 and 2 s for their tokens.
	admitted := make(chan int, 2)
	for i := 11; i <= 12; i++ {
		go func() {
			release, err := g.enter(context.Background(), "accounting_jobs")
			if err != nil {
				t.Errorf("call %d: %v", i, err)
				return
			}
			release()
			admitted <- i
		}()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := clock.BlockUntilContext(ctx, 2); err != nil {
		t.Fatalf("the two queued calls do not wait on the clock: %v", err)
	}
	// The 13th would wait 3 s: refused now.
	_, err := g.enter(context.Background(), "accounting_jobs")
	if !errors.Is(err, ErrOverBudget) || !strings.Contains(err.Error(), "at most 1 on-demand calls to slurmdbd per second (bursts of 10)") {
		t.Errorf("13th call: %v", err)
	}
	select {
	case i := <-admitted:
		t.Fatalf("call %d went before its token", i)
	default:
	}
	clock.Advance(2 * time.Second)
	got := map[int]bool{<-admitted: true, <-admitted: true}
	if !got[11] || !got[12] {
		t.Errorf("admitted %v after 2 s, want 11 and 12", got)
	}
}

// One on-demand call at a time per data source: the refresh loop keeps the
// client's other connection.
func TestOnDemandCallsGoOneAtATime(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	if _, _, err := h.readJobs(t); err != nil {
		t.Fatal(err)
	}
	h.srv.SetFault(clustertest.Held)
	var wg sync.WaitGroup
	for hour := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := h.poller.AccountingJobs(context.Background(), window(hour)); err != nil {
				t.Errorf("hour %d: %v", hour, err)
			}
		}()
	}
	waitEndpoint(t, h, "slurmdb_jobs")
	h.srv.Release()
	wg.Wait()
	if n := h.srv.Count("slurmdb_jobs"); n != 3 {
		t.Errorf("%d accounting calls, want 3", n)
	}
	if n := h.srv.MaxInFlight(); n != 1 {
		t.Errorf("%d requests at once, want 1", n)
	}
}

// window is a one-hour accounting filter starting h hours into a day.
func window(h int) slurm.AccountingFilter {
	start := time.Date(2026, 11, 29, h, 0, 0, 0, time.UTC)
	return slurm.AccountingFilter{Start: start, End: start.Add(time.Hour)}
}

// One request reaches slurmdbd for at most MaxAccountingPerRequest distinct
// filters; repeating one, or one already cached, costs nothing.
func TestRequestBudgetCountsDistinctUncachedFilters(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	if _, err := h.poller.AccountingJobs(context.Background(), window(0)); err != nil {
		t.Fatal(err)
	}
	ctx := WithRequestBudget(context.Background(), 3)
	for _, hour := range []int{1, 2, 1, 0, 3} {
		if _, err := h.poller.AccountingJobs(ctx, window(hour)); err != nil {
			t.Fatalf("hour %d: %v", hour, err)
		}
	}
	_, err := h.poller.AccountingJobs(ctx, window(4))
	if !errors.Is(err, ErrOverBudget) || !strings.Contains(err.Error(), "more than 3 different accounting queries") {
		t.Errorf("4th distinct filter: %v", err)
	}
	if n := h.srv.Count("slurmdb_jobs"); n != 4 {
		t.Errorf("%d accounting calls, want 4 (hours 0 to 3)", n)
	}
}
