package cluster

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// DefaultLimitsTTL is how long slurmdbd's QOS and associations are reused.
// Operators change limits rarely; explaining a pending job with limits a few
// minutes old costs slurmdbd two calls per TTL instead of two per viewer.
const DefaultLimitsTTL = 5 * time.Minute

// LimitsSource is what the poller needs to read slurmdbd's limits;
// *slurm.Client implements it. A Source without it has no limits.
type LimitsSource interface {
	QOS(ctx context.Context) ([]slurm.QOS, error)
	Associations(ctx context.Context) ([]slurm.Association, error)
}

// Limits are slurmdbd's QOS and associations, read together.
type Limits struct {
	QOS          []slurm.QOS
	Associations []slurm.Association
	FetchedAt    time.Time
}

// ErrNoLimitsSource is returned by Limits when the source cannot read slurmdbd.
var ErrNoLimitsSource = errors.New("this Slurm source does not read slurmdbd's QOS and associations")

// limitsEntry is a cached answer or a cached failure.
type limitsEntry struct {
	limits *Limits
	err    error
}

// Limits returns slurmdbd's QOS and associations, fetched on demand (not in
// the refresh loop: only pending-job explanations read them), coalesced, and
// reused for the limits TTL. A failure is remembered for one refresh
// interval, so a slurmdbd that is down is asked again at most once per
// interval however many viewers ask.
func (p *Poller) Limits(ctx context.Context) (*Limits, error) {
	select {
	case <-p.stop:
		return nil, ErrStopped
	default:
	}
	src, ok := p.src.(LimitsSource)
	if !ok {
		return nil, ErrNoLimitsSource
	}
	if e, ok := p.limits.Get("limits"); ok {
		return e.limits, nil
	}
	if e, ok := p.limitErrs.Get("limits"); ok {
		return nil, e.err
	}
	ch := p.flight.DoChan("limits", func() (any, error) {
		start := p.clock.Now()
		qos, err := onDemand(p, "slurmdb_qos", src.QOS)
		var assocs []slurm.Association
		if err == nil {
			assocs, err = onDemand(p, "slurmdb_associations", src.Associations)
		}
		if err != nil {
			err = fmt.Errorf("reading QOS and associations from slurmdbd: %w", err)
			if !errors.Is(err, ErrOverBudget) { // our own refusal says nothing about slurmdbd
				p.limitErrs.Add("limits", limitsEntry{err: err})
			}
			return nil, err
		}
		l := &Limits{QOS: qos, Associations: assocs, FetchedAt: start}
		p.limits.Add("limits", limitsEntry{limits: l})
		return l, nil
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.(*Limits), nil
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for slurmdbd's QOS and associations: %w", ctx.Err())
	}
}
