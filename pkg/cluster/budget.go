package cluster

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	"golang.org/x/time/rate"
)

// Bounds of the work fetched on demand from slurmdbd (accounting jobs,
// shares, QOS and associations), which unlike the refresh loop is driven by
// what viewers and alert rules ask. pkg/cluster/README.md lists them.
const (
	// OnDemandRate and OnDemandBurst bound the upstream calls one data source
	// makes on demand: 1 per second in bursts of 10. With the refresh loop
	// (5 calls per interval) that stays well within Slurm's default per-user
	// rate limit (a bucket of 30, refilled at 2 per second).
	OnDemandRate  = 1
	OnDemandBurst = 10
	// maxRateWait is how long a call may queue for the rate: beyond it the
	// request is answered at once with ErrOverBudget instead of queueing.
	maxRateWait = 2 * time.Second
	// onDemandConcurrency: at most one on-demand call per data source at a
	// time, so the refresh loop always has the other of the client's two
	// connections.
	onDemandConcurrency = 1
	// MaxAccountingPerRequest bounds the distinct accounting filters one
	// QueryData request may fetch from slurmdbd (answers already cached
	// cost nothing and do not count).
	MaxAccountingPerRequest = 8
)

// ErrOverBudget is returned (wrapped) when a request asks for more
// on-demand work than the bounds allow. It is the plugin's refusal, not
// slurmdbd's failure.
var ErrOverBudget = errors.New("over the Slurm accounting budget")

// demandGate admits on-demand calls of one data source: a token of the
// rate (or a refusal when the queue is longer than maxRateWait), then one
// of the concurrency slots.
type demandGate struct {
	clock clockwork.Clock
	rate  *rate.Limiter
	slots chan struct{}
}

func newDemandGate(clock clockwork.Clock) *demandGate {
	return &demandGate{
		clock: clock,
		rate:  rate.NewLimiter(OnDemandRate, OnDemandBurst),
		slots: make(chan struct{}, onDemandConcurrency),
	}
}

// enter waits for the rate and a slot; release gives the slot back.
func (g *demandGate) enter(ctx context.Context, what string) (release func(), err error) {
	now := g.clock.Now()
	r := g.rate.ReserveN(now, 1)
	if delay := r.DelayFrom(now); !r.OK() || delay > maxRateWait {
		r.CancelAt(now)
		return nil, fmt.Errorf("%w: %s would wait %s for its turn: a data source makes at most %d on-demand calls to slurmdbd per second (bursts of %d); retry in a few seconds",
			ErrOverBudget, what, delay.Round(100*time.Millisecond), OnDemandRate, OnDemandBurst)
	} else if delay > 0 {
		t := g.clock.NewTimer(delay)
		defer t.Stop()
		select {
		case <-t.Chan():
		case <-ctx.Done():
			r.CancelAt(g.clock.Now())
			return nil, ctx.Err()
		}
	}
	select {
	case g.slots <- struct{}{}:
		return func() { <-g.slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// requestBudget counts the distinct accounting filters one request fetched.
type requestBudget struct {
	mu   sync.Mutex
	max  int
	keys map[string]struct{}
}

type budgetKey struct{}

// WithRequestBudget returns a context whose on-demand accounting fetches
// may reach slurmdbd for at most max distinct filters (QueryData makes one
// per request, with MaxAccountingPerRequest).
func WithRequestBudget(ctx context.Context, max int) context.Context {
	return context.WithValue(ctx, budgetKey{}, &requestBudget{max: max, keys: map[string]struct{}{}})
}

// admit records that the request fetches key; it fails once the request
// has more distinct keys than its budget. A context without a budget (the
// resource routes, one filter each) admits everything.
func admit(ctx context.Context, key string) error {
	b, ok := ctx.Value(budgetKey{}).(*requestBudget)
	if !ok {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, seen := b.keys[key]; seen {
		return nil
	}
	if len(b.keys) >= b.max {
		return fmt.Errorf("%w: this request asks slurmdbd for more than %d different accounting queries (time range, users, accounts, partitions, states); split it over several panels or use fewer filter values per query",
			ErrOverBudget, b.max)
	}
	b.keys[key] = struct{}{}
	return nil
}
