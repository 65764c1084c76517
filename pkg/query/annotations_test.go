package query

import (
	"testing"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

func TestNodeReasonsOnlyForDownOrDrainedNodesInRange(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	nodes := []slurm.Node{
		{Name: "n1", State: slurm.State{Base: "IDLE", Flags: []string{"DRAIN"}}, Reason: "disk", ReasonSetBy: "root", ReasonTime: t0.Add(time.Minute)},
		{Name: "n2", State: slurm.State{Base: "DOWN"}, Reason: "Not responding", ReasonTime: t0.Add(-time.Hour)}, // before the range
		{Name: "n3", State: slurm.State{Base: "IDLE"}, Reason: "old note", ReasonTime: t0.Add(time.Minute)},      // not down/drained
	}
	q, err := ParseAnnotations([]byte(`{"kind":"node_reasons"}`), testRequest)
	if err != nil {
		t.Fatal(err)
	}
	f := q.NodeReasonsFrame(nodes, t0, t0.Add(time.Hour))
	if f.Rows() != 1 || f.Fields[2].At(0) != "n1 IDLE+DRAIN" || f.Fields[3].At(0) != "disk (set by root)" {
		t.Errorf("events: %d rows, %v / %v", f.Rows(), f.Fields[2].At(0), f.Fields[3].At(0))
	}
}

// Job events come from slurmdbd over the range; reservations and node
// reasons from the snapshot.
func TestAnnotationsNeedTheirKindsData(t *testing.T) {
	from, to := testRequest.From, testRequest.To
	jobs := answer(t, TypeAnnotations, `{"kind":"jobs","users":"alice","jobIds":["7","5"]}`, testRequest,
		Needs{Accounting: &slurm.AccountingFilter{Start: from, End: to, Users: []string{"alice"}, JobIDs: []int64{5, 7}}},
		Data{Accounting: []slurm.AccountingJob{{JobID: 5, User: "alice", StartTime: from.Add(time.Hour), State: slurm.State{Base: "RUNNING"}}}})
	if jobs[0].Rows() != 1 {
		t.Errorf("job 5's start: %d events", jobs[0].Rows())
	}
	resv := answer(t, TypeAnnotations, `{"kind":"reservations"}`, testRequest, kinds(cluster.KindReservations),
		Data{Snapshot: &cluster.Snapshot{Reservations: []slurm.Reservation{{Name: "maint", StartTime: from, EndTime: to}}}})
	if resv[0].Rows() != 1 {
		t.Errorf("reservation regions: %d", resv[0].Rows())
	}
	answer(t, TypeAnnotations, `{"kind":"node_reasons"}`, testRequest, kinds(cluster.KindNodes), emptyData)
}
