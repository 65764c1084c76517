package cluster

import (
	"testing"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// Each fault: the poller has good data, slurmrestd misbehaves, readers keep
// getting the last good data labelled stale with the error's kind, and once
// slurmrestd behaves again fresh data is back within about one interval.
func TestFaultsServeLabelledStaleDataAndRecover(t *testing.T) {
	const (
		interval = 200 * time.Millisecond
		timeout  = 1500 * time.Millisecond
	)
	cases := []struct {
		name     string
		wantKind slurm.ErrorKind
		start    func(t *testing.T, h *harness)
		end      func(t *testing.T, h *harness)
	}{
		{
			name:     "slurmrestd killed during a refresh and restarted",
			wantKind: slurm.Unreachable,
			start: func(t *testing.T, h *harness) {
				// Hold the next jobs request open, then kill the server under it.
				h.srv.SetFault(clustertest.Stall)
				drain(h.srv.Started())
				waitEndpoint(t, h, "jobs")
				h.srv.Kill()
				h.srv.SetFault(clustertest.None)
			},
			end: func(_ *testing.T, h *harness) { h.srv.Restart() },
		},
		{
			name:     "HTTP 500 storm",
			wantKind: slurm.Server,
			start:    func(_ *testing.T, h *harness) { h.srv.SetFault(clustertest.Status500) },
			end:      func(_ *testing.T, h *harness) { h.srv.SetFault(clustertest.None) },
		},
		{
			name:     "truncated body",
			wantKind: slurm.Malformed,
			start:    func(_ *testing.T, h *harness) { h.srv.SetFault(clustertest.Truncated) },
			end:      func(_ *testing.T, h *harness) { h.srv.SetFault(clustertest.None) },
		},
		{
			name:     "stall beyond the timeout",
			wantKind: slurm.Timeout,
			start:    func(_ *testing.T, h *harness) { h.srv.SetFault(clustertest.Stall) },
			end:      func(_ *testing.T, h *harness) { h.srv.SetFault(clustertest.None) },
		},
		{
			name:     "body beyond the size cap",
			wantKind: slurm.TooLarge,
			start:    func(_ *testing.T, h *harness) { h.srv.SetFault(clustertest.Oversize) },
			end:      func(_ *testing.T, h *harness) { h.srv.SetFault(clustertest.None) },
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, harnessOpts{interval: interval, timeout: timeout, maxBody: 256 << 10, staleLimit: time.Minute})
			// On a loaded machine (race detector, parallel builds) the very
			// first answer may itself time out: wait for good data first.
			waitFor(t, 30*time.Second, "the first good jobs data", func() bool {
				_, f, err := h.readJobs(t)
				return err == nil && f.LastError == nil
			})
			c.start(t, h)
			waitFor(t, 15*time.Second, "the fault to make the jobs stale", func() bool {
				_, f, _ := h.readJobs(t)
				return f.Stale && f.LastError != nil
			})
			// Keep reading through a few failing refreshes: never an error,
			// always the last good jobs, always labelled.
			until := time.Now().Add(3 * interval)
			for time.Now().Before(until) {
				snap, f, err := h.readJobs(t)
				if err != nil {
					t.Fatalf("read during the fault: %v", err)
				}
				if len(snap.Jobs) != fixtureJobs || !f.Stale || f.LastError == nil {
					t.Fatalf("during the fault: %d jobs, stale %v, error %v", len(snap.Jobs), f.Stale, f.LastError)
				}
				time.Sleep(10 * time.Millisecond)
			}
			_, f, _ := h.readJobs(t)
			if k := slurm.KindOf(f.LastError); k != c.wantKind {
				t.Errorf("error kind: got %s (%v), want %s", k, f.LastError, c.wantKind)
			}

			c.end(t, h)
			recovered := waitFor(t, 5*time.Second, "recovery", func() bool {
				_, f, err := h.readJobs(t)
				return err == nil && !f.Stale
			})
			t.Logf("%s: error %q; fresh data again %s after the fault ended", c.name, f.LastError, recovered.Round(time.Millisecond))
			// A stalled request may still run until its timeout; then at most one
			// (capped, jittered) retry delay of one interval.
			if limit := interval + timeout + 200*time.Millisecond; recovered > limit {
				t.Errorf("recovery took %s, want at most %s", recovered, limit)
			}
		})
	}
}

func drain(ch <-chan string) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}

// waitEndpoint waits for a request to endpoint, reading meanwhile so that
// the poller does not go idle.
func waitEndpoint(t *testing.T, h *harness, endpoint string) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case e := <-h.srv.Started():
			if e == endpoint {
				return
			}
		case <-tick.C:
			_, _, _ = h.readJobs(t)
		case <-deadline:
			t.Fatalf("no %s request arrived", endpoint)
		}
	}
}
