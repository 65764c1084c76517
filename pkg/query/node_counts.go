package query

import (
	"encoding/json"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// nodeGroupLabels are the labels node_counts can group by. "node" gives one
// row (one alert instance) per node; "reason" is the reason Slurm keeps for
// a DOWN or DRAIN node ("(none)" when it has none).
var nodeGroupLabels = []string{"state", "partition", "node", "reason"}

// operatorFlags are the node state flags kept in the "state" label of
// node_counts: the ones an operator acts on. Others (PLANNED, RESERVED, …)
// would split the counts without telling anything actionable.
var operatorFlags = []string{"DRAIN", "NOT_RESPONDING", "FAIL", "MAINTENANCE", "REBOOT_REQUESTED", "POWERED_DOWN"}

// TypeNodeCounts counts the nodes by label.
const TypeNodeCounts = "node_counts"

func init() {
	register(Type{Name: TypeNodeCounts,
		Frame: "numeric long, `nodes` count per group (groupBy state, partition, node, reason); by `node` one alert instance " +
			"per node, `reason` is Slurm's reason or `(none)`",
		Examples: []string{`{"groupBy":["state"]}`, `{"states":["DRAIN"],"groupBy":["node","state","reason"]}`},
	}, ParseNodeCounts)
}

// NodeCounts is the "node_counts" query: how many nodes match, grouped by
// state, partition, node and/or reason, as a numeric long frame.
type NodeCounts struct {
	NodeFilter
	GroupBy StringList `json:"groupBy"`
}

// ParseNodeCounts reads and validates a node_counts query.
func ParseNodeCounts(raw json.RawMessage, _ Request) (NodeCounts, error) {
	var q NodeCounts
	if err := decode(raw, &q); err != nil {
		return NodeCounts{}, err
	}
	if err := q.compile(); err != nil {
		return NodeCounts{}, err
	}
	if err := checkGroupBy(q.GroupBy, nodeGroupLabels); err != nil {
		return NodeCounts{}, err
	}
	return q, nil
}

// Needs reads the snapshot's nodes and, to list every partition, its partitions.
func (q NodeCounts) Needs() Needs {
	return Needs{Kinds: []cluster.Kind{cluster.KindNodes, cluster.KindPartitions}}
}

// Frames answers with the counts.
func (q NodeCounts) Frames(d Data) (data.Frames, error) {
	return one(q.Frame(d.Snapshot.Nodes, d.Snapshot.Partitions))
}

// nodeStateLabel is the base state plus the operator flags, e.g.
// "ALLOCATED+DRAIN" or "IDLE".
func nodeStateLabel(s slurm.State) string {
	label := s.Base
	for _, f := range s.Flags {
		for _, op := range operatorFlags {
			if f == op {
				label += "+" + f
			}
		}
	}
	return label
}

// Frame counts the matching nodes; a node in two partitions counts in each.
func (q NodeCounts) Frame(nodes []slurm.Node, parts []slurm.Partition) *data.Frame {
	c := newCounter(q.GroupBy)
	for i := range nodes {
		n := &nodes[i]
		if !q.Match(n) {
			continue
		}
		values := make([][]string, len(q.GroupBy))
		for g, label := range q.GroupBy {
			switch label {
			case "state":
				values[g] = []string{nodeStateLabel(n.State)}
			case "node":
				values[g] = []string{n.Name}
			case "reason":
				values[g] = []string{orUnknown(n.Reason)}
			case "partition":
				values[g] = n.Partitions
				if len(q.Partitions) > 0 {
					values[g] = intersect(values[g], q.Partitions)
				}
				if len(values[g]) == 0 {
					values[g] = []string{"(none)"}
				}
			}
		}
		c.add(values)
	}
	if len(q.GroupBy) == 1 && q.GroupBy[0] == "partition" {
		for _, p := range parts {
			if matchAny(q.Partitions, p.Name) {
				c.ensure([]string{p.Name})
			}
		}
	}
	return c.frame("node_counts", "nodes")
}
