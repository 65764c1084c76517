package query

import (
	"testing"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

func TestNodeReasonsOnlyForDownOrDrainedNodesInRange(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	nodes := []slurm.Node{
		{Name: "n1", State: slurm.State{Base: "IDLE", Flags: []string{"DRAIN"}}, Reason: "disk", ReasonSetBy: "root", ReasonTime: t0.Add(time.Minute)},
		{Name: "n2", State: slurm.State{Base: "DOWN"}, Reason: "Not responding", ReasonTime: t0.Add(-time.Hour)}, // before the range
		{Name: "n3", State: slurm.State{Base: "IDLE"}, Reason: "old note", ReasonTime: t0.Add(time.Minute)},      // not down/drained
	}
	q, err := ParseAnnotations([]byte(`{"kind":"node_reasons"}`))
	if err != nil {
		t.Fatal(err)
	}
	f := q.NodeReasonsFrame(nodes, t0, t0.Add(time.Hour))
	if f.Rows() != 1 || f.Fields[2].At(0) != "n1 IDLE+DRAIN" || f.Fields[3].At(0) != "disk (set by root)" {
		t.Errorf("events: %d rows, %v / %v", f.Rows(), f.Fields[2].At(0), f.Fields[3].At(0))
	}
}
