package pending

import (
	"fmt"
	"strings"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// ErrNotFound and ErrNotPending are returned by Explain.
var (
	ErrNotFound   = fmt.Errorf("no such job in slurmctld's list")
	ErrNotPending = fmt.Errorf("the job is not pending")
)

// Explain explains one job, by squeue's id ("123", "123_4", "123_[3-6%2]")
// or Slurm's numeric job id, with every fact including the per-node scans.
func (ix *Index) Explain(id string) (Explanation, error) {
	i, ok := ix.lookup(strings.TrimSpace(id))
	if !ok {
		return Explanation{}, fmt.Errorf("job %s: %w", id, ErrNotFound)
	}
	j := &ix.c.Jobs[i]
	if j.State.Base != "PENDING" {
		return Explanation{}, fmt.Errorf("job %s is %s: %w", id, j.State.Base, ErrNotPending)
	}
	return ix.explain(i, true), nil
}

func (ix *Index) explain(i int, detail bool) Explanation {
	j := &ix.c.Jobs[i]
	reason, _ := LookupReason(j.Reason)
	e := Explanation{
		JobID: j.ID, Name: j.Name, User: j.User, Reason: j.Reason, Category: reason.Category, Meaning: reason.Meaning,
		Request: requestOf(j), CanEverStart: true,
	}
	x := j.Extra()
	if d := strings.TrimSpace(x.StateDesc); d != "" && d != j.Reason {
		e.Detail = d
	}
	r := e.Request
	if pi := ix.parts[jobPartitions(j)[0]]; pi != nil {
		// The list shares the partition's facts between its jobs (read
		// only); one job's explanation adds its own count of nodes with room.
		e.Partition = &pi.facts
		if detail {
			pf := pi.facts
			pf.NodesWithRoom = pi.nodesWithRoom(r)
			e.Partition = &pf
		}
		e.Blockers = append(e.Blockers, ix.partitionBlockers(r, pi)...)
	} else {
		e.Notes = append(e.Notes, "Partition "+j.Partition+" is not in slurmctld's partition list.")
	}
	e.Blockers = append(e.Blockers, ix.limitBlockers(j, r)...)
	if ix.c.QOS == nil || ix.c.Associations == nil {
		e.Notes = append(e.Notes, "QOS and association limits are not known (slurmdbd's answer is not available), so limits are not checked.")
	}
	if reason.Limit != nil {
		var notes []string
		e.Limit, notes = ix.limitFact(j, r, *reason.Limit)
		e.Notes = append(e.Notes, notes...)
	}
	if x.Dependency != "" {
		e.Dependencies = ix.dependencies(x.Dependency)
	}
	e.Reservation = ix.reservationFact(j, r)
	if j.Reason == "ReqNodeNotAvail" && strings.Contains(strings.ToLower(e.Detail), "reserved for maintenance") ||
		e.Category == Resources && e.Reservation != nil && e.Reservation.Maintenance && e.Reservation.CrossesStart && j.Reason == "ReqNodeNotAvail" {
		e.Category = Reservation
	}
	if qf, ok := ix.queuePos[i]; ok {
		qf.FairShare = ix.fairShare(j)
		qf.Text = queueText(qf, jobPartitions(j)[0])
		e.Queue = &qf
	}
	if !j.StartTime.IsZero() {
		e.ExpectedStart = j.StartTime
	}
	if reason.Category == Impossible && len(e.Blockers) == 0 {
		text := reason.Meaning
		if e.Limit != nil && e.Limit.Text != "" {
			text = e.Limit.Text
		}
		e.Blockers = []string{text}
	}
	if len(e.Blockers) > 0 {
		e.CanEverStart = false
		e.Category = Impossible
	}
	e.Help = ix.help(j, &e, detail)
	e.Summary = summary(j, &e)
	return e
}

// fairShare is the user's fair-share factor in the job's account (shares
// are per association; the partition-less row is the one used by default).
func (ix *Index) fairShare(j *slurm.Job) slurm.Float {
	var best slurm.Float
	for _, s := range ix.c.Shares {
		if s.User && s.Name == j.User && s.Parent == j.Account {
			if s.Partition == "" || s.Partition == j.Partition {
				best = s.FairshareFactor
				if s.Partition == j.Partition {
					break
				}
			}
		}
	}
	return best
}

func asks(n int) string {
	if n == 1 {
		return "asks"
	}
	return "ask"
}

func queueText(q QueueFact, part string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s of %d jobs waiting in %s", ordinal(q.Rank), q.Of, part)
	switch {
	case q.AheadSame == 0:
		fmt.Fprintf(&b, "; no job ahead asks for %s", q.Kind)
	case q.Kind == "GPUs":
		fmt.Fprintf(&b, "; %s ahead %s for GPUs (%d GPUs, %d CPUs)", plural(int64(q.AheadSame), "job", "jobs"), asks(q.AheadSame), q.AheadGPUs, q.AheadCPUs)
	default:
		fmt.Fprintf(&b, "; %s ahead %s for CPUs only (%d CPUs)", plural(int64(q.AheadSame), "job", "jobs"), asks(q.AheadSame), q.AheadCPUs)
	}
	if p, ok := q.Priority.Get(); ok {
		fmt.Fprintf(&b, "; priority %d", p)
	}
	if f, ok := q.FairShare.Get(); ok {
		fmt.Fprintf(&b, ", fair-share factor %.3f", f)
	}
	return b.String() + "."
}
