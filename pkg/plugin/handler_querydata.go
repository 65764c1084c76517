package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/query"
)

// maxQueryBytes bounds one query's JSON model.
const maxQueryBytes = 64 << 10

// QueryData answers every query the same way, whatever its type: the
// registry (pkg/query) finds the type and parses the model, the model says
// what it needs, fetch reads that from the shared snapshot or the poller's
// on-demand caches, and the model builds the frames. Panels, variables and
// alert rules never cause calls to slurmrestd of their own.
//
// The registry plays the part of the SDK's QueryTypeMux, but the queries
// are answered in the request's order: the mux groups them by type and runs
// the groups in map order, which would make the queries that the per-request
// slurmdbd budget serves depend on chance.
func (d *Datasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	resp := backend.NewQueryDataResponse()
	// However many queries the request holds, it reaches slurmdbd for a
	// bounded number of distinct accounting filters.
	ctx = cluster.WithRequestBudget(ctx, cluster.MaxAccountingPerRequest)
	for _, q := range req.Queries {
		resp.Responses[q.RefID] = d.answer(ctx, q)
	}
	// The one place where query answers leave the backend: whatever an
	// upstream error repeated, no secret goes out.
	d.redact.queryResponse(resp)
	return resp, nil
}

// answer runs one query: type, capability, model, data, frames.
func (d *Datasource) answer(ctx context.Context, q backend.DataQuery) (resp backend.DataResponse) {
	defer func() {
		if r := recover(); r != nil {
			resp = errorResponse(panicError{recovered(d.logger, "query "+q.RefID, r)})
		}
	}()
	// A query model is a few hundred bytes; refusing a huge one before parsing
	// it keeps a pasted blob from costing memory (and slurmrestd nothing).
	if len(q.JSON) > maxQueryBytes {
		return errorResponse(fmt.Errorf("%w: the query is %d bytes: the limit is %d", query.ErrInvalid, len(q.JSON), maxQueryBytes))
	}
	typ, err := query.TypeOf(q.QueryType, q.JSON)
	if err != nil {
		return errorResponse(err)
	}
	if err := d.checkCapability(ctx, typ); err != nil {
		return errorResponse(err)
	}
	model, err := typ.Parse(q.JSON, query.Request{MaxRows: d.settings.MaxRows, From: q.TimeRange.From, To: q.TimeRange.To,
		Interval: q.Interval, Now: d.now(), DatasourceUID: d.uid})
	if err != nil {
		return errorResponse(err)
	}
	in, err := d.fetch(ctx, model.Needs())
	if err != nil {
		return errorResponse(err)
	}
	frames, err := d.frames(typ.Name, model, q.JSON, in.Data)
	if err != nil {
		return errorResponse(err)
	}
	for _, f := range frames {
		f.RefID = q.RefID
		if len(in.fresh) > 0 {
			annotateFreshness(f, in.fresh)
		}
		if len(in.notices) > 0 {
			f.AppendNotices(in.notices...)
		}
	}
	return backend.DataResponse{Frames: frames}
}

// frames builds the model's frames, or shares them with the viewers who
// asked the same of the same data (sharedFrames).
func (d *Datasource) frames(typ string, model query.Model, raw json.RawMessage, in query.Data) (data.Frames, error) {
	shared, ok := model.(query.Shared)
	if !ok || in.Snapshot == nil {
		return model.Frames(in)
	}
	key, ok := queryKey(raw)
	if !ok {
		return model.Frames(in)
	}
	return d.shared.get(typ, key, shared.Source(in), func() (data.Frames, error) { return model.Frames(in) })
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
