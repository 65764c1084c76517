package pending

import (
	"fmt"
	"strings"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

func ceilDiv(a, b int64) int64 {
	if b <= 0 {
		return a
	}
	return (a + b - 1) / b
}

// requestOf reads what a job asks for. Per-node figures are what one node
// must offer: the CPUs and GPUs spread evenly over the requested nodes, the
// memory per node (--mem), per CPU (--mem-per-cpu) × CPUs per node, or the
// total spread.
func requestOf(j *slurm.Job) Request {
	x := j.Extra()
	r := Request{
		Partition: j.Partition, QOS: j.QOS, Account: j.Account, TimeLimit: j.TimeLimit,
		Features: x.Features, Licenses: x.Licenses, Reservation: x.Reservation, RequiredNodes: x.RequiredNodes,
		GPUs: j.GPUsRequested, MemoryMB: j.MemoryMB,
	}
	r.Nodes, _ = j.NodeCount.Get()
	if n := j.TRESRequested["node"]; n > r.Nodes {
		r.Nodes = n
	}
	r.Nodes = max(r.Nodes, 1)
	r.CPUs, _ = j.CPUs.Get()
	if c := j.TRESRequested["cpu"]; c > r.CPUs {
		r.CPUs = c
	}
	r.CPUsPerNode = ceilDiv(r.CPUs, r.Nodes)
	r.GPUsPerNode = ceilDiv(r.GPUs, r.Nodes)
	switch {
	case j.MemoryPerNodeMB.Set && !j.MemoryPerNodeMB.Infinite && j.MemoryPerNodeMB.Value > 0:
		r.MemoryPerNode = j.MemoryPerNodeMB.Value
	case j.MemoryPerCPUMB.Set && !j.MemoryPerCPUMB.Infinite && j.MemoryPerCPUMB.Value > 0:
		r.MemoryPerNode = j.MemoryPerCPUMB.Value * r.CPUsPerNode
	case r.MemoryMB > 0:
		r.MemoryPerNode = ceilDiv(r.MemoryMB, r.Nodes)
	}
	if r.MemoryMB == 0 && r.MemoryPerNode > 0 {
		r.MemoryMB = r.MemoryPerNode * r.Nodes
	}
	return r
}

// describe writes the request in one phrase: "4 nodes × 1 CPU, 1000 MB",
// "1 node × 4 CPUs, 2 GPUs, 4000 MB".
func (r Request) describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s × %s", plural(r.Nodes, "node", "nodes"), plural(r.CPUsPerNode, "CPU", "CPUs"))
	if r.GPUsPerNode > 0 {
		fmt.Fprintf(&b, ", %s", plural(r.GPUsPerNode, "GPU", "GPUs"))
	}
	if r.MemoryPerNode > 0 {
		fmt.Fprintf(&b, ", %s", memory(r.MemoryPerNode))
	}
	if tl, ok := r.TimeLimit.Get(); ok {
		fmt.Fprintf(&b, " for %s", duration(tl))
	}
	return b.String()
}

// roomOn tells whether one usable node has room for one node of r now.
func roomOn(n *slurm.Node, r Request) bool {
	return nodeUsable(n) && n.CPUs-n.CPUsAllocated >= r.CPUsPerNode &&
		n.GPUs-n.GPUsAllocated >= r.GPUsPerNode &&
		(r.MemoryPerNode == 0 || n.MemoryMB-n.MemoryAllocMB >= r.MemoryPerNode) &&
		nodeHasFeatures(n, r.Features)
}

// nodesWithRoom counts the partition's nodes with room for r now.
func (pi *partInfo) nodesWithRoom(r Request) int64 {
	var n int64
	for _, node := range pi.nodes {
		if roomOn(node, r) {
			n++
		}
	}
	return n
}

// nodeHasFeatures evaluates the simple constraint forms ("a", "a&b", "a|b",
// "a,b" as and); anything else (counts, brackets) is taken as satisfiable,
// since judging it wrongly would call a good job impossible.
func nodeHasFeatures(n *slurm.Node, expr string) bool {
	return featuresMatch(expr, func(f string) bool {
		for _, have := range n.Features {
			if have == f {
				return true
			}
		}
		return false
	})
}

func featuresMatch(expr string, has func(string) bool) bool {
	expr = strings.TrimSpace(expr)
	if expr == "" || strings.ContainsAny(expr, "[]()*") {
		return true
	}
	for _, alt := range strings.Split(expr, "|") {
		all := true
		for _, f := range strings.FieldsFunc(alt, func(r rune) bool { return r == '&' || r == ',' }) {
			if !has(strings.TrimSpace(f)) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// partitionBlockers lists what makes r impossible in the partition, each
// with the limit's value.
func (ix *Index) partitionBlockers(r Request, pi *partInfo) []string {
	f := &pi.facts
	var out []string
	name := f.Name
	if f.Nodes == 0 {
		return []string{fmt.Sprintf("Partition %s has no nodes.", name)}
	}
	if r.Nodes > f.Nodes {
		out = append(out, fmt.Sprintf("It asks for %s; partition %s has %s.", plural(r.Nodes, "node", "nodes"), name, plural(f.Nodes, "node", "nodes")))
	}
	if mx, ok := f.MaxNodes.Get(); ok && r.Nodes > mx {
		out = append(out, fmt.Sprintf("It asks for %s; partition %s allows at most %d per job (MaxNodes).", plural(r.Nodes, "node", "nodes"), name, mx))
	}
	if tl, ok := r.TimeLimit.Get(); ok {
		if mt, ok := f.MaxTime.Get(); ok && tl > mt {
			out = append(out, fmt.Sprintf("Its time limit is %s; partition %s allows at most %s (MaxTime).", duration(tl), name, duration(mt)))
		}
	} else if r.TimeLimit.IsUnlimited() {
		if mt, ok := f.MaxTime.Get(); ok {
			out = append(out, fmt.Sprintf("It asks for an unlimited time; partition %s allows at most %s (MaxTime).", name, duration(mt)))
		}
	}
	if r.CPUsPerNode > f.MaxCPUsPerNode {
		out = append(out, fmt.Sprintf("It asks for %s per node; the most a node of %s offers is %d.", plural(r.CPUsPerNode, "CPU", "CPUs"), name, f.MaxCPUsPerNode))
	}
	if r.GPUsPerNode > f.MaxGPUsPerNode {
		out = append(out, fmt.Sprintf("It asks for %s per node; the most any node of %s has is %d.", plural(r.GPUsPerNode, "GPU", "GPUs"), name, f.MaxGPUsPerNode))
	}
	if r.MemoryPerNode > f.MaxMemPerNodeMB && f.MaxMemPerNodeMB > 0 {
		out = append(out, fmt.Sprintf("It asks for %s per node; the largest node of %s has %s.", memory(r.MemoryPerNode), name, memory(f.MaxMemPerNodeMB)))
	}
	if !featuresMatch(r.Features, func(feat string) bool { return ix.features[name][feat] }) {
		out = append(out, fmt.Sprintf("No node of partition %s has the features %q it asks for.", name, r.Features))
	}
	return out
}
