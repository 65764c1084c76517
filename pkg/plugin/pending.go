package plugin

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/pending"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/query"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// pendingKinds are the snapshot kinds an explanation reads.
var pendingKinds = []cluster.Kind{cluster.KindJobs, cluster.KindNodes, cluster.KindPartitions, cluster.KindReservations}

// pendingCache keeps the explanations of one snapshot: building them for a
// 100k-job queue costs a few hundred milliseconds (bench: pkg/pending), so
// every panel, page and alert rule reading the same snapshot and limits
// shares one computation. An Index is not safe for concurrent use: mu
// guards it too.
type pendingCache struct {
	mu     sync.Mutex
	snap   *cluster.Snapshot
	limits *cluster.Limits
	index  *pending.Index
	all    []pending.Explanation
	jobs   []*slurm.Job // the pending job of each explanation
}

// pendingView is what one request reads: the explanations with their jobs,
// and the notices to show beside them.
type pendingView struct {
	snap    *cluster.Snapshot
	fresh   []cluster.Freshness
	all     []pending.Explanation
	jobs    []*slurm.Job
	notices []data.Notice
}

// pendingData reads the snapshot and slurmdbd's limits (on demand, cached by
// the poller) and returns the explanations of every pending job.
func (d *Datasource) pendingData(ctx context.Context) (*pendingView, error) {
	snap, fresh, err := d.read(ctx, pendingKinds...)
	if err != nil {
		return nil, err
	}
	v := &pendingView{snap: snap, fresh: fresh}
	limits, lerr := d.poller.Limits(ctx)
	if lerr != nil {
		if errors.Is(lerr, context.Canceled) || errors.Is(lerr, context.DeadlineExceeded) {
			return nil, lerr
		}
		// Explanations still stand without limits; say what is missing.
		v.notices = append(v.notices, data.Notice{Severity: data.NoticeSeverityWarning,
			Text: d.scrub("QOS and association limits are not shown: " + lerr.Error())})
	}
	c := &d.pending
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.snap != snap || c.limits != limits || c.index == nil {
		cl := pending.Cluster{Jobs: snap.Jobs, Nodes: snap.Nodes, Partitions: snap.Partitions,
			Reservations: snap.Reservations, Now: d.now()}
		if limits != nil {
			cl.QOS, cl.Associations = limits.QOS, limits.Associations
		}
		c.snap, c.limits, c.index = snap, limits, pending.NewIndex(cl)
		c.all = c.index.All()
		c.jobs = c.jobs[:0]
		for i := range snap.Jobs {
			if snap.Jobs[i].State.Base == "PENDING" {
				c.jobs = append(c.jobs, &snap.Jobs[i])
			}
		}
	}
	v.all, v.jobs = c.all, c.jobs
	return v, nil
}

// explainOne explains one job with every fact, the fair-share factor
// included (shares are fetched on demand and cached by the poller; on
// v0.0.38/39 there are none).
func (d *Datasource) explainOne(ctx context.Context, id string) (pending.Explanation, *pendingView, error) {
	v, err := d.pendingData(ctx)
	if err != nil {
		return pending.Explanation{}, nil, err
	}
	shares, serr := d.poller.Shares(ctx)
	c := &d.pending
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.index == nil || c.snap != v.snap {
		return pending.Explanation{}, nil, errors.New("the Slurm snapshot changed while explaining the job; retry")
	}
	c.index.SetShares(shares)
	e, err := c.index.Explain(id)
	c.index.SetShares(nil)
	if err != nil {
		return pending.Explanation{}, nil, err
	}
	if serr != nil && !errors.Is(serr, slurm.ErrUnsupportedVersion) {
		e.Notes = append(e.Notes, d.scrub("The fair-share factor is not shown: "+serr.Error()))
	}
	return e, v, nil
}

// queryPending serves the pending query type.
func (d *Datasource) queryPending(ctx context.Context, q backend.DataQuery) backend.DataResponse {
	model, err := query.ParsePending(q.JSON, d.settings.MaxRows)
	if err != nil {
		return d.errorResponse(err)
	}
	var frame *data.Frame
	var v *pendingView
	if model.Format == query.PendingFacts {
		var e pending.Explanation
		e, v, err = d.explainOne(ctx, model.JobID)
		if err != nil {
			return d.pendingError(err)
		}
		frame = query.FactsFrame(&e)
	} else {
		v, err = d.pendingData(ctx)
		if err != nil {
			return d.errorResponse(err)
		}
		selected := model.Select(v.all, func(i int) bool { return model.Match(v.jobs[i]) })
		if model.Format == query.PendingCounts {
			names := make([]string, len(v.snap.Partitions))
			for i, p := range v.snap.Partitions {
				names[i] = p.Name
			}
			frame = model.CountsFrame(selected, names)
		} else {
			frame = model.TableFrame(selected)
		}
	}
	frame.RefID = q.RefID
	annotateFreshness(frame, v.fresh)
	frame.AppendNotices(v.notices...)
	return backend.DataResponse{Frames: data.Frames{frame}}
}

// pendingError maps "no such job" and "not pending" to a 404 and a 400.
func (d *Datasource) pendingError(err error) backend.DataResponse {
	switch {
	case errors.Is(err, pending.ErrNotFound):
		return backend.ErrDataResponseWithSource(backend.StatusNotFound, backend.ErrorSourcePlugin, err.Error())
	case errors.Is(err, pending.ErrNotPending):
		return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourcePlugin, err.Error())
	}
	return d.errorResponse(err)
}

// handlePending is GET pending/{jobId}: one job's explanation as JSON, for
// the job page. Read only; it costs slurmrestd nothing beyond the snapshot
// and the cached slurmdbd limits and shares.
func (d *Datasource) handlePending(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimSpace(r.PathValue("jobId"))
	if id == "" || len(id) > 64 {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "a job id such as 123, 123_4 or 123_[3-6] is required"})
		return
	}
	e, v, err := d.explainOne(r.Context(), id)
	switch {
	case errors.Is(err, pending.ErrNotFound):
		writeJSON(w, http.StatusNotFound, map[string]string{"error": err.Error()})
		return
	case errors.Is(err, pending.ErrNotPending):
		writeJSON(w, http.StatusConflict, map[string]string{"error": err.Error()})
		return
	case err != nil:
		resp := d.errorResponse(err)
		writeJSON(w, int(resp.Status), map[string]string{"error": resp.Error.Error()})
		return
	}
	notes := make([]string, 0, len(v.notices))
	for _, n := range v.notices {
		notes = append(notes, n.Text)
	}
	writeJSON(w, http.StatusOK, pendingAnswer{Explanation: newPendingJSON(&e), Warnings: notes,
		SnapshotAgeSeconds: oldestAge(v.fresh)})
}

func oldestAge(fresh []cluster.Freshness) float64 {
	var age float64
	for _, f := range fresh {
		age = max(age, f.Age.Seconds())
	}
	return age
}
