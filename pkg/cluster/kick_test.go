package cluster

import (
	"testing"
	"time"
)

// After an operator action the asked kinds are fetched at once, without
// the clock moving; the others wait for their interval.
func TestRefreshNowFetchesTheAskedKindsAtOnce(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	if _, _, err := h.readJobs(t); err != nil {
		t.Fatal(err)
	}
	h.settle(t)
	jobs, nodes, parts := h.srv.Count("jobs"), h.srv.Count("nodes"), h.srv.Count("partitions")
	h.poller.RefreshNow(KindJobs, KindNodes)
	waitFor(t, 10*time.Second, "jobs and nodes fetched again", func() bool {
		return h.srv.Count("jobs") == jobs+1 && h.srv.Count("nodes") == nodes+1
	})
	h.settle(t)
	if got := h.srv.Count("partitions"); got != parts {
		t.Errorf("partitions fetched %d times, want %d (not asked)", got, parts)
	}
	// Asks merge: two at once are one refresh of each kind.
	h.poller.RefreshNow(KindJobs)
	h.poller.RefreshNow(KindJobs)
	waitFor(t, 10*time.Second, "jobs fetched again", func() bool { return h.srv.Count("jobs") >= jobs+2 })
	h.settle(t)
	if got := h.srv.Count("jobs"); got > jobs+3 {
		t.Errorf("jobs fetched %d more times for two asks", got-jobs)
	}
}

// An idle or stopped poller is not woken (and RefreshNow never blocks).
func TestRefreshNowDoesNotWakeAnIdleLoop(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	h.poller.RefreshNow(KindJobs)
	h.poller.RefreshNow(KindJobs)
	if h.poller.Running() || h.srv.Count("jobs") != 0 {
		t.Fatalf("an idle poller fetched: running %t, jobs %d", h.poller.Running(), h.srv.Count("jobs"))
	}
	// The loop a reader starts refreshes once, not once more for the asks.
	if _, _, err := h.readJobs(t); err != nil {
		t.Fatal(err)
	}
	h.settle(t)
	if got := h.srv.Count("jobs"); got != 1 {
		t.Errorf("jobs fetched %d times after waking, want 1", got)
	}
	h.poller.Stop()
	h.poller.RefreshNow(KindNodes)
}
