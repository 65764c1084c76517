package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/pending"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/query"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// pendingCache keeps the explanations of one snapshot: building them for a
// 100k-job queue costs a few hundred milliseconds (bench: pkg/pending), so
// every panel, page and alert rule reading the same snapshot and limits
// shares one computation, and while explanations are being read the poller
// builds the next snapshot's right after its refresh (warmPending), so no
// reader pays for it. An Index is not safe for concurrent use: mu guards it
// too.
type pendingCache struct {
	mu     sync.Mutex
	snap   *cluster.Snapshot
	limits *cluster.Limits
	index  *pending.Index
	all    []pending.Explanation
	jobs   []*slurm.Job // the pending job of each explanation
	unread int          // refreshes since the explanations were last read
}

// keepWarmRefreshes is how many refreshes without a reader of explanations
// still build them ahead (the poller itself idles after three intervals
// without any reader).
const keepWarmRefreshes = 3

// explanations returns the explanations of every pending job of snap, with
// slurmdbd's limits (on demand, cached by the poller) when it answers, and
// the notices to show beside them.
func (d *Datasource) explanations(ctx context.Context, snap *cluster.Snapshot) (query.PendingSet, []data.Notice, error) {
	d.pending.mu.Lock()
	d.pending.unread = 0
	d.pending.mu.Unlock()
	return d.buildExplanations(ctx, snap)
}

// warmPending is the poller's AfterRefresh: when explanations were read
// within the last keepWarmRefreshes refreshes, it builds those of the new
// snapshot now, so that the first pending panel, alert rule or job page
// after a refresh finds them ready instead of paying the build (0.4 s at
// 100k jobs). It waits at most a third of the refresh interval for
// slurmdbd's limits; a reader then builds what is missing itself.
func (d *Datasource) warmPending(ctx context.Context, snap *cluster.Snapshot) {
	c := &d.pending
	c.mu.Lock()
	c.unread++
	wanted := c.index != nil && c.unread <= keepWarmRefreshes
	c.mu.Unlock()
	if !wanted || snap == nil || ctx.Err() != nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, d.poller.Interval()/3)
	defer cancel()
	if _, _, err := d.buildExplanations(ctx, snap); err != nil {
		d.logger.Debug("pending explanations not built ahead", "error", err.Error()) // the logger redacts
	}
}

// buildExplanations is explanations without counting a read.
func (d *Datasource) buildExplanations(ctx context.Context, snap *cluster.Snapshot) (query.PendingSet, []data.Notice, error) {
	if snap == nil {
		return query.PendingSet{}, nil, errors.New("pending explanations need the snapshot: the query type must declare its kinds")
	}
	var notices []data.Notice
	limits, lerr := d.poller.Limits(ctx)
	if lerr != nil {
		if errors.Is(lerr, context.Canceled) || errors.Is(lerr, context.DeadlineExceeded) {
			return query.PendingSet{}, nil, lerr
		}
		// Explanations still stand without limits; say what is missing.
		notices = append(notices, data.Notice{Severity: data.NoticeSeverityWarning,
			Text: d.scrub("QOS and association limits are not shown: " + lerr.Error())})
	}
	c := &d.pending
	c.mu.Lock()
	defer c.mu.Unlock()
	if !samePendingInputs(c.snap, snap) || c.limits != limits || c.index == nil {
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
	return query.PendingSet{Explanations: c.all, Jobs: c.jobs}, notices, nil
}

// samePendingInputs reports whether a and b hold the same jobs, nodes,
// partitions and reservations. The poller swaps a new snapshot in after
// each kind it fetched; one that changed only the scheduler's statistics,
// or nothing an explanation reads, keeps the explanations.
func samePendingInputs(a, b *cluster.Snapshot) bool {
	return a != nil && b != nil && sameSlice(a.Jobs, b.Jobs) && sameSlice(a.Nodes, b.Nodes) &&
		sameSlice(a.Partitions, b.Partitions) && sameSlice(a.Reservations, b.Reservations)
}

// sameSlice reports whether a and b are the same slice (not equal ones).
func sameSlice[T any](a, b []T) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// explain explains one job of snap with every fact, the fair-share factor
// included (shares are fetched on demand and cached by the poller; on
// v0.0.38/39 there are none).
func (d *Datasource) explain(ctx context.Context, snap *cluster.Snapshot, id string) (pending.Explanation, []data.Notice, error) {
	_, notices, err := d.explanations(ctx, snap)
	if err != nil {
		return pending.Explanation{}, nil, err
	}
	shares, serr := d.poller.Shares(ctx)
	c := &d.pending
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.index == nil || !samePendingInputs(c.snap, snap) {
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
	return e, notices, nil
}

// handlePending is GET pending/{jobId}: one job's explanation as JSON, for
// the job page — the pending query's facts format, answered as JSON. Read
// only; it costs slurmrestd nothing beyond the snapshot and the cached
// slurmdbd limits and shares.
func (d *Datasource) handlePending(w http.ResponseWriter, r *http.Request) {
	model, _ := json.Marshal(map[string]string{"format": query.PendingFacts, "jobId": strings.TrimSpace(r.PathValue("jobId"))})
	m, err := query.Parse(query.TypePending, model, query.Request{Now: d.now(), MaxRows: d.settings.MaxRows})
	if err != nil {
		writeError(w, err)
		return
	}
	in, err := d.fetch(r.Context(), m.Needs())
	if err != nil {
		writeError(w, err)
		return
	}
	notes := make([]string, 0, len(in.notices))
	for _, n := range in.notices {
		notes = append(notes, n.Text)
	}
	writeJSON(w, http.StatusOK, pendingAnswer{Explanation: newPendingJSON(in.Explanation), Warnings: notes,
		SnapshotAgeSeconds: oldestAge(in.fresh)})
}

func oldestAge(fresh []cluster.Freshness) float64 {
	var age float64
	for _, f := range fresh {
		age = max(age, f.Age.Seconds())
	}
	return age
}
