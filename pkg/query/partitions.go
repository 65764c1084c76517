package query

import (
	"encoding/json"
	"slices"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// TypePartitions lists the partitions with counts derived from the jobs and nodes.
const TypePartitions = "partitions"

func init() {
	register(Type{Name: TypePartitions,
		Frame:    "table with running/pending jobs, CPUs and GPUs allocated/idle, idle and down nodes",
		Examples: []string{`{"partitions":["cpu"]}`},
	}, ParsePartitions)
}

// Partitions is the "partitions" query: one row per partition with its
// limits and the counts derived from the jobs and nodes of the same snapshot.
type Partitions struct {
	Partitions StringList `json:"partitions"`
}

// ParsePartitions reads and validates a partitions query.
func ParsePartitions(raw json.RawMessage, _ Request) (Partitions, error) {
	var q Partitions
	if err := decode(raw, &q); err != nil {
		return Partitions{}, err
	}
	return q, nil
}

// Needs reads the snapshot's partitions and, for the derived counts, the
// jobs and nodes of the same snapshot.
func (q Partitions) Needs() Needs {
	return Needs{Kinds: []cluster.Kind{cluster.KindPartitions, cluster.KindJobs, cluster.KindNodes}}
}

// Frames answers with the partitions table.
func (q Partitions) Frames(d Data) (data.Frames, error) {
	return one(q.Frame(d.Snapshot.Partitions, d.Snapshot.JobIndex(), d.Snapshot.Nodes))
}

// partitionCounts are the derived counts of one partition.
type partitionCounts struct {
	running, pending             int64
	cpusAllocated, gpus, gpusAll int64
	nodesIdle, nodesDown         int64
}

// derive counts jobs by partition and sums node resources by partition. A
// job submitted to several partitions ("cpu,gpu") counts in each while
// pending. Jobs are counted by class (jobs of a class share state and
// partition), not one by one.
func derivePartitionCounts(x *cluster.JobIndex, nodes []slurm.Node) map[string]*partitionCounts {
	counts := map[string]*partitionCounts{}
	get := func(name string) *partitionCounts {
		c := counts[name]
		if c == nil {
			c = &partitionCounts{}
			counts[name] = c
		}
		return c
	}
	for _, cl := range x.ClassesBy(cluster.LabelState | cluster.LabelPartition) {
		j, n := cl.Job, int64(cl.Count)
		for _, p := range jobPartitions(j) {
			switch j.State.Base {
			case "RUNNING":
				get(p).running += n
			case "PENDING":
				get(p).pending += n
			}
		}
	}
	for i := range nodes {
		n := &nodes[i]
		for _, p := range n.Partitions {
			c := get(p)
			c.cpusAllocated += n.CPUsAllocated
			c.gpus += n.GPUs
			c.gpusAll += n.GPUsAllocated
			switch {
			case n.State.Base == "DOWN" || n.State.Has("NOT_RESPONDING"):
				c.nodesDown++
			case n.State.Base == "IDLE" && !n.State.Has("DRAIN"):
				c.nodesIdle++
			}
		}
	}
	return counts
}

// Frame builds the partitions table.
func (q Partitions) Frame(parts []slurm.Partition, jobs *cluster.JobIndex, nodes []slurm.Node) *data.Frame {
	var sel []slurm.Partition
	for _, p := range parts {
		if matchAny(q.Partitions, p.Name) {
			sel = append(sel, p)
		}
	}
	slices.SortStableFunc(sel, func(a, b slurm.Partition) int {
		// The default partition first, as sinfo marks it with "*" (when the
		// API version says which one it is).
		switch isDefault := func(p slurm.Partition) bool { return p.Default != nil && *p.Default }; {
		case isDefault(a) && !isDefault(b):
			return -1
		case isDefault(b) && !isDefault(a):
			return 1
		}
		return 0
	})
	counts := derivePartitionCounts(jobs, nodes)
	n := len(sel)
	var (
		name, state, nodeList, maxTimeText  = col[string](n), col[string](n), col[string](n), col[string](n)
		isDefault                           = col[*bool](n) // null: the API version does not say
		totalNodes, totalCPUs               = col[int64](n), col[int64](n)
		maxTime, defTime                    = col[*int64](n), col[*int64](n)
		running, pending, cpusAlloc         = col[int64](n), col[int64](n), col[int64](n)
		cpusIdle, gpus, gpusAlloc, gpusIdle = col[int64](n), col[int64](n), col[int64](n), col[int64](n)
		nodesIdle, nodesDown                = col[int64](n), col[int64](n)
	)
	for i, p := range sel {
		c := counts[p.Name]
		if c == nil {
			c = &partitionCounts{}
		}
		name[i], state[i], nodeList[i], isDefault[i] = p.Name, p.State, p.Nodes, p.Default
		totalNodes[i], totalCPUs[i] = p.TotalNodes, p.TotalCPUs
		maxTime[i], defTime[i], maxTimeText[i] = numberOrNil(p.MaxTime), numberOrNil(p.DefaultTime), numberText(p.MaxTime)
		running[i], pending[i], cpusAlloc[i] = c.running, c.pending, c.cpusAllocated
		cpusIdle[i] = max(p.TotalCPUs-c.cpusAllocated, 0)
		gpus[i], gpusAlloc[i], nodesIdle[i], nodesDown[i] = c.gpus, c.gpusAll, c.nodesIdle, c.nodesDown
		gpusIdle[i] = max(c.gpus-c.gpusAll, 0)
	}
	return data.NewFrame("partitions",
		withConfig(data.NewField("partition", nil, name), "Partition", ""),
		withConfig(data.NewField("state", nil, state), "State", ""),
		withConfig(data.NewField("default", nil, isDefault), "Default", ""),
		withConfig(data.NewField("nodes", nil, nodeList), "Node list", ""),
		withConfig(data.NewField("total_nodes", nil, totalNodes), "Nodes", "none"),
		withConfig(data.NewField("total_cpus", nil, totalCPUs), "CPUs", "none"),
		withConfig(data.NewField("max_time_minutes", nil, maxTime), "Max time", "m"),
		hiddenInTables(withConfig(data.NewField("max_time", nil, maxTimeText), "Max time (text)", "")),
		withConfig(data.NewField("default_time_minutes", nil, defTime), "Default time", "m"),
		withConfig(data.NewField("jobs_running", nil, running), "Running jobs", "none"),
		withConfig(data.NewField("jobs_pending", nil, pending), "Pending jobs", "none"),
		withConfig(data.NewField("cpus_allocated", nil, cpusAlloc), "CPUs allocated", "none"),
		withConfig(data.NewField("cpus_idle", nil, cpusIdle), "CPUs idle", "none"),
		withConfig(data.NewField("gpus", nil, gpus), "GPUs", "none"),
		withConfig(data.NewField("gpus_allocated", nil, gpusAlloc), "GPUs allocated", "none"),
		withConfig(data.NewField("gpus_idle", nil, gpusIdle), "GPUs idle", "none"),
		withConfig(data.NewField("nodes_idle", nil, nodesIdle), "Idle nodes", "none"),
		withConfig(data.NewField("nodes_down", nil, nodesDown), "Down nodes", "none"),
	)
}
