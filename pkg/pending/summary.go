package pending

import (
	"fmt"
	"strings"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// summary is the one line the job list shows.
func summary(j *slurm.Job, e *Explanation) string {
	switch e.Category {
	case Impossible:
		return "Can never start as submitted: " + e.Blockers[0]
	case Reservation:
		if e.Reservation != nil {
			return e.Reservation.Text
		}
	case Limit:
		if e.Limit != nil && e.Limit.Text != "" {
			return e.Limit.Text
		}
	case Dependency:
		if len(e.Dependencies) > 0 {
			texts := make([]string, len(e.Dependencies))
			for i, d := range e.Dependencies {
				texts[i] = d.Text
			}
			return strings.Join(texts, " ")
		}
	case Held:
		return heldSummary(j, e)
	case Priority:
		if e.Queue != nil {
			return e.Queue.Text + expected(e)
		}
	case Resources:
		return resourcesSummary(j, e)
	case Other:
		if e.Detail != "" {
			return e.Meaning + " (" + e.Detail + ")"
		}
	}
	return e.Meaning + expected(e)
}

func expected(e *Explanation) string {
	if e.ExpectedStart.IsZero() {
		return ""
	}
	return " Slurm expects it to start " + stamp(e.ExpectedStart) + "."
}

func heldSummary(j *slurm.Job, e *Explanation) string {
	switch j.Reason {
	case "JobHeldUser":
		return fmt.Sprintf("Held by its owner %s; it starts only once released (scontrol release %s).", j.User, j.ID)
	case "JobHeldAdmin":
		return fmt.Sprintf("Held by an administrator; only an administrator can release it (scontrol release %s).", j.ID)
	case "BeginTime":
		if !j.EligibleTime.IsZero() {
			return fmt.Sprintf("Submitted to start no earlier than %s (--begin).", stamp(j.EligibleTime))
		}
	}
	return e.Meaning
}

func resourcesSummary(j *slurm.Job, e *Explanation) string {
	p := e.Partition
	switch {
	case j.Reason == "Licenses" && e.Request.Licenses != "":
		return "Waits for the licenses " + e.Request.Licenses + ", in use by other jobs." + expected(e)
	case p == nil:
		return e.Meaning + expected(e)
	case p.State != "" && p.State != "UP":
		return fmt.Sprintf("Partition %s is %s: no job starts there until it is UP again.", p.Name, p.State)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Waits for %s: %s has %s", e.Request.describe(), p.Name, plural(p.IdleCPUs, "idle CPU", "idle CPUs"))
	if e.Request.GPUs > 0 || p.TotalGPUs > 0 {
		fmt.Fprintf(&b, " and %s", plural(p.IdleGPUs, "idle GPU", "idle GPUs"))
	}
	fmt.Fprintf(&b, " on %s", plural(p.UsableNodes, "usable node", "usable nodes"))
	if p.NodesWithRoom >= 0 {
		fmt.Fprintf(&b, "; %s room for one node of it", plural(p.NodesWithRoom, "node has", "nodes have"))
	}
	b.WriteString(".")
	if rf := e.Reservation; rf != nil && (rf.Active || rf.CrossesStart) {
		b.WriteString(" " + rf.Text)
	}
	return b.String() + expected(e)
}

// help states what would let the job start sooner, as facts from the data.
func (ix *Index) help(j *slurm.Job, e *Explanation, detail bool) []string {
	var out []string
	r := e.Request
	if rf := e.Reservation; rf != nil && rf.CrossesStart && rf.FitsBefore > 0 {
		out = append(out, fmt.Sprintf("A time limit of at most %s ends before reservation %s starts.", duration(rf.FitsBefore), rf.Name))
	}
	if p := e.Partition; p != nil {
		if r.GPUsPerNode > p.MaxGPUsPerNode && p.MaxGPUsPerNode > 0 {
			out = append(out, fmt.Sprintf("Nodes of %s have at most %d GPUs: up to %d GPUs per node fit on one node.", p.Name, p.MaxGPUsPerNode, p.MaxGPUsPerNode))
		}
		if r.CPUsPerNode > p.MaxCPUsPerNode && p.MaxCPUsPerNode > 0 {
			out = append(out, fmt.Sprintf("Nodes of %s offer at most %d CPUs: spreading the job over more nodes keeps each within that.", p.Name, p.MaxCPUsPerNode))
		}
		if tl, ok := r.TimeLimit.Get(); ok {
			if mt, ok := p.MaxTime.Get(); ok && tl > mt {
				out = append(out, fmt.Sprintf("Partition %s accepts time limits up to %s.", p.Name, duration(mt)))
			}
		}
		if r.Nodes > p.Nodes && p.Nodes > 0 {
			out = append(out, fmt.Sprintf("Partition %s has %s in all.", p.Name, plural(p.Nodes, "node", "nodes")))
		}
	}
	for _, d := range e.Dependencies {
		if d.Type == "afterok" && (d.State == "FAILED" || d.State == "CANCELLED" || d.State == "TIMEOUT" || d.State == "NODE_FAIL" || d.State == "OUT_OF_MEMORY") {
			out = append(out, fmt.Sprintf("Job %s ended %s, so afterok on it can never be met.", d.JobID, d.State))
		}
	}
	if detail && (e.Category == Resources || e.Category == Priority || e.Category == Impossible || e.Category == Reservation) {
		out = append(out, ix.partitionsWithRoom(j, r)...)
	}
	return out
}

// partitionsWithRoom names the other partitions whose nodes have room for
// the whole job now and whose limits accept it (a fact about the cluster,
// not a promise the user may submit there).
func (ix *Index) partitionsWithRoom(j *slurm.Job, r Request) []string {
	own := map[string]bool{}
	for _, p := range jobPartitions(j) {
		own[p] = true
	}
	var out []string
	for i := range ix.c.Partitions {
		name := ix.c.Partitions[i].Name
		pi := ix.parts[name]
		if own[name] || pi == nil || (pi.facts.State != "" && pi.facts.State != "UP") {
			continue
		}
		if len(ix.partitionBlockers(r, pi)) > 0 {
			continue
		}
		if n := pi.nodesWithRoom(r); n >= r.Nodes {
			need := plural(r.CPUsPerNode, "idle CPU", "idle CPUs")
			if r.GPUsPerNode > 0 {
				need += ", " + plural(r.GPUsPerNode, "idle GPU", "idle GPUs")
			}
			if r.MemoryPerNode > 0 {
				need += " and " + memory(r.MemoryPerNode) + " free"
			}
			out = append(out, fmt.Sprintf("Partition %s has room for it now: %s with at least %s each.", name, plural(n, "node", "nodes"), need))
		}
	}
	return out
}
