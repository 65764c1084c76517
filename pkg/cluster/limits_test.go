package cluster

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
)

func TestLimitsAreCoalescedAndCachedForTheirTTL(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.srv.SetFault(clustertest.Held)
	const callers = 20
	var wg sync.WaitGroup
	errs := make([]error, callers)
	qos := make([]int, callers)
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l, err := h.poller.Limits(context.Background())
			if err == nil {
				qos[i] = len(l.QOS)
			}
			errs[i] = err
		}()
	}
	waitEndpoint(t, h, "slurmdb_qos")
	h.srv.Release()
	wg.Wait()
	for i := range callers {
		if errs[i] != nil || qos[i] != 2 {
			t.Fatalf("caller %d: %d QOS, %v", i, qos[i], errs[i])
		}
	}
	calls := func() [2]int { return [2]int{h.srv.Count("slurmdb_qos"), h.srv.Count("slurmdb_associations")} }
	if got := calls(); got != [2]int{1, 1} {
		t.Fatalf("%d concurrent readers made %v calls (qos, associations), want one each", callers, got)
	}
	h.clock.Advance(DefaultLimitsTTL - time.Second)
	if _, err := h.poller.Limits(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := calls(); got != [2]int{1, 1} {
		t.Errorf("within the TTL: %v calls", got)
	}
	h.clock.Advance(time.Second)
	l, err := h.poller.Limits(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := calls(); got != [2]int{2, 2} {
		t.Errorf("after the TTL: %v calls, want 2 each", got)
	}
	if len(l.Associations) == 0 || !l.FetchedAt.Equal(h.clock.Now()) {
		t.Errorf("limits %d associations, fetched %v (now %v)", len(l.Associations), l.FetchedAt, h.clock.Now())
	}
}

func TestLimitsFailureIsRememberedForOneInterval(t *testing.T) {
	h := newHarness(t, harnessOpts{retries: -1})
	h.srv.SetFault(clustertest.Status500)
	for range 3 {
		if _, err := h.poller.Limits(context.Background()); err == nil {
			t.Fatal("no error while slurmdbd fails")
		}
	}
	if n := h.srv.Count("slurmdb_qos"); n != 1 {
		t.Errorf("a failing slurmdbd was asked %d times within one interval, want 1", n)
	}
	h.srv.SetFault(clustertest.None)
	h.clock.Advance(testInterval)
	if _, err := h.poller.Limits(context.Background()); err != nil {
		t.Fatalf("after one interval slurmdbd is asked again: %v", err)
	}
	if n := h.srv.Count("slurmdb_qos"); n != 2 {
		t.Errorf("%d calls, want 2", n)
	}
}

func TestLimitsAfterStop(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.poller.Stop()
	if _, err := h.poller.Limits(context.Background()); !errors.Is(err, ErrStopped) {
		t.Errorf("after Stop: %v", err)
	}
}
