package query

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// TypeVariables serves template variables through QueryData (Grafana's
// metricFindQuery path); the app's filters use the variables/<kind>
// resource route, which answers from the same table.
const TypeVariables = "variables"

func init() {
	register(Type{Name: TypeVariables,
		Frame:    "text, value: the distinct values of one kind (the kinds of the `variables/<kind>` route), sorted",
		Examples: []string{`{"kind":"nodes","partition":"gpu","state":"IDLE"}`, `{"kind":"states","of":"jobs"}`},
	}, ParseVariables)
}

// Variables is the "variables" query: the values of one kind.
type Variables struct {
	Kind      string `json:"kind"`
	Partition string `json:"partition"` // nodes only
	State     string `json:"state"`     // nodes only
	Of        string `json:"of"`        // states only: jobs or nodes
}

// ParseVariables reads and validates a variables query.
func ParseVariables(raw json.RawMessage, _ Request) (Variables, error) {
	var q Variables
	if err := decode(raw, &q); err != nil {
		return Variables{}, err
	}
	if _, ok := variableKinds[q.Kind]; !ok {
		return Variables{}, invalid("kind", "is %q: use one of %s", q.Kind, strings.Join(VariableKinds(), ", "))
	}
	if q.Of != "" && q.Of != "jobs" && q.Of != "nodes" {
		return Variables{}, invalid("of", "is %q: use jobs or nodes", q.Of)
	}
	return q, nil
}

// Needs reads the snapshot kinds the variable's values come from.
func (q Variables) Needs() Needs { return Needs{Kinds: variableKinds[q.Kind].kinds} }

// Frames answers with a text/value frame, the shape Grafana's variable
// support reads.
func (q Variables) Frames(d Data) (data.Frames, error) {
	params := url.Values{}
	for k, v := range map[string]string{"partition": q.Partition, "state": q.State, "of": q.Of} {
		if v != "" {
			params.Set(k, v)
		}
	}
	values := VariableValues(q.Kind, d.Snapshot, params)
	return one(data.NewFrame("variables",
		data.NewField("text", nil, values),
		data.NewField("value", nil, slices.Clone(values))))
}

// variableSource lists the values of one variable kind from the snapshot.
type variableSource struct {
	kinds  []cluster.Kind // what the values are read from
	values func(s *cluster.Snapshot, q url.Values) []string
}

// variableKinds are the kinds of template variables and filter drop-downs,
// all read from the snapshot (no call to slurmrestd of their own).
var variableKinds = map[string]variableSource{
	"partitions": {[]cluster.Kind{cluster.KindPartitions}, func(s *cluster.Snapshot, _ url.Values) []string {
		out := make([]string, 0, len(s.Partitions))
		for _, p := range s.Partitions {
			out = append(out, p.Name)
		}
		return out
	}},
	"nodes": {[]cluster.Kind{cluster.KindNodes}, func(s *cluster.Snapshot, q url.Values) []string {
		partition, state := q.Get("partition"), strings.ToUpper(q.Get("state"))
		var out []string
		for _, n := range s.Nodes {
			if (partition == "" || slices.Contains(n.Partitions, partition)) && (state == "" || n.State.Has(state)) {
				out = append(out, n.Name)
			}
		}
		return out
	}},
	"users":    jobValues(cluster.LabelUser, func(j *slurm.Job) []string { return []string{j.User} }),
	"accounts": jobValues(cluster.LabelAccount, func(j *slurm.Job) []string { return []string{j.Account} }),
	"qos":      jobValues(cluster.LabelQOS, func(j *slurm.Job) []string { return []string{j.QOS} }),
	"reasons":  jobValues(cluster.LabelReason, func(j *slurm.Job) []string { return []string{j.Reason} }),
	// Job and node filters both match a base state or a flag, so one list
	// serves both pages; of=jobs or of=nodes narrows it.
	"states": {[]cluster.Kind{cluster.KindJobs, cluster.KindNodes}, func(s *cluster.Snapshot, q url.Values) []string {
		of := q.Get("of")
		var out []string
		if of != "nodes" {
			for _, cl := range s.JobIndex().ClassesBy(cluster.LabelState) {
				out = append(append(out, cl.Job.State.Base), cl.Job.State.Flags...)
			}
		}
		if of != "jobs" {
			for _, n := range s.Nodes {
				out = append(append(out, n.State.Base), n.State.Flags...)
			}
		}
		return out
	}},
	"reservations": {[]cluster.Kind{cluster.KindReservations}, func(s *cluster.Snapshot, _ url.Values) []string {
		out := make([]string, 0, len(s.Reservations))
		for _, r := range s.Reservations {
			out = append(out, r.Name)
		}
		return out
	}},
	"features": {[]cluster.Kind{cluster.KindNodes}, func(s *cluster.Snapshot, _ url.Values) []string {
		var out []string
		for _, n := range s.Nodes {
			out = append(append(out, n.Features...), n.ActiveFeatures...)
		}
		return out
	}},
}

// jobValues lists a label's values from one job per distinct value (the
// index's classes by that label), not from every job.
func jobValues(label cluster.JobLabels, pick func(*slurm.Job) []string) variableSource {
	return variableSource{[]cluster.Kind{cluster.KindJobs}, func(s *cluster.Snapshot, _ url.Values) []string {
		var out []string
		for _, cl := range s.JobIndex().ClassesBy(label) {
			out = append(out, pick(cl.Job)...)
		}
		return out
	}}
}

// VariableKinds lists the variable kinds, sorted.
func VariableKinds() []string {
	kinds := make([]string, 0, len(variableKinds))
	for k := range variableKinds {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	return kinds
}

// VariableNeeds is the snapshot kinds a variable kind reads (nil: no such kind).
func VariableNeeds(kind string) []cluster.Kind { return variableKinds[kind].kinds }

// VariableValues are the distinct, sorted, non-empty values of one kind in
// the snapshot; params narrow them (partition, state, of).
func VariableValues(kind string, snap *cluster.Snapshot, params url.Values) []string {
	src, ok := variableKinds[kind]
	if !ok {
		return nil
	}
	values := src.values(snap, params)
	slices.Sort(values)
	values = slices.Compact(values)
	return slices.DeleteFunc(values, func(v string) bool { return v == "" })
}
