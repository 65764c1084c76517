package query

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/pending"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// The registry of query types. Each type registers itself from its own file
// (init) with its model's parser; the parsed model says which data it needs
// and builds its frames from that data. The data source (pkg/plugin) runs
// every query the same way: parse → fetch what Needs names → Frames.
// Adding a query type is adding one file and its test.

// Request is what the data source adds to a query's JSON model.
type Request struct {
	MaxRows       int           // jsonData.maxRows: the paging bound of tables (0: DefaultMaxRows)
	From, To      time.Time     // the panel's time range
	Interval      time.Duration // the panel's interval (time series buckets)
	Now           time.Time     // the data source's clock
	DatasourceUID string        // app page links open this data source's cluster
}

// Needs is the data a parsed query reads. The data source fetches exactly
// this, and nothing for a query that did not parse.
type Needs struct {
	// Kinds are snapshot kinds: the first is read (it wakes an idle
	// poller), every one must be within the stale limit, and their age goes
	// into the frames' meta.
	Kinds []cluster.Kind
	// Accounting asks slurmdbd for its jobs (one coalesced, cached call).
	Accounting *slurm.AccountingFilter
	// Shares asks for the fair-share tree (on demand, cached).
	Shares bool
	// Pending asks for the explanations of the snapshot's pending jobs
	// (computed once per snapshot, with slurmdbd's QOS and association
	// limits when it answers).
	Pending bool
	// Explain asks for one pending job's explanation with every fact (the
	// fair-share factor included).
	Explain string
}

// String says what the needs are, for people (README.md's registry table).
func (n Needs) String() string {
	var parts []string
	if len(n.Kinds) > 0 {
		kinds := make([]string, len(n.Kinds))
		for i, k := range n.Kinds {
			kinds[i] = k.String()
		}
		parts = append(parts, "snapshot: "+strings.Join(kinds, ", "))
	}
	if n.Accounting != nil {
		parts = append(parts, "slurmdbd jobs over the range (coalesced, cached)")
	}
	if n.Shares {
		parts = append(parts, "fair-share tree (on demand, cached)")
	}
	if n.Pending {
		parts = append(parts, "pending jobs' explanations (with slurmdbd QOS and associations, cached)")
	}
	if n.Explain != "" {
		parts = append(parts, "one pending job's explanation with its fair-share factor")
	}
	return strings.Join(parts, "; ")
}

// Data is what the data source fetched for a query's Needs.
type Data struct {
	Snapshot    *cluster.Snapshot
	Accounting  []slurm.AccountingJob
	Shares      []slurm.Share
	Pending     PendingSet
	Explanation *pending.Explanation
}

// PendingSet is the explanations of a snapshot's pending jobs and the job
// of each (same order).
type PendingSet struct {
	Explanations []pending.Explanation
	Jobs         []*slurm.Job
}

// Model is a parsed, validated query of one type.
type Model interface {
	// Needs says what to fetch for this query.
	Needs() Needs
	// Frames builds the answer from what was fetched.
	Frames(d Data) (data.Frames, error)
}

// Shared is a model whose frames depend only on one part of the snapshot
// and on the model itself: not on the time range, the clock, the user or
// anything fetched on demand. Viewers reading the same data may then share
// the frames instead of each building them. Source identifies that part of
// the snapshot; it is another value whenever the data is another.
type Shared interface {
	Model
	Source(d Data) any
}

// Type is one query type of the registry.
type Type struct {
	Name string
	// Frame says what the answer looks like (README.md's registry table).
	Frame string
	// Examples are query models shown in README.md; the registry's test
	// parses each one and lists the data it needs.
	Examples []string
	// Feature is what the type's data needs of slurmrestd's API version
	// ("": every version has it).
	Feature slurm.Feature

	model reflect.Type
	parse func(json.RawMessage, Request) (Model, error)
}

// Model names the Go type of the parsed model, e.g. "query.Jobs".
func (t Type) Model() string { return t.model.String() }

// Fields lists the JSON keys of the type's model, embedded filters included.
func (t Type) Fields() []string { return jsonFields(t.model) }

// Parse reads and validates a query of this type.
func (t Type) Parse(raw json.RawMessage, r Request) (Model, error) { return t.parse(raw, r) }

var registry = map[string]Type{}

// register adds a query type; parse is its model's parser. A second
// registration of a name is a programming error.
func register[M Model](t Type, parse func(json.RawMessage, Request) (M, error)) {
	if _, dup := registry[t.Name]; dup || t.Name == "" {
		panic(fmt.Sprintf("query: query type %q registered twice or without a name", t.Name))
	}
	t.model = reflect.TypeFor[M]()
	t.parse = func(raw json.RawMessage, r Request) (Model, error) {
		m, err := parse(raw, r)
		if err != nil {
			return nil, err
		}
		return m, nil
	}
	registry[t.Name] = t
}

// Lookup returns the query type called name.
func Lookup(name string) (Type, bool) {
	t, ok := registry[name]
	return t, ok
}

// Types lists the names of every query type, sorted.
func Types() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Registered lists every query type, sorted by name.
func Registered() []Type {
	out := make([]Type, 0, len(registry))
	for _, n := range Types() {
		out = append(out, registry[n])
	}
	return out
}

// TypeOf finds the query type of a query: Grafana's queryType, else the
// model's own (older clients only put it there). The error names the types.
func TypeOf(queryType string, raw json.RawMessage) (Type, error) {
	if queryType == "" {
		var base Base
		if err := json.Unmarshal(raw, &base); err == nil {
			queryType = base.QueryType
		}
	}
	if queryType == "" {
		return Type{}, queryTypeError("queryType is missing: choose one of " + strings.Join(Types(), ", "))
	}
	t, ok := Lookup(queryType)
	if !ok {
		return Type{}, queryTypeError(fmt.Sprintf("unknown queryType %q: supported query types are %s", queryType, strings.Join(Types(), ", ")))
	}
	return t, nil
}

// queryTypeError is a missing or unknown query type: the query's fault.
type queryTypeError string

func (e queryTypeError) Error() string        { return string(e) }
func (e queryTypeError) Is(target error) bool { return target == ErrInvalid }

// Parse reads and validates a query of the named type.
func Parse(queryType string, raw json.RawMessage, r Request) (Model, error) {
	t, err := TypeOf(queryType, raw)
	if err != nil {
		return nil, err
	}
	return t.Parse(raw, r)
}

// window is the request's time range, for the types that read one.
type window struct {
	from, to time.Time
	interval time.Duration
	now      time.Time
}

// windowOf checks the request's range: the end defaults to now, and the
// start must come before it.
func windowOf(r Request) (window, error) {
	w := window{from: r.From, to: r.To, interval: r.Interval, now: r.Now}
	if w.to.IsZero() {
		w.to = r.Now
	}
	if w.from.IsZero() || !w.to.After(w.from) {
		return w, invalid("timeRange", "must have a start before its end (got %s – %s)", w.from.Format(time.RFC3339), w.to.Format(time.RFC3339))
	}
	return w, nil
}

// one is a single frame as an answer.
func one(f *data.Frame) (data.Frames, error) { return data.Frames{f}, nil }
