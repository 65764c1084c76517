package query

import (
	"encoding/json"
	"regexp"
	"strings"
	"time"
	"unsafe"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// TypeNodes lists the nodes.
const TypeNodes = "nodes"

func init() {
	register(Type{Name: TypeNodes,
		Frame: "table, one row per node like `sinfo -N -l`: node (link to the node's page), state, reason with who set it and when, " +
			"partitions, CPUs/memory/GPUs total and allocated, address",
		Examples: []string{`{"states":["DRAIN"],"partitions":["gpu"],"features":["a100"],"limit":10000}`},
	}, ParseNodes)
}

// Nodes is the "nodes" query: one row per node, like `sinfo -N -l`.
type Nodes struct {
	NodeFilter
	Page
	links appLinks
}

// NodeFilter selects nodes; the nodes and node_counts queries share it.
type NodeFilter struct {
	Partitions StringList `json:"partitions"` // nodes in any of these partitions
	States     StringList `json:"states"`     // base state or flag, e.g. IDLE, MIXED, DRAIN
	Features   StringList `json:"features"`   // nodes with any of these (active) features
	Name       string     `json:"nameRegex"`  // regular expression on the node name
	nameRE     *regexp.Regexp
}

func (f *NodeFilter) compile() error {
	re, err := compileNamePattern("nameRegex", f.Name)
	if err != nil {
		return err
	}
	f.nameRE = re
	return nil
}

// Match reports whether the filter selects n.
func (f *NodeFilter) Match(n *slurm.Node) bool {
	return (f.nameRE == nil || f.nameRE.MatchString(n.Name)) &&
		stateMatches(f.States, n.State) &&
		(len(f.Partitions) == 0 || anyIn(f.Partitions, n.Partitions)) &&
		(len(f.Features) == 0 || anyIn(f.Features, n.Features) || anyIn(f.Features, n.ActiveFeatures))
}

// ParseNodes reads and validates a nodes query.
func ParseNodes(raw json.RawMessage, r Request) (Nodes, error) {
	q := Nodes{links: appLinks{r.DatasourceUID}}
	if err := decode(raw, &q); err != nil {
		return Nodes{}, err
	}
	if err := q.compile(); err != nil {
		return Nodes{}, err
	}
	if err := q.Page.check(r.MaxRows); err != nil {
		return Nodes{}, err
	}
	return q, nil
}

// Needs reads the snapshot's nodes.
func (q Nodes) Needs() Needs { return Needs{Kinds: []cluster.Kind{cluster.KindNodes}} }

// Frames answers with the nodes table.
func (q Nodes) Frames(d Data) (data.Frames, error) { return one(q.Frame(d.Snapshot.Nodes)) }

// Source is the nodes' list, which an answer replaces whole (Shared).
func (q Nodes) Source(d Data) any { return unsafe.SliceData(d.Snapshot.Nodes) }

// Select returns the page of nodes the query selects, in snapshot order,
// and how many match in all; it points into the snapshot, never copies.
func (q Nodes) Select(nodes []slurm.Node) (page []*slurm.Node, matched int) {
	page = make([]*slurm.Node, 0, min(q.Limit, len(nodes)))
	for i := range nodes {
		if !q.Match(&nodes[i]) {
			continue
		}
		matched++
		if matched > q.Offset && len(page) < q.Limit {
			page = append(page, &nodes[i])
		}
	}
	return page, matched
}

// Frame builds the table of the selected nodes, one page of it.
func (q Nodes) Frame(nodes []slurm.Node) *data.Frame {
	sel, matched := q.Select(nodes)
	var (
		name, state, base, flags, reason, partitions, features = col[string](len(sel)), col[string](len(sel)), col[string](len(sel)), col[string](len(sel)), col[string](len(sel)), col[string](len(sel)), col[string](len(sel))
		cpus, cpusAlloc, mem, memAlloc, gpus, gpusAlloc        = col[int64](len(sel)), col[int64](len(sel)), col[int64](len(sel)), col[int64](len(sel)), col[int64](len(sel)), col[int64](len(sel))
		load                                                   = col[*float64](len(sel))
		memFree                                                = col[*int64](len(sel))
		address, reasonBy                                      = col[string](len(sel)), col[string](len(sel))
		reasonTime                                             = col[*time.Time](len(sel))
	)
	for i, n := range sel {
		name[i], state[i], base[i] = n.Name, n.State.String(), n.State.Base
		flags[i] = strings.Join(n.State.Flags, ",")
		reason[i], partitions[i], features[i] = n.Reason, strings.Join(n.Partitions, ","), strings.Join(n.Features, ",")
		cpus[i], cpusAlloc[i], mem[i], memAlloc[i], gpus[i], gpusAlloc[i] = n.CPUs, n.CPUsAllocated, n.MemoryMB, n.MemoryAllocMB, n.GPUs, n.GPUsAllocated
		if v, ok := n.CPULoadValue(); ok {
			load[i] = &v
		}
		memFree[i] = numberOrNil(n.MemoryFreeMB)
		address[i], reasonBy[i], reasonTime[i] = n.Address, n.ReasonSetBy, timeOrNil(n.ReasonTime)
	}
	frame := data.NewFrame("nodes",
		q.links.node(withConfig(data.NewField("node", nil, name), "Node", "")),
		withConfig(data.NewField("state", nil, state), "State", ""),
		hiddenInTables(withConfig(data.NewField("state_base", nil, base), "Base state", "")),
		hiddenInTables(withConfig(data.NewField("state_flags", nil, flags), "State flags", "")),
		withConfig(data.NewField("reason", nil, reason), "Reason", ""),
		withConfig(data.NewField("reason_set_by", nil, reasonBy), "Reason set by", ""),
		withConfig(data.NewField("reason_time", nil, reasonTime), "Reason set at", ""),
		withConfig(data.NewField("partitions", nil, partitions), "Partitions", ""),
		withConfig(data.NewField("cpus", nil, cpus), "CPUs", "none"),
		withConfig(data.NewField("cpus_allocated", nil, cpusAlloc), "CPUs allocated", "none"),
		withConfig(data.NewField("cpu_load", nil, load), "CPU load", "none"),
		withConfig(data.NewField("memory_mb", nil, mem), "Memory", "decmbytes"),
		withConfig(data.NewField("memory_allocated_mb", nil, memAlloc), "Memory allocated", "decmbytes"),
		withConfig(data.NewField("memory_free_mb", nil, memFree), "Memory free", "decmbytes"),
		withConfig(data.NewField("gpus", nil, gpus), "GPUs", "none"),
		withConfig(data.NewField("gpus_allocated", nil, gpusAlloc), "GPUs allocated", "none"),
		withConfig(data.NewField("features", nil, features), "Features", ""),
		withConfig(data.NewField("address", nil, address), "Address", ""),
	)
	setTotal(frame, matched, q.Page, len(sel))
	return frame
}

// col makes a column of n cells.
func col[T any](n int) []T { return make([]T, n) }

// anyIn reports whether one of wanted is in have.
func anyIn(wanted, have []string) bool {
	for _, h := range have {
		if matchAny(wanted, h) {
			return true
		}
	}
	return false
}
