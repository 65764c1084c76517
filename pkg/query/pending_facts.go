package query

import (
	"fmt"
	"strconv"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/pending"
)

// FactsFrame lays one job's explanation out as rows of section, fact and
// value, in the order the job page reads them, for a dashboard table.
func FactsFrame(e *pending.Explanation) *data.Frame {
	var section, fact, value []string
	add := func(s, f, v string) {
		if v == "" {
			return
		}
		section, fact, value = append(section, s), append(fact, f), append(value, v)
	}
	num := func(v int64) string { return strconv.FormatInt(v, 10) }
	add("Why", "Category", e.Category.Title())
	add("Why", "Explanation", e.Summary)
	add("Why", "Slurm reason", e.Reason)
	add("Why", "Slurm's text", e.Detail)
	add("Why", "What the reason means", e.Meaning)
	if e.CanEverStart {
		add("Why", "Can ever start", "yes")
	} else {
		add("Why", "Can ever start", "no")
	}
	for _, b := range e.Blockers {
		add("Why", "Never starts because", b)
	}
	if !e.ExpectedStart.IsZero() {
		add("Why", "Slurm's expected start", e.ExpectedStart.UTC().Format(time.RFC3339))
	}
	r := e.Request
	add("Request", "Partition", r.Partition)
	add("Request", "QOS", r.QOS)
	add("Request", "Account", r.Account)
	add("Request", "Nodes", num(r.Nodes))
	add("Request", "CPUs", fmt.Sprintf("%d (%d per node)", r.CPUs, r.CPUsPerNode))
	if r.GPUs > 0 {
		add("Request", "GPUs", fmt.Sprintf("%d (%d per node)", r.GPUs, r.GPUsPerNode))
	}
	if r.MemoryMB > 0 {
		add("Request", "Memory", fmt.Sprintf("%d MB (%d MB per node)", r.MemoryMB, r.MemoryPerNode))
	}
	if tl, ok := r.TimeLimit.Get(); ok {
		add("Request", "Time limit", fmt.Sprintf("%d min", tl))
	} else if r.TimeLimit.IsUnlimited() {
		add("Request", "Time limit", "unlimited")
	}
	add("Request", "Features", r.Features)
	add("Request", "Licenses", r.Licenses)
	add("Request", "Reservation", r.Reservation)
	add("Request", "Node list", r.RequiredNodes)
	if p := e.Partition; p != nil {
		add("Partition", "State", p.State)
		add("Partition", "Nodes (usable now)", fmt.Sprintf("%d (%d)", p.Nodes, p.UsableNodes))
		if p.NodesWithRoom >= 0 {
			add("Partition", "Nodes with room for one node of the job", num(p.NodesWithRoom))
		}
		add("Partition", "Idle CPUs / total", fmt.Sprintf("%d / %d", p.IdleCPUs, p.TotalCPUs))
		if p.TotalGPUs > 0 {
			add("Partition", "Idle GPUs / total", fmt.Sprintf("%d / %d", p.IdleGPUs, p.TotalGPUs))
		}
		add("Partition", "Free memory", fmt.Sprintf("%d MB", p.FreeMemoryMB))
		add("Partition", "Largest node", fmt.Sprintf("%d CPUs, %d GPUs, %d MB", p.MaxCPUsPerNode, p.MaxGPUsPerNode, p.MaxMemPerNodeMB))
		if mt, ok := p.MaxTime.Get(); ok {
			add("Partition", "Max time", fmt.Sprintf("%d min", mt))
		}
	}
	if l := e.Limit; l != nil {
		add("Limit", "Limit", LimitLabel(e))
		add("Limit", "Value", amountText(l.Limit, l.Unit))
		add("Limit", "In use", amountText(l.Used, l.Unit))
		add("Limit", "Counted over", l.UsedBy)
		add("Limit", "Explanation", l.Text)
	}
	for _, d := range e.Dependencies {
		add("Dependency", d.Type+" "+d.JobID, d.Text)
	}
	if rf := e.Reservation; rf != nil {
		add("Reservation", rf.Name, rf.Text)
	}
	if q := e.Queue; q != nil {
		add("Queue", "Rank", fmt.Sprintf("%d of %d", q.Rank, q.Of))
		add("Queue", "Jobs ahead asking for "+q.Kind, num(int64(q.AheadSame)))
		if f, ok := q.FairShare.Get(); ok {
			add("Queue", "Fair-share factor", strconv.FormatFloat(f, 'f', 3, 64))
		}
		add("Queue", "Explanation", q.Text)
	}
	for _, h := range e.Help {
		add("What would help", "Fact", h)
	}
	for _, n := range e.Notes {
		add("Notes", "Note", n)
	}
	return data.NewFrame("pending_facts",
		withConfig(data.NewField("section", nil, section), "Section", ""),
		withConfig(data.NewField("fact", nil, fact), "Fact", ""),
		withConfig(data.NewField("value", nil, value), "Value", ""))
}

func amountText(n interface {
	Get() (int64, bool)
	IsUnlimited() bool
}, unit string) string {
	if v, ok := n.Get(); ok {
		return strconv.FormatInt(v, 10) + " " + unit
	}
	if n.IsUnlimited() {
		return "unlimited"
	}
	return ""
}
