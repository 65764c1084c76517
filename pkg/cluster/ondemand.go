package cluster

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// AccountingJobs returns slurmdbd's jobs for a filter. Accounting is not part
// of the refresh loop: it is fetched on demand, concurrent identical requests
// are coalesced into one upstream call, and the answer is reused for the
// accounting TTL. Callers with relative time ranges should align Start and
// End (e.g. to the refresh interval) so that their keys repeat.
func (p *Poller) AccountingJobs(ctx context.Context, f slurm.AccountingFilter) ([]slurm.AccountingJob, error) {
	select {
	case <-p.stop:
		return nil, ErrStopped
	default:
	}
	key := accountingKey(f)
	if jobs, ok := p.accounting.Get(key); ok {
		return jobs, nil
	}
	if err := admit(ctx, key); err != nil {
		return nil, err
	}
	// The shared call runs under the poller's context, not the first
	// caller's: one caller giving up must not fail the others waiting on it.
	ch := p.flight.DoChan("accounting\x00"+key, func() (any, error) {
		jobs, err := onDemand(p, "accounting_jobs", func(ctx context.Context) ([]slurm.AccountingJob, error) {
			return p.src.AccountingJobs(ctx, f)
		})
		if err != nil {
			return nil, err
		}
		p.accounting.Add(key, jobs)
		return jobs, nil
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.([]slurm.AccountingJob), nil
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for Slurm accounting: %w", ctx.Err())
	}
}

// accountingKey is a canonical form of the filter: list order does not matter.
func accountingKey(f slurm.AccountingFilter) string {
	list := func(v []string) string {
		c := slices.Clone(v)
		slices.Sort(c)
		return strings.Join(slices.Compact(c), ",")
	}
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return fmt.Sprint(t.Unix())
	}
	ids := make([]string, len(f.JobIDs))
	for i, id := range f.JobIDs {
		ids[i] = fmt.Sprint(id)
	}
	return strings.Join([]string{
		stamp(f.Start), stamp(f.End),
		"u=" + list(f.Users), "a=" + list(f.Accounts), "p=" + list(f.Partitions), "s=" + list(f.States),
		"q=" + list(f.QOS), "n=" + list(f.JobNames), "j=" + list(ids),
	}, "|")
}

// Shares returns the fairshare tree, fetched on demand like accounting:
// coalesced and reused for the accounting TTL, because only the shares
// query reads it and an unwatched cluster should not pay for it.
func (p *Poller) Shares(ctx context.Context) ([]slurm.Share, error) {
	select {
	case <-p.stop:
		return nil, ErrStopped
	default:
	}
	if s, ok := p.shares.Get("shares"); ok {
		return s, nil
	}
	ch := p.flight.DoChan("shares", func() (any, error) {
		s, err := onDemand(p, "shares", func(ctx context.Context) ([]slurm.Share, error) {
			return p.src.Shares(ctx)
		})
		if err != nil {
			return nil, err
		}
		p.shares.Add("shares", s)
		return s, nil
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.([]slurm.Share), nil
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for Slurm shares: %w", ctx.Err())
	}
}
