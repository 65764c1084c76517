// Package cluster keeps one refreshed, immutable snapshot of a Slurm cluster
// per data source instance, so that every query, page, variable and alert
// rule reads the same data and the number of viewers never changes the number
// of calls made to slurmrestd (DESIGN.md §2, §8).
package cluster

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jonboulle/clockwork"
	"golang.org/x/sync/singleflight"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// Source is what the poller needs from slurmrestd; *slurm.Client implements it.
type Source interface {
	Jobs(ctx context.Context, since time.Time) (*slurm.JobsAnswer, error)
	Nodes(ctx context.Context) ([]slurm.Node, error)
	Partitions(ctx context.Context) ([]slurm.Partition, error)
	Reservations(ctx context.Context) ([]slurm.Reservation, error)
	Diag(ctx context.Context) (*slurm.SchedulerStats, error)
	AccountingJobs(ctx context.Context, filter slurm.AccountingFilter) ([]slurm.AccountingJob, error)
	Shares(ctx context.Context) ([]slurm.Share, error)
}

// Defaults and limits (DESIGN.md §2).
const (
	DefaultInterval   = 30 * time.Second
	MinInterval       = 10 * time.Second
	DefaultStaleLimit = 10 * time.Minute
	// idleIntervals is how many intervals without a reader stop the loop.
	idleIntervals = 3
	// maxWarmWait bounds how long a reader waits for a waking loop's first
	// refresh when older data exists (slurmrestd may be down and each kind
	// take a full timeout to fail).
	maxWarmWait = 5 * time.Second
	// accountingCacheSize bounds the distinct accounting queries kept.
	accountingCacheSize = 128
)

// ErrStopped is returned by reads on a poller whose data source was disposed.
var ErrStopped = errors.New("the Slurm data source was reconfigured or removed; retry the request")

// Options configure a Poller.
type Options struct {
	Name          string        // the data source uid: metrics label and log field
	Interval      time.Duration // refresh interval; default 30 s, minimum 10 s
	StaleLimit    time.Duration // how long the last good data may be served; default 10 min
	IdleAfter     time.Duration // stop refreshing after this long without readers; default 3 intervals
	AccountingTTL time.Duration // how long an accounting answer is reused; default one interval
	LimitsTTL     time.Duration // how long slurmdbd's QOS and associations are reused; default 5 min
	Metrics       *Metrics      // nil: no metrics
	Logger        *slog.Logger  // nil: discard
	// Clock is the time source of refreshes, ages, idling and caches; nil is
	// the wall clock. Tests pass a fake clock and advance it instead of
	// sleeping.
	Clock clockwork.Clock
	// AfterRefresh, when set, is called by the refresh loop after each
	// refresh cycle (not after each kind) with the snapshot it ended with,
	// and a context cancelled when the poller stops: work done here for the
	// new snapshot is ready before the next reader asks. It delays the next
	// refresh by its duration, so it must be bounded.
	AfterRefresh func(ctx context.Context, snap *Snapshot)
}

// Poller refreshes one data source's snapshot while someone reads it.
type Poller struct {
	src        Source
	name       string
	interval   time.Duration
	staleLimit time.Duration
	idleAfter  time.Duration
	metrics    *Metrics
	log        *slog.Logger
	clock      clockwork.Clock
	after      func(context.Context, *Snapshot)

	current  atomic.Pointer[Snapshot]
	lastRead atomic.Int64 // UnixNano of the last read
	running  atomic.Bool
	warm     atomic.Pointer[chan struct{}] // closed after the first refresh of the current run

	mu      sync.Mutex // serialises starting, idling and stopping the loop
	stopped bool
	stop    chan struct{}
	ctx     context.Context // cancelled by Stop: aborts in-flight fetches
	cancel  context.CancelFunc
	wg      sync.WaitGroup

	kick      chan struct{} // RefreshNow (kick.go)
	kickKinds atomic.Uint32 // bit per Kind asked to refresh now

	flight     singleflight.Group
	gate       *demandGate // bounds what is fetched on demand (budget.go)
	accounting *ttlCache[[]slurm.AccountingJob]
	shares     *ttlCache[[]slurm.Share]
	limits     *ttlCache[limitsEntry] // successes, for the limits TTL
	limitErrs  *ttlCache[limitsEntry] // failures, for one interval
}

// New creates a poller. Its loop starts with the first read.
func New(src Source, opts Options) (*Poller, error) {
	if src == nil {
		return nil, errors.New("cluster: a Slurm source is required")
	}
	if opts.Interval == 0 {
		opts.Interval = DefaultInterval
	}
	if opts.Interval < MinInterval {
		return nil, fmt.Errorf("cluster: refresh interval %s is below the minimum of %s", opts.Interval, MinInterval)
	}
	if opts.StaleLimit == 0 {
		opts.StaleLimit = DefaultStaleLimit
	}
	if opts.StaleLimit < opts.Interval {
		return nil, fmt.Errorf("cluster: stale limit %s is shorter than the refresh interval %s", opts.StaleLimit, opts.Interval)
	}
	if opts.IdleAfter <= 0 {
		opts.IdleAfter = idleIntervals * opts.Interval
	}
	if opts.AccountingTTL <= 0 {
		opts.AccountingTTL = opts.Interval
	}
	if opts.LimitsTTL <= 0 {
		opts.LimitsTTL = DefaultLimitsTTL
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Clock == nil {
		opts.Clock = clockwork.NewRealClock()
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &Poller{
		src:        src,
		name:       opts.Name,
		interval:   opts.Interval,
		staleLimit: opts.StaleLimit,
		idleAfter:  opts.IdleAfter,
		metrics:    opts.Metrics,
		log:        opts.Logger.With("datasource", opts.Name),
		clock:      opts.Clock,
		after:      opts.AfterRefresh,
		stop:       make(chan struct{}),
		kick:       make(chan struct{}, 1),
		ctx:        ctx,
		cancel:     cancel,
		gate:       newDemandGate(opts.Clock),
		accounting: newTTLCache[[]slurm.AccountingJob](accountingCacheSize, opts.AccountingTTL, opts.Clock),
		shares:     newTTLCache[[]slurm.Share](1, opts.AccountingTTL, opts.Clock),
		limits:     newTTLCache[limitsEntry](1, opts.LimitsTTL, opts.Clock),
		limitErrs:  newTTLCache[limitsEntry](1, opts.Interval, opts.Clock),
	}
	p.metrics.add(p)
	return p, nil
}

// Interval is the refresh interval.
func (p *Poller) Interval() time.Duration { return p.interval }

// StaleLimit is how long the last good data is served while slurmrestd fails.
func (p *Poller) StaleLimit() time.Duration { return p.staleLimit }

// Running tells whether the refresh loop is active (false while idle).
func (p *Poller) Running() bool { return p.running.Load() }

// Current returns the latest snapshot without counting as a reader and
// without waiting; nil before the first refresh.
func (p *Poller) Current() *Snapshot { return p.current.Load() }

// Snapshot returns the latest snapshot and marks the poller as read, starting
// the refresh loop when it was idle. It waits only while the loop's first
// refresh after starting runs (first use, or waking from idle), bounded by
// ctx; otherwise it never blocks.
func (p *Poller) Snapshot(ctx context.Context) (*Snapshot, error) {
	p.lastRead.Store(p.clock.Now().UnixNano())
	warm, err := p.ensureRunning()
	if err != nil {
		return nil, err
	}
	select {
	case <-warm:
	default:
		// The loop has just started (first use, or waking from idle): wait
		// for its first refresh rather than serve nothing, a half-built
		// snapshot or data from before the idle period. When there is older
		// data, wait at most maxWarmWait and serve it (labelled) after that.
		var limit <-chan time.Time
		if p.current.Load() != nil {
			t := p.clock.NewTimer(maxWarmWait)
			defer t.Stop()
			limit = t.Chan()
		}
		select {
		case <-warm:
		case <-limit:
		case <-ctx.Done():
			if p.current.Load() == nil {
				return nil, fmt.Errorf("waiting for the first Slurm refresh: %w", ctx.Err())
			}
		case <-p.stop:
			return nil, ErrStopped
		}
	}
	snap := p.current.Load()
	if snap == nil {
		// Cannot happen: a refresh always stores a snapshot before warm closes.
		return nil, fmt.Errorf("%w: no snapshot yet", ErrNoData)
	}
	return snap, nil
}

// Read returns the snapshot together with the freshness of one kind. It fails
// when that kind was never fetched or is older than the stale limit.
func (p *Poller) Read(ctx context.Context, k Kind) (*Snapshot, Freshness, error) {
	snap, err := p.Snapshot(ctx)
	if err != nil {
		return nil, Freshness{Kind: k}, err
	}
	f, err := snap.freshness(k, p.clock.Now(), p.interval, p.staleLimit)
	if err != nil {
		return nil, f, err
	}
	return snap, f, nil
}

// Freshness judges one kind of a snapshot now, with this poller's limits.
func (p *Poller) Freshness(snap *Snapshot, k Kind) (Freshness, error) {
	return snap.freshness(k, p.clock.Now(), p.interval, p.staleLimit)
}

// Observe records a call to slurmrestd made for this data source outside the
// poller (a health check); nothing once the poller is stopped.
func (p *Poller) Observe(endpoint string, took time.Duration, err error) {
	p.metrics.observe(p, endpoint, took, err)
}

// Stop ends the loop, aborts in-flight fetches and removes the poller's metrics.
// It is safe to call more than once.
func (p *Poller) Stop() {
	p.mu.Lock()
	if p.stopped {
		p.mu.Unlock()
		return
	}
	p.stopped = true
	close(p.stop)
	p.cancel()
	p.mu.Unlock()
	p.wg.Wait()
	p.metrics.remove(p)
}

// ensureRunning starts the loop when it is not running and returns the
// channel closed after the current run's first refresh.
func (p *Poller) ensureRunning() (<-chan struct{}, error) {
	select {
	case <-p.stop:
		return nil, ErrStopped
	default:
	}
	if p.running.Load() {
		if w := p.warm.Load(); w != nil {
			return *w, nil
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopped {
		return nil, ErrStopped
	}
	if !p.running.Load() {
		w := make(chan struct{})
		p.warm.Store(&w)
		p.running.Store(true)
		p.wg.Add(1)
		go p.loop(w)
		p.log.Debug("slurm refresh loop started")
	}
	return *p.warm.Load(), nil
}

// idle reports whether nobody read for longer than idleAfter.
func (p *Poller) idle(now time.Time) bool {
	return now.Sub(time.Unix(0, p.lastRead.Load())) > p.idleAfter
}

// goIdle stops the loop unless a reader arrived meanwhile. A reader stores
// lastRead before it loads running, and the loop stores running before it
// loads lastRead again, so either the reader sees running == false and starts
// a new loop, or this loop sees the read and keeps going.
func (p *Poller) goIdle() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.running.Store(false)
	if !p.idle(p.clock.Now()) && !p.stopped {
		p.running.Store(true)
		return false
	}
	p.log.Debug("slurm refresh loop idle: no readers", "idleAfter", p.idleAfter)
	return true
}
