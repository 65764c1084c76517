package cluster

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// Each fault: the poller has good data, slurmrestd misbehaves, readers keep
// getting the last good data labelled stale with the error's kind, and one
// interval after slurmrestd behaves again the data is fresh.
func TestFaultsServeLabelledStaleDataAndRecover(t *testing.T) {
	// The client's timeout is wall time (the HTTP calls are real); short,
	// so that a stall costs the test little.
	const timeout = 300 * time.Millisecond
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
				h.srv.SetFault(clustertest.Held)
				drain(h.srv.Started())
				h.settle(t)
				h.clock.Advance(testInterval)
				waitEndpoint(t, h, "jobs")
				h.srv.Kill()
				h.srv.SetFault(clustertest.None)
				h.srv.Release()
				h.settle(t)
			},
			end: func(_ *testing.T, h *harness) { h.srv.Restart() },
		},
		{
			name:     "HTTP 500 storm",
			wantKind: slurm.Server,
			start:    func(t *testing.T, h *harness) { h.srv.SetFault(clustertest.Status500); h.advance(t, testInterval) },
			end:      func(_ *testing.T, h *harness) { h.srv.SetFault(clustertest.None) },
		},
		{
			name:     "truncated body",
			wantKind: slurm.Malformed,
			start:    func(t *testing.T, h *harness) { h.srv.SetFault(clustertest.Truncated); h.advance(t, testInterval) },
			end:      func(_ *testing.T, h *harness) { h.srv.SetFault(clustertest.None) },
		},
		{
			name:     "stall beyond the timeout",
			wantKind: slurm.Timeout,
			start:    func(t *testing.T, h *harness) { h.srv.SetFault(clustertest.Stall); h.advance(t, testInterval) },
			end:      func(_ *testing.T, h *harness) { h.srv.SetFault(clustertest.None) },
		},
		{
			// Every byte arrives well inside any read timeout; only the
			// request's own deadline ends it.
			name:     "answer trickling one byte at a time",
			wantKind: slurm.Timeout,
			start: func(t *testing.T, h *harness) {
				h.srv.SetTrickleEvery(5 * time.Millisecond)
				h.srv.SetFault(clustertest.Trickle)
				h.advance(t, testInterval)
			},
			end: func(_ *testing.T, h *harness) { h.srv.SetFault(clustertest.None) },
		},
		{
			// HTTP 200 {"meta":{},"errors":[],"warnings":[]} on every
			// endpoint is not an empty cluster.
			name:     "answers without their data",
			wantKind: slurm.Malformed,
			start:    func(t *testing.T, h *harness) { h.srv.SetFault(clustertest.EmptyEnvelope); h.advance(t, testInterval) },
			end:      func(_ *testing.T, h *harness) { h.srv.SetFault(clustertest.None) },
		},
		{
			name:     "body beyond the size cap",
			wantKind: slurm.TooLarge,
			start:    func(t *testing.T, h *harness) { h.srv.SetFault(clustertest.Oversize); h.advance(t, testInterval) },
			end:      func(_ *testing.T, h *harness) { h.srv.SetFault(clustertest.None) },
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, harnessOpts{timeout: timeout, maxBody: 256 << 10, staleLimit: 10 * time.Minute})
			if _, f, err := h.readJobs(t); err != nil || f.LastError != nil {
				t.Fatalf("first read: %v %+v", err, f)
			}
			c.start(t, h)
			// Through failing refreshes: never an error, always the last good
			// jobs, always labelled with the cause.
			for i := range 2 {
				snap, f, err := h.readJobs(t)
				if err != nil {
					t.Fatalf("read during the fault: %v", err)
				}
				if len(snap.Jobs) != fixtureJobs || !f.Stale || f.LastError == nil {
					t.Fatalf("during the fault: %d jobs, stale %v, error %v", len(snap.Jobs), f.Stale, f.LastError)
				}
				if k := slurm.KindOf(f.LastError); k != c.wantKind {
					t.Errorf("error kind: got %s (%v), want %s", k, f.LastError, c.wantKind)
				}
				if i == 0 {
					h.advance(t, testInterval)
				}
			}
			c.end(t, h)
			// Retries are at most one interval apart.
			h.advance(t, testInterval)
			if _, f, err := h.readJobs(t); err != nil || f.Stale {
				t.Errorf("one interval after the fault ended: stale %v (%v), %v", f.Stale, f.LastError, err)
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

// waitEndpoint waits for a request to endpoint to reach the server.
func waitEndpoint(t *testing.T, h *harness, endpoint string) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case e := <-h.srv.Started():
			if e == endpoint {
				return
			}
		case <-deadline:
			t.Fatalf("no %s request arrived", endpoint)
		}
	}
}

// An answer without its data keeps every kind's last good data, labelled
// stale with an error that names what was missing.
func TestAnswersWithoutTheirDataKeepTheLastGoodSnapshot(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	good, _, err := h.readJobs(t)
	if err != nil {
		t.Fatal(err)
	}
	h.srv.SetFault(clustertest.EmptyEnvelope)
	h.advance(t, testInterval)
	snap := h.poller.Current()
	if len(snap.Jobs) != fixtureJobs || len(snap.Nodes) != fixtureNodes || len(snap.Partitions) != len(good.Partitions) ||
		len(snap.Reservations) != len(good.Reservations) || snap.Diag != good.Diag {
		t.Errorf("the last good data was replaced: %d jobs, %d nodes, %d partitions, %d reservations, diag kept %v",
			len(snap.Jobs), len(snap.Nodes), len(snap.Partitions), len(snap.Reservations), snap.Diag == good.Diag)
	}
	missing := map[Kind]string{
		KindJobs: `"jobs" list`, KindNodes: `"nodes" list`, KindPartitions: `"partitions" list`,
		KindReservations: `"reservations" list`, KindDiag: `"statistics" object`,
	}
	for k, what := range missing {
		f, err := h.poller.Freshness(snap, k)
		if err != nil || !f.Stale {
			t.Errorf("%s: stale %v, %v; want the last good data served stale", k, f.Stale, err)
		}
		var m *slurm.MissingDataError
		if !errors.As(f.LastError, &m) || m.What != what {
			t.Errorf("%s: last error %v, want one naming the missing %s", k, f.LastError, what)
		}
	}
}

// panickySource panics reading nodes, as a decoder bug on an unexpected
// body would.
type panickySource struct{ *slurm.Client }

func (panickySource) Nodes(context.Context) ([]slurm.Node, error) { panic("index out of range") }

// A panic in the client is recovered and typed as an answer the plugin
// could not read (Malformed), so it is reported as the plugin's fault.
func TestAPanicReadingAnAnswerIsAMalformedAnswer(t *testing.T) {
	h := newHarness(t, harnessOpts{})
	p, err := New(panickySource{h.client}, Options{Name: "panicky", Clock: h.clock, Logger: slog.New(slog.NewTextHandler(h.logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Stop)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, _, err = p.Read(ctx, KindNodes)
	if slurm.KindOf(err) != slurm.Malformed || !strings.Contains(err.Error(), "internal error while reading the nodes answer: index out of range") {
		t.Errorf("nodes after a panic: %v (kind %s)", err, slurm.KindOf(err))
	}
}
