package cluster

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// The recorded release and API version most tests run against.
const (
	testRelease = "25.05.8"
	testVersion = "v0.0.41"
	// jobs.json of 25.05.8/v0.0.41 holds 19 jobs and nodes.json 6 nodes.
	fixtureJobs  = 19
	fixtureNodes = 6
)

// syncBuffer is a goroutine-safe log sink, scanned for secrets at the end.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type harness struct {
	clock   *clockwork.FakeClock
	srv     *clustertest.Server
	client  *slurm.Client
	poller  *Poller
	metrics *Metrics
	reg     *prometheus.Registry
	logs    *syncBuffer
}

type harnessOpts struct {
	interval      time.Duration
	staleLimit    time.Duration
	idleAfter     time.Duration
	timeout       time.Duration
	maxBody       int64
	retries       int // passed to slurm.Config.MaxRetries; -1 disables
	accountingTTL time.Duration
	afterRefresh  func(context.Context, *Snapshot)
}

// testInterval is the refresh interval of most tests: the production
// default, since the poller runs on a fake clock that the tests advance.
const testInterval = DefaultInterval

// newHarness starts a fixture server and a poller reading it through the
// real slurm client, on a fake clock. The HTTP calls are real (loopback);
// only the poller's sense of time is the test's to move.
func newHarness(t *testing.T, o harnessOpts) *harness {
	t.Helper()
	if o.interval == 0 {
		o.interval = testInterval
	}
	if o.timeout == 0 {
		o.timeout = 2 * time.Second
	}
	if o.retries == 0 {
		o.retries = -1
	}
	h := &harness{
		clock: clockwork.NewFakeClockAt(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)),
		srv:   clustertest.Start(t, testRelease, testVersion),
		logs:  &syncBuffer{},
		reg:   prometheus.NewRegistry(),
	}
	logger := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var err error
	h.client, err = slurm.New(slurm.Config{
		URL:          h.srv.URL(),
		APIVersion:   testVersion,
		User:         clustertest.User,
		Token:        clustertest.Token,
		Timeout:      o.timeout,
		MaxBodyBytes: o.maxBody,
		MaxRetries:   o.retries,
		RetryInitial: 10 * time.Millisecond,
		RetryMax:     20 * time.Millisecond,
		Logger:       logger,
	})
	if err != nil {
		t.Fatalf("slurm.New: %v", err)
	}
	h.metrics, err = NewMetrics(h.reg)
	if err != nil {
		t.Fatalf("NewMetrics: %v", err)
	}
	h.poller, err = New(h.client, Options{
		Name:          "test-ds",
		Interval:      o.interval,
		StaleLimit:    o.staleLimit,
		IdleAfter:     o.idleAfter,
		AccountingTTL: o.accountingTTL,
		Metrics:       h.metrics,
		Logger:        logger,
		Clock:         h.clock,
		AfterRefresh:  o.afterRefresh,
	})
	if err != nil {
		t.Fatalf("cluster.New: %v", err)
	}
	t.Cleanup(func() {
		h.poller.Stop()
		h.client.Close()
		if strings.Contains(h.logs.String(), clustertest.Token) {
			t.Errorf("the token appeared in the logs")
		}
	})
	return h
}

// readJobs reads the jobs kind with a bounded context.
func (h *harness) readJobs(t *testing.T) (*Snapshot, Freshness, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return h.poller.Read(ctx, KindJobs)
}

// settle waits until the refresh loop is waiting on the clock again (its
// timer armed: the refresh that the last advance started has ended).
func settle(t *testing.T, clock *clockwork.FakeClock) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatalf("the refresh loop did not come back to its timer: %v", err)
	}
}

// advance moves the fake clock by d once the loop waits on it, and waits
// for the refreshes that came due to end.
func advance(t *testing.T, clock *clockwork.FakeClock, d time.Duration) {
	t.Helper()
	settle(t, clock)
	clock.Advance(d)
	settle(t, clock)
}

func (h *harness) settle(t *testing.T)                   { t.Helper(); settle(t, h.clock) }
func (h *harness) advance(t *testing.T, d time.Duration) { t.Helper(); advance(t, h.clock, d) }

// waitFor polls cond every millisecond until it holds or d (wall time, a
// bound for a loaded machine, never a sleep the test needs) passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(time.Millisecond)
	}
}
