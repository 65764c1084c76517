package cluster

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

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
}

// newHarness starts a fixture server and a poller reading it through the
// real slurm client.
func newHarness(t *testing.T, o harnessOpts) *harness {
	t.Helper()
	if o.interval == 0 {
		o.interval = 200 * time.Millisecond
	}
	if o.timeout == 0 {
		o.timeout = 2 * time.Second
	}
	if o.retries == 0 {
		o.retries = -1
	}
	h := &harness{srv: clustertest.Start(t, testRelease, testVersion), logs: &syncBuffer{}, reg: prometheus.NewRegistry()}
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
		Name:               "test-ds",
		Interval:           o.interval,
		StaleLimit:         o.staleLimit,
		IdleAfter:          o.idleAfter,
		AccountingTTL:      o.accountingTTL,
		Metrics:            h.metrics,
		Logger:             logger,
		allowShortInterval: true,
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

// waitFor polls cond every few milliseconds until it holds or d passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > d {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Since(start)
}
