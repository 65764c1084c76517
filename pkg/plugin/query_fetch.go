package plugin

import (
	"context"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/query"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// fetched is what a query's needs brought in: the data, the freshness of the
// snapshot kinds it read, and notices to show beside its frames.
type fetched struct {
	query.Data
	fresh   []cluster.Freshness
	notices []data.Notice
}

// fetch reads exactly what a parsed query needs (query.Needs): snapshot
// kinds, slurmdbd's jobs over a range, the fair-share tree, pending jobs'
// explanations. Nothing here calls slurmrestd per viewer: the snapshot is
// shared and the rest goes through the poller's coalesced caches.
func (d *Datasource) fetch(ctx context.Context, n query.Needs) (fetched, error) {
	var in fetched
	var err error
	if len(n.Kinds) > 0 {
		if in.Snapshot, in.fresh, err = d.read(ctx, n.Kinds...); err != nil {
			return in, err
		}
	}
	if n.Accounting != nil {
		if in.Accounting, err = d.accounting(ctx, *n.Accounting); err != nil {
			return in, err
		}
	}
	if n.Shares {
		if in.Shares, err = d.poller.Shares(ctx); err != nil {
			return in, err
		}
	}
	if n.Pending {
		if in.Pending, in.notices, err = d.explanations(ctx, in.Snapshot); err != nil {
			return in, err
		}
	}
	if n.Explain != "" {
		e, notices, err := d.explain(ctx, in.Snapshot, n.Explain)
		if err != nil {
			return in, err
		}
		in.Explanation, in.notices = &e, notices
	}
	return in, nil
}

// read returns the snapshot and the freshness of every kind a query uses:
// reading the first wakes an idle poller; it fails when any of them is
// missing or beyond the stale limit.
func (d *Datasource) read(ctx context.Context, kinds ...cluster.Kind) (*cluster.Snapshot, []cluster.Freshness, error) {
	snap, f, err := d.poller.Read(ctx, kinds[0])
	if err != nil {
		return nil, nil, err
	}
	fresh := []cluster.Freshness{f}
	for _, k := range kinds[1:] {
		fk, err := d.poller.Freshness(snap, k)
		if err != nil {
			return nil, nil, err
		}
		fresh = append(fresh, fk)
	}
	return snap, fresh, nil
}

// accounting fetches through the poller's coalesced, cached accounting
// call. The range is widened to whole refresh intervals so that the keys of
// a dashboard's "last 6 h" repeat between refreshes and share the cache;
// the query types clip to the exact range themselves.
func (d *Datasource) accounting(ctx context.Context, f slurm.AccountingFilter) ([]slurm.AccountingJob, error) {
	step := d.settings.RefreshInterval
	if step <= 0 {
		step = cluster.DefaultInterval
	}
	f.Start = f.Start.Truncate(step)
	if end := f.End.Truncate(step); end.Before(f.End) {
		f.End = end.Add(step)
	}
	return d.poller.AccountingJobs(ctx, f)
}
