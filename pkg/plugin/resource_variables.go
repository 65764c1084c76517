package plugin

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/query"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// variableOption is one value of a template variable or filter drop-down.
type variableOption struct {
	Text  string `json:"text"`
	Value string `json:"value"`
}

// variableSource lists the values of one variable kind from the snapshot.
type variableSource struct {
	kind   cluster.Kind
	values func(s *cluster.Snapshot, q url.Values) []string
}

// variableKinds are the kinds served under variables/<kind>, all read from
// the snapshot (no call to slurmrestd of their own).
var variableKinds = map[string]variableSource{
	"partitions": {cluster.KindPartitions, func(s *cluster.Snapshot, _ url.Values) []string {
		out := make([]string, 0, len(s.Partitions))
		for _, p := range s.Partitions {
			out = append(out, p.Name)
		}
		return out
	}},
	"nodes": {cluster.KindNodes, func(s *cluster.Snapshot, q url.Values) []string {
		partition, state := q.Get("partition"), strings.ToUpper(q.Get("state"))
		var out []string
		for _, n := range s.Nodes {
			if (partition == "" || slices.Contains(n.Partitions, partition)) && (state == "" || n.State.Has(state)) {
				out = append(out, n.Name)
			}
		}
		return out
	}},
	"users":    jobValues(func(j *slurm.Job) []string { return []string{j.User} }),
	"accounts": jobValues(func(j *slurm.Job) []string { return []string{j.Account} }),
	"qos":      jobValues(func(j *slurm.Job) []string { return []string{j.QOS} }),
	"reasons":  jobValues(func(j *slurm.Job) []string { return []string{j.Reason} }),
	"states": {cluster.KindJobs, func(s *cluster.Snapshot, q url.Values) []string {
		// Job and node filters both match a base state or a flag, so one list
		// serves both pages; ?of=jobs or ?of=nodes narrows it.
		of := q.Get("of")
		var out []string
		if of != "nodes" {
			for _, j := range s.Jobs {
				out = append(append(out, j.State.Base), j.State.Flags...)
			}
		}
		if of != "jobs" {
			for _, n := range s.Nodes {
				out = append(append(out, n.State.Base), n.State.Flags...)
			}
		}
		return out
	}},
	"reservations": {cluster.KindReservations, func(s *cluster.Snapshot, _ url.Values) []string {
		out := make([]string, 0, len(s.Reservations))
		for _, r := range s.Reservations {
			out = append(out, r.Name)
		}
		return out
	}},
	"features": {cluster.KindNodes, func(s *cluster.Snapshot, _ url.Values) []string {
		var out []string
		for _, n := range s.Nodes {
			out = append(append(out, n.Features...), n.ActiveFeatures...)
		}
		return out
	}},
}

func jobValues(pick func(*slurm.Job) []string) variableSource {
	return variableSource{cluster.KindJobs, func(s *cluster.Snapshot, _ url.Values) []string {
		var out []string
		for i := range s.Jobs {
			out = append(out, pick(&s.Jobs[i])...)
		}
		return out
	}}
}

// handleVariable answers GET variables/<kind> with the distinct, sorted
// values of that kind as [{text, value}].
func (d *Datasource) handleVariable(w http.ResponseWriter, r *http.Request) {
	kind := r.PathValue("kind")
	src, ok := variableKinds[kind]
	if !ok {
		names := make([]string, 0, len(variableKinds))
		for k := range variableKinds {
			names = append(names, k)
		}
		sort.Strings(names)
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "unknown variable kind " + quote(kind) + ": use one of " + strings.Join(names, ", ")})
		return
	}
	values, err := d.variableValues(r.Context(), kind, src, r.URL.Query())
	if err != nil {
		writeJSON(w, http.StatusBadGateway, map[string]string{"error": err.Error()})
		return
	}
	options := make([]variableOption, 0, len(values))
	for _, v := range values {
		options = append(options, variableOption{Text: v, Value: v})
	}
	writeJSON(w, http.StatusOK, options)
}

// variableValues are the distinct, sorted, non-empty values of one kind;
// the resource route and the "variables" query type share it.
func (d *Datasource) variableValues(ctx context.Context, kind string, src variableSource, q url.Values) ([]string, error) {
	snap, _, err := d.poller.Read(ctx, src.kind)
	if err != nil {
		return nil, err
	}
	if kind == "states" {
		// The state list also uses the nodes; make sure they are usable too.
		if _, err := d.poller.Freshness(snap, cluster.KindNodes); err != nil {
			return nil, err
		}
	}
	values := src.values(snap, q)
	sort.Strings(values)
	values = slices.Compact(values)
	return slices.DeleteFunc(values, func(v string) bool { return v == "" }), nil
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

// queryVariables answers a "variables" query with a text/value frame, the
// shape Grafana's variable support reads.
func (d *Datasource) queryVariables(ctx context.Context, q backend.DataQuery) backend.DataResponse {
	kinds := make([]string, 0, len(variableKinds))
	for k := range variableKinds {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	model, err := query.ParseVariables(q.JSON, kinds)
	if err != nil {
		return d.errorResponse(err)
	}
	params := url.Values{}
	for k, v := range map[string]string{"partition": model.Partition, "state": model.State, "of": model.Of} {
		if v != "" {
			params.Set(k, v)
		}
	}
	values, err := d.variableValues(ctx, model.Kind, variableKinds[model.Kind], params)
	if err != nil {
		return d.errorResponse(err)
	}
	frame := data.NewFrame("variables",
		data.NewField("text", nil, values),
		data.NewField("value", nil, slices.Clone(values)))
	frame.RefID = q.RefID
	return backend.DataResponse{Frames: data.Frames{frame}}
}
