package query

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// Annotation kinds.
const (
	AnnotateJobs         = "jobs"
	AnnotateReservations = "reservations"
	AnnotateNodeReasons  = "node_reasons"
)

// TypeAnnotations marks events on graphs.
const TypeAnnotations = "annotations"

func init() {
	register(Type{Name: TypeAnnotations,
		Frame:    "time, timeEnd, title, text, tags (JSON list): job start and end events, reservations as regions, DOWN/DRAIN reasons at reason time",
		Examples: []string{`{"kind":"jobs","users":["alice"],"nodes":["node01"],"jobIds":["5002"]}`, `{"kind":"reservations"}`, `{"kind":"node_reasons"}`},
	}, ParseAnnotations)
}

// Annotations is the "annotations" query: events Grafana draws on graphs —
// job start and end (from accounting over the range), reservations as
// regions, and node DOWN/DRAIN reasons at the time they were set.
type Annotations struct {
	Kind       string     `json:"kind"`
	Users      StringList `json:"users"`
	Partitions StringList `json:"partitions"`
	Nodes      StringList `json:"nodes"`
	JobIDs     StringList `json:"jobIds"`
	jobIDs     map[int64]bool
	w          window
}

// maxAnnotations bounds the events of one answer (graphs cannot show more).
const maxAnnotations = 2000

// ParseAnnotations reads and validates an annotations query.
func ParseAnnotations(raw json.RawMessage, r Request) (Annotations, error) {
	var q Annotations
	if err := decode(raw, &q); err != nil {
		return Annotations{}, err
	}
	var err error
	if q.w, err = windowOf(r); err != nil {
		return Annotations{}, err
	}
	if err := checkUpstreamNames(map[string][]string{"users": q.Users, "partitions": q.Partitions}); err != nil {
		return Annotations{}, err
	}
	switch q.Kind {
	case "":
		q.Kind = AnnotateJobs
	case AnnotateJobs, AnnotateReservations, AnnotateNodeReasons:
	default:
		return Annotations{}, invalid("kind", "is %q: use jobs, reservations or node_reasons", q.Kind)
	}
	ids, err := parseJobIDs(q.JobIDs)
	if err != nil {
		return Annotations{}, err
	}
	q.jobIDs = ids
	return q, nil
}

// Needs reads slurmdbd's jobs of the range (kind jobs), or the snapshot's
// reservations or nodes.
func (q Annotations) Needs() Needs {
	switch q.Kind {
	case AnnotateReservations:
		return Needs{Kinds: []cluster.Kind{cluster.KindReservations}}
	case AnnotateNodeReasons:
		return Needs{Kinds: []cluster.Kind{cluster.KindNodes}}
	}
	f := q.Filter(q.w.from, q.w.to)
	return Needs{Accounting: &f}
}

// Frames answers with the events of the range.
func (q Annotations) Frames(d Data) (data.Frames, error) {
	switch q.Kind {
	case AnnotateReservations:
		return one(q.ReservationsFrame(d.Snapshot.Reservations, q.w.from, q.w.to))
	case AnnotateNodeReasons:
		return one(q.NodeReasonsFrame(d.Snapshot.Nodes, q.w.from, q.w.to))
	}
	return one(q.JobsFrame(d.Accounting, q.w.from, q.w.to))
}

// parseJobIDs accepts numeric ids only, so nothing else reaches Slurm.
func parseJobIDs(in []string) (map[int64]bool, error) {
	if len(in) == 0 {
		return nil, nil
	}
	out := make(map[int64]bool, len(in))
	for _, s := range in {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return nil, invalid("jobIds", "has %q: job ids are positive numbers", s)
		}
		out[id] = true
	}
	return out, nil
}

// Filter is the accounting request of the jobs kind. Job ids go to
// slurmdbd too (as numbers only: parseJobIDs).
func (q Annotations) Filter(from, to time.Time) slurm.AccountingFilter {
	return slurm.AccountingFilter{Start: from, End: to, Users: q.Users, Partitions: q.Partitions, JobIDs: sortedIDs(q.jobIDs)}
}

// sortedIDs lists a job id set in order, so equal filters share one
// accounting call (the cache keys on the filter).
func sortedIDs(set map[int64]bool) []int64 {
	var ids []int64
	for id := range set {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// event is one annotation; end equal to time is a point.
type event struct {
	at, end     time.Time
	title, text string
	tags        []string
}

// JobsFrame makes two events per job: its start and its end.
func (q Annotations) JobsFrame(jobs []slurm.AccountingJob, from, to time.Time) *data.Frame {
	var evs []event
	for i := range jobs {
		j := &jobs[i]
		if !matchAny(q.Users, j.User) ||
			(len(q.Partitions) > 0 && !anyIn(q.Partitions, splitValues([]string{j.Partition}))) ||
			(q.jobIDs != nil && !q.jobIDs[j.JobID]) ||
			(len(q.Nodes) > 0 && !onNodes(q.Nodes, j.NodeList)) {
			continue
		}
		id := accountingID(j)
		tags := []string{"slurm", "job", j.User, j.Partition}
		text := fmt.Sprintf("%s (%s) by %s in %s on %s", j.Name, id, j.User, j.Partition, j.NodeList)
		if start := startedAt(j); inRange(start, from, to) {
			evs = append(evs, event{at: start, end: start, title: "Job " + id + " started", text: text, tags: append(tags, "start")})
		}
		if end := endedAt(j); inRange(end, from, to) {
			evs = append(evs, event{at: end, end: end, title: "Job " + id + " " + j.State.String(), text: text, tags: append(cloneStrings(tags), "end", j.State.Base)})
		}
	}
	return eventsFrame(evs)
}

// ReservationsFrame makes one region per reservation overlapping the range.
func (q Annotations) ReservationsFrame(res []slurm.Reservation, from, to time.Time) *data.Frame {
	var evs []event
	for _, r := range res {
		if (!r.EndTime.IsZero() && r.EndTime.Before(from)) || r.StartTime.After(to) {
			continue
		}
		if len(q.Partitions) > 0 && !matchAny(q.Partitions, r.Partition) {
			continue
		}
		if len(q.Nodes) > 0 && !onNodes(q.Nodes, r.Nodes) {
			continue
		}
		evs = append(evs, event{at: r.StartTime, end: r.EndTime, title: "Reservation " + r.Name,
			text: fmt.Sprintf("%s on %s (users %s, accounts %s)", r.Name, r.Nodes, r.Users, r.Accounts),
			tags: []string{"slurm", "reservation", r.Name}})
	}
	return eventsFrame(evs)
}

// NodeReasonsFrame marks when a DOWN or DRAIN node's reason was set.
func (q Annotations) NodeReasonsFrame(nodes []slurm.Node, from, to time.Time) *data.Frame {
	var evs []event
	for i := range nodes {
		n := &nodes[i]
		if !stateMatches([]string{"DOWN", "DRAIN", "DRAINED", "DRAINING", "FAIL"}, n.State) || !inRange(n.ReasonTime, from, to) {
			continue
		}
		if !matchAny(q.Nodes, n.Name) || (len(q.Partitions) > 0 && !anyIn(q.Partitions, n.Partitions)) {
			continue
		}
		text := n.Reason
		if n.ReasonSetBy != "" {
			text += " (set by " + n.ReasonSetBy + ")"
		}
		evs = append(evs, event{at: n.ReasonTime, end: n.ReasonTime, title: n.Name + " " + n.State.String(), text: text,
			tags: []string{"slurm", "node", n.Name, n.State.Base}})
	}
	return eventsFrame(evs)
}

func inRange(t, from, to time.Time) bool {
	return !t.IsZero() && !t.Before(from) && !t.After(to)
}

func cloneStrings(s []string) []string { return append([]string(nil), s...) }

// eventsFrame is the frame shape Grafana reads annotations from: time,
// timeEnd, title, text, tags (a JSON list).
func eventsFrame(evs []event) *data.Frame {
	if len(evs) > maxAnnotations {
		evs = evs[:maxAnnotations]
	}
	n := len(evs)
	at, end := col[time.Time](n), col[time.Time](n)
	title, text := col[string](n), col[string](n)
	tags := col[json.RawMessage](n)
	for i, e := range evs {
		at[i], end[i], title[i], text[i] = e.at.UTC(), e.end.UTC(), e.title, e.text
		if e.end.IsZero() {
			end[i] = e.at.UTC()
		}
		var clean []string
		for _, t := range e.tags {
			if t = strings.TrimSpace(t); t != "" {
				clean = append(clean, t)
			}
		}
		tags[i], _ = json.Marshal(clean)
	}
	return data.NewFrame("annotations",
		data.NewField("time", nil, at),
		data.NewField("timeEnd", nil, end),
		data.NewField("title", nil, title),
		data.NewField("text", nil, text),
		data.NewField("tags", nil, tags),
	)
}
