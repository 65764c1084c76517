package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/query"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// maxQueryBytes bounds one query's JSON model.
const maxQueryBytes = 64 << 10

// QueryData answers every query from the shared snapshot: panels, variables
// and alert rules never cause their own calls to slurmrestd.
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	resp := backend.NewQueryDataResponse()
	// However many queries the request holds, it reaches slurmdbd for a
	// bounded number of distinct accounting filters.
	ctx = cluster.WithRequestBudget(ctx, cluster.MaxAccountingPerRequest)
	for _, q := range req.Queries {
		r := d.query(ctx, q)
		// Job and node cells open the app's page on this data source's cluster.
		query.LinkToCluster(r.Frames, d.uid)
		resp.Responses[q.RefID] = r
	}
	// The one place where query answers leave the backend: whatever an
	// upstream error repeated, no secret goes out.
	d.redact.queryResponse(resp)
	return resp, nil
}

func (d *Datasource) query(ctx context.Context, q backend.DataQuery) (resp backend.DataResponse) {
	defer func() {
		if r := recover(); r != nil {
			err := recovered(d.logger, "query "+q.RefID, r)
			resp = backend.ErrDataResponseWithSource(backend.StatusInternal, backend.ErrorSourcePlugin, err.Error())
		}
	}()
	// A query model is a few hundred bytes; refusing a huge one before parsing
	// it keeps a pasted blob from costing memory (and slurmrestd nothing).
	if len(q.JSON) > maxQueryBytes {
		return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourcePlugin,
			fmt.Sprintf("the query is %d bytes: the limit is %d", len(q.JSON), maxQueryBytes))
	}
	queryType := q.QueryType
	if queryType == "" {
		// Grafana copies queryType out of the model; older clients may not.
		var base query.Base
		if err := json.Unmarshal(q.JSON, &base); err == nil {
			queryType = base.QueryType
		}
	}
	if err := d.checkCapability(ctx, queryType); err != nil {
		return d.errorResponse(err)
	}
	var (
		frame *data.Frame
		fresh []cluster.Freshness
		err   error
	)
	switch queryType {
	case query.TypeNodes:
		frame, fresh, err = d.queryNodes(ctx, q.JSON)
	case query.TypeNodeCounts:
		frame, fresh, err = d.queryNodeCounts(ctx, q.JSON)
	case query.TypePartitions:
		frame, fresh, err = d.queryPartitions(ctx, q.JSON)
	case query.TypeJobs:
		frame, fresh, err = d.queryJobs(ctx, q.JSON)
	case query.TypeJobCounts:
		frame, fresh, err = d.queryJobCounts(ctx, q.JSON)
	case query.TypeScheduler:
		frame, fresh, err = d.queryScheduler(ctx, q.JSON)
	case query.TypeReservations:
		frame, fresh, err = d.queryReservations(ctx, q.JSON)
	case query.TypeShares:
		return d.queryShares(ctx, q)
	case query.TypePending:
		return d.queryPending(ctx, q)
	case query.TypeVariables:
		return d.queryVariables(ctx, q)
	case query.TypeJobHistory, query.TypeHistorySeries, query.TypeUsage, query.TypeAnnotations:
		return d.queryAccounting(ctx, queryType, q)
	case "":
		return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourcePlugin,
			fmt.Sprintf("queryType is missing: choose one of %s", strings.Join(query.Types(), ", ")))
	default:
		return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourcePlugin,
			fmt.Sprintf("unknown queryType %q: supported query types are %s", queryType, strings.Join(query.Types(), ", ")))
	}
	if err != nil {
		return d.errorResponse(err)
	}
	frame.RefID = q.RefID
	annotateFreshness(frame, fresh)
	return backend.DataResponse{Frames: data.Frames{frame}}
}

func (d *Datasource) queryReservations(ctx context.Context, raw json.RawMessage) (*data.Frame, []cluster.Freshness, error) {
	model, err := query.ParseReservations(raw)
	if err != nil {
		return nil, nil, err
	}
	snap, fresh, err := d.read(ctx, cluster.KindReservations)
	if err != nil {
		return nil, nil, err
	}
	return model.Frame(snap.Reservations, d.now()), fresh, nil
}

func (d *Datasource) queryNodes(ctx context.Context, raw json.RawMessage) (*data.Frame, []cluster.Freshness, error) {
	model, err := query.ParseNodes(raw, d.settings.MaxRows)
	if err != nil {
		return nil, nil, err
	}
	snap, f, err := d.poller.Read(ctx, cluster.KindNodes)
	if err != nil {
		return nil, nil, err
	}
	return model.Frame(snap.Nodes), []cluster.Freshness{f}, nil
}

func (d *Datasource) queryJobs(ctx context.Context, raw json.RawMessage) (*data.Frame, []cluster.Freshness, error) {
	model, err := query.ParseJobs(raw, d.settings.MaxRows)
	if err != nil {
		return nil, nil, err
	}
	snap, f, err := d.poller.Read(ctx, cluster.KindJobs)
	if err != nil {
		return nil, nil, err
	}
	return model.Frame(snap.Jobs), []cluster.Freshness{f}, nil
}

func (d *Datasource) queryJobCounts(ctx context.Context, raw json.RawMessage) (*data.Frame, []cluster.Freshness, error) {
	model, err := query.ParseJobCounts(raw)
	if err != nil {
		return nil, nil, err
	}
	snap, fresh, err := d.read(ctx, cluster.KindJobs, cluster.KindPartitions)
	if err != nil {
		return nil, nil, err
	}
	return model.Frame(snap.Jobs, snap.Partitions), fresh, nil
}

func (d *Datasource) queryNodeCounts(ctx context.Context, raw json.RawMessage) (*data.Frame, []cluster.Freshness, error) {
	model, err := query.ParseNodeCounts(raw)
	if err != nil {
		return nil, nil, err
	}
	snap, fresh, err := d.read(ctx, cluster.KindNodes, cluster.KindPartitions)
	if err != nil {
		return nil, nil, err
	}
	return model.Frame(snap.Nodes, snap.Partitions), fresh, nil
}

func (d *Datasource) queryScheduler(ctx context.Context, raw json.RawMessage) (*data.Frame, []cluster.Freshness, error) {
	model, err := query.ParseScheduler(raw)
	if err != nil {
		return nil, nil, err
	}
	snap, fresh, err := d.read(ctx, cluster.KindDiag)
	if err != nil {
		return nil, nil, err
	}
	return model.Frame(snap.Diag), fresh, nil
}

// read returns the snapshot and the freshness of every kind a query uses;
// it fails when any of them is missing or beyond the stale limit.
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

// queryPartitions needs three kinds: the partitions and, for the derived
// counts, the jobs and nodes of the same snapshot.
func (d *Datasource) queryPartitions(ctx context.Context, raw json.RawMessage) (*data.Frame, []cluster.Freshness, error) {
	model, err := query.ParsePartitions(raw)
	if err != nil {
		return nil, nil, err
	}
	snap, fresh, err := d.read(ctx, cluster.KindPartitions, cluster.KindJobs, cluster.KindNodes)
	if err != nil {
		return nil, nil, err
	}
	return model.Frame(snap.Partitions, snap.Jobs, snap.Nodes), fresh, nil
}

// annotateFreshness puts the snapshot's age into the frame's metadata and,
// when the data is stale, a warning the panel shows (QueryData redacts it).
func annotateFreshness(frame *data.Frame, fresh []cluster.Freshness) {
	var oldest cluster.Freshness
	for _, f := range fresh {
		if f.Age >= oldest.Age || oldest.FetchedAt.IsZero() {
			oldest = f
		}
	}
	stale := false
	var staleKinds []string
	var lastErr error
	for _, f := range fresh {
		if f.Stale {
			stale = true
			staleKinds = append(staleKinds, f.Kind.String())
			if f.LastError != nil && lastErr == nil {
				lastErr = f.LastError
			}
		}
	}
	if frame.Meta == nil {
		frame.Meta = &data.FrameMeta{}
	}
	// Keep what the query type put there (paging totals).
	query.SetCustom(frame, map[string]any{
		"snapshotAgeSeconds": oldest.Age.Seconds(),
		"snapshotFetchedAt":  oldest.FetchedAt.UTC().Format(time.RFC3339),
		"stale":              stale,
	})
	if stale {
		text := fmt.Sprintf("Slurm data is stale (%s): last refreshed %s ago.", strings.Join(staleKinds, ", "), oldest.Age.Round(time.Second))
		if lastErr != nil {
			text += " slurmrestd: " + lastErr.Error()
		}
		frame.AppendNotices(data.Notice{Severity: data.NoticeSeverityWarning, Text: text})
	}
}

// errorResponse maps an error to a DataResponse: the user's query (400),
// slurmrestd or the snapshot (502, downstream), or us giving up (504).
func (d *Datasource) errorResponse(err error) backend.DataResponse {
	msg := err.Error()
	switch {
	case errors.Is(err, query.ErrInvalid), errors.As(err, new(*capabilityError)), errors.As(err, new(*slurm.NeedsVersionError)):
		return backend.ErrDataResponseWithSource(backend.StatusBadRequest, backend.ErrorSourcePlugin, msg)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return backend.ErrDataResponseWithSource(backend.StatusTimeout, backend.ErrorSourceDownstream, msg)
	case errors.Is(err, cluster.ErrOverBudget):
		return backend.ErrDataResponseWithSource(backend.StatusTooManyRequests, backend.ErrorSourcePlugin, msg)
	case errors.Is(err, cluster.ErrStopped):
		return backend.ErrDataResponseWithSource(backend.StatusInternal, backend.ErrorSourcePlugin, msg)
	default:
		return backend.ErrDataResponseWithSource(backend.StatusBadGateway, backend.ErrorSourceDownstream, msg)
	}
}

// queryShares reads the fairshare tree, fetched on demand and cached (it is
// not part of the refresh loop).
func (d *Datasource) queryShares(ctx context.Context, q backend.DataQuery) backend.DataResponse {
	model, err := query.ParseShares(q.JSON)
	if err != nil {
		return d.errorResponse(err)
	}
	shares, err := d.poller.Shares(ctx)
	if err != nil {
		return d.errorResponse(err)
	}
	frame := model.Frame(shares)
	frame.RefID = q.RefID
	return backend.DataResponse{Frames: data.Frames{frame}}
}
