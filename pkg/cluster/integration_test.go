//go:build integration

package cluster

import (
	"context"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/hpc-slurm/hpc-slurm-app/internal/stacktest"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// TestIntegrationPollerKeepsJobsAcrossUnchangedRefreshes runs the poller
// against the live Slurm 22.05 stack and refreshes several times: the jobs
// must never be emptied between refreshes. (API v0.0.38 reports no
// last_update, so the poller sends no update_time there and every refresh is
// a full list; the update_time path is covered by the fixture tests of
// v0.0.41.)
func TestIntegrationPollerKeepsJobsAcrossUnchangedRefreshes(t *testing.T) {
	env := stacktest.Env(t)
	client, err := slurm.New(slurm.Config{
		URL:    env["SLURMRESTD_URL"],
		User:   env["SLURM_API_USER"],
		JWTKey: stacktest.JWTKey(t, env),
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	// The refreshes are real calls to the stack; only the poller's clock is
	// the test's, so four intervals pass without waiting for them.
	clock := clockwork.NewFakeClock()
	interval := DefaultInterval
	p, err := New(client, Options{Name: "stack", Interval: interval, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	first, _, err := p.Read(ctx, KindJobs)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Jobs) == 0 {
		t.Fatal("the stack has no jobs: run stack/seed")
	}
	if len(first.Nodes) < 6 || len(first.Partitions) < 2 {
		t.Errorf("nodes %d partitions %d", len(first.Nodes), len(first.Partitions))
	}
	for _, k := range Kinds() {
		if st := first.Status(k); st.LastError != nil {
			t.Errorf("%s: %v", k, st.LastError)
		}
	}
	firstFetch := first.Status(KindJobs).FetchedAt
	for i := 0; i < 4; i++ {
		advance(t, clock, interval)
		snap, f, err := p.Read(ctx, KindJobs)
		if err != nil {
			t.Fatal(err)
		}
		// Jobs may really change (the seed's jobs finish); what must never
		// happen is an empty list after the first.
		if len(snap.Jobs) == 0 {
			t.Fatalf("refresh %d emptied the jobs (an unchanged answer read as zero jobs)", i+2)
		}
		if f.Stale {
			t.Errorf("refresh %d: stale: %v", i+2, f.LastError)
		}
	}
	if last := p.Current().Status(KindJobs).FetchedAt; !last.After(firstFetch.Add(2 * interval)) {
		t.Errorf("jobs were not refreshed: first %s, last %s", firstFetch, last)
	}
}
