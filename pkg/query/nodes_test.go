package query

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

var testNodes = []slurm.Node{
	{Name: "node01", State: slurm.State{Base: "MIXED"}, Partitions: []string{"cpu"}, CPUs: 4, CPUsAllocated: 3, MemoryFreeMB: slurm.Val(100), CPULoad: slurm.Val(150)},
	{Name: "node02", State: slurm.State{Base: "ALLOCATED", Flags: []string{"DRAIN"}}, Partitions: []string{"cpu"}, CPUs: 4, CPUsAllocated: 4},
	{Name: "node05", State: slurm.State{Base: "IDLE"}, Partitions: []string{"gpu", "debug"}, CPUs: 8, GPUs: 2, Features: []string{"gpu"}},
	{Name: "node06", State: slurm.State{Base: "DOWN", Flags: []string{"NOT_RESPONDING"}}, Partitions: []string{"gpu"}, CPUs: 8, GPUs: 2, GPUsAllocated: 1},
}

func TestNodesFilterByPartitionStateFlagAndName(t *testing.T) {
	cases := []struct {
		query string
		want  string
	}{
		{`{}`, "node01,node02,node05,node06"},
		{`{"partitions":"gpu"}`, "node05,node06"},
		{`{"partitions":["debug","cpu"]}`, "node01,node02,node05"},
		{`{"states":"drain"}`, "node02"},
		{`{"states":["IDLE","MIXED"]}`, "node01,node05"},
		{`{"nameRegex":"node0[15]"}`, "node01,node05"},
		{`{"nameRegex":"node0"}`, ""},
		{`{"features":"gpu"}`, "node05"},
	}
	for _, c := range cases {
		q, err := ParseNodes(json.RawMessage(c.query), testRequest)
		if err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		var got []string
		sel, _ := q.Select(testNodes)
		for _, n := range sel {
			got = append(got, n.Name)
		}
		if strings.Join(got, ",") != c.want {
			t.Errorf("%s: got %v, want %s", c.query, got, c.want)
		}
	}
}

func TestNodesFrameKeepsUnknownValuesNull(t *testing.T) {
	q, _ := ParseNodes(nil, testRequest)
	f := q.Frame(testNodes)
	if got := names(t, f, "memory_free_mb"); got != "100,null,null,null" {
		t.Errorf("memory_free_mb %s: unset must be null, not 0", got)
	}
	if got := names(t, f, "cpu_load"); got != "1.5,null,null,null" {
		t.Errorf("cpu_load %s", got)
	}
	if got := names(t, f, "state"); got != "MIXED,ALLOCATED+DRAIN,IDLE,DOWN+NOT_RESPONDING" {
		t.Errorf("state %s", got)
	}
}

func TestNodesReadTheSnapshotsNodes(t *testing.T) {
	snap := &cluster.Snapshot{Nodes: testNodes, Jobs: testJobs}
	frames := answer(t, TypeNodes, `{"partitions":"gpu"}`, testRequest, kinds(cluster.KindNodes), Data{Snapshot: snap})
	if len(frames) != 1 || names(t, frames[0], "node") != "node05,node06" {
		t.Fatalf("gpu nodes of the snapshot: %d frames", len(frames))
	}
}
