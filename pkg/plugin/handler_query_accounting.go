package plugin

import (
	"context"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/query"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// queryAccounting answers the query types that read slurmdbd over the
// request's time range (job_history, history_series, usage, annotations of
// jobs) and the annotation kinds that read the snapshot. Every model is
// parsed and validated before anything is fetched, so a bad query costs
// slurmrestd nothing.
func (d *Datasource) queryAccounting(ctx context.Context, queryType string, q backend.DataQuery) backend.DataResponse {
	from, to := q.TimeRange.From, q.TimeRange.To
	if to.IsZero() {
		to = d.now()
	}
	if from.IsZero() || !to.After(from) {
		return d.errorResponse(badRange(from, to))
	}
	var (
		frames data.Frames
		err    error
	)
	switch queryType {
	case query.TypeJobHistory:
		var m query.JobHistory
		if m, err = query.ParseJobHistory(q.JSON, d.settings.MaxRows); err == nil {
			var jobs []slurm.AccountingJob
			if jobs, err = d.accounting(ctx, m.Filter(from, to)); err == nil {
				frames = data.Frames{m.Frame(jobs)}
			}
		}
	case query.TypeHistorySeries:
		var m query.HistorySeries
		if m, err = query.ParseHistorySeries(q.JSON); err == nil {
			var jobs []slurm.AccountingJob
			if jobs, err = d.accounting(ctx, m.Filter(from, to)); err == nil {
				frames, err = m.Frames(jobs, from, to, q.Interval)
			}
		}
	case query.TypeUsage:
		var m query.Usage
		if m, err = query.ParseUsage(q.JSON); err == nil {
			var jobs []slurm.AccountingJob
			if jobs, err = d.accounting(ctx, m.Filter(from, to)); err == nil {
				frames, err = m.Frames(jobs, from, to, q.Interval, d.now())
			}
		}
	case query.TypeAnnotations:
		frames, err = d.annotations(ctx, q, from, to)
	}
	if err != nil {
		return d.errorResponse(err)
	}
	for _, f := range frames {
		f.RefID = q.RefID
	}
	return backend.DataResponse{Frames: frames}
}

func (d *Datasource) annotations(ctx context.Context, q backend.DataQuery, from, to time.Time) (data.Frames, error) {
	m, err := query.ParseAnnotations(q.JSON)
	if err != nil {
		return nil, err
	}
	if m.NeedsAccounting() {
		jobs, err := d.accounting(ctx, m.Filter(from, to))
		if err != nil {
			return nil, err
		}
		return data.Frames{m.JobsFrame(jobs, from, to)}, nil
	}
	kind := cluster.KindNodes
	if m.Kind == query.AnnotateReservations {
		kind = cluster.KindReservations
	}
	snap, fresh, err := d.read(ctx, kind)
	if err != nil {
		return nil, err
	}
	var frame *data.Frame
	if kind == cluster.KindReservations {
		frame = m.ReservationsFrame(snap.Reservations, from, to)
	} else {
		frame = m.NodeReasonsFrame(snap.Nodes, from, to)
	}
	annotateFreshness(frame, fresh)
	return data.Frames{frame}, nil
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

func badRange(from, to time.Time) error {
	return &rangeError{from: from, to: to}
}

// rangeError is a bad time range: a query error (400), not Slurm's.
type rangeError struct{ from, to time.Time }

func (e *rangeError) Error() string {
	return "invalid query: timeRange must have a start before its end (got " + e.from.Format(time.RFC3339) + " – " + e.to.Format(time.RFC3339) + ")"
}

func (e *rangeError) Is(target error) bool { return target == query.ErrInvalid }
