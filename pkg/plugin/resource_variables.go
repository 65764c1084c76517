package plugin

import (
	"net/http"
	"slices"
	"sort"
	"strings"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
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
	values func(s *cluster.Snapshot, r *http.Request) []string
}

// variableKinds are the kinds served under variables/<kind>, all read from
// the snapshot (no call to slurmrestd of their own).
var variableKinds = map[string]variableSource{
	"partitions": {cluster.KindPartitions, func(s *cluster.Snapshot, _ *http.Request) []string {
		out := make([]string, 0, len(s.Partitions))
		for _, p := range s.Partitions {
			out = append(out, p.Name)
		}
		return out
	}},
	"nodes": {cluster.KindNodes, func(s *cluster.Snapshot, r *http.Request) []string {
		partition, state := r.URL.Query().Get("partition"), strings.ToUpper(r.URL.Query().Get("state"))
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
	"states": {cluster.KindJobs, func(s *cluster.Snapshot, r *http.Request) []string {
		// Job and node filters both match a base state or a flag, so one list
		// serves both pages; ?of=jobs or ?of=nodes narrows it.
		of := r.URL.Query().Get("of")
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
	"reservations": {cluster.KindReservations, func(s *cluster.Snapshot, _ *http.Request) []string {
		out := make([]string, 0, len(s.Reservations))
		for _, r := range s.Reservations {
			out = append(out, r.Name)
		}
		return out
	}},
	"features": {cluster.KindNodes, func(s *cluster.Snapshot, _ *http.Request) []string {
		var out []string
		for _, n := range s.Nodes {
			out = append(append(out, n.Features...), n.ActiveFeatures...)
		}
		return out
	}},
}

func jobValues(pick func(*slurm.Job) []string) variableSource {
	return variableSource{cluster.KindJobs, func(s *cluster.Snapshot, _ *http.Request) []string {
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
	snap, _, err := d.poller.Read(r.Context(), src.kind)
	if err != nil {
		writeJSON(w, http.StatusBadGateway, map[string]string{"error": d.scrub(err.Error())})
		return
	}
	if kind == "states" {
		// The state list also uses the nodes; make sure they are usable too.
		if _, err := d.poller.Freshness(snap, cluster.KindNodes); err != nil {
			writeJSON(w, http.StatusBadGateway, map[string]string{"error": d.scrub(err.Error())})
			return
		}
	}
	values := src.values(snap, r)
	sort.Strings(values)
	values = slices.Compact(values)
	options := make([]variableOption, 0, len(values))
	for _, v := range values {
		if v != "" {
			options = append(options, variableOption{Text: v, Value: v})
		}
	}
	writeJSON(w, http.StatusOK, options)
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }
