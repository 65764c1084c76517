package query

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/pending"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

func exp(id, part string, c pending.Category, cpus, gpus int64, limit *pending.LimitFact) pending.Explanation {
	return pending.Explanation{JobID: id, Category: c, Summary: "s" + id, Limit: limit, CanEverStart: c != pending.Impossible,
		Request: pending.Request{Partition: part, CPUs: cpus, GPUs: gpus, Nodes: 1, TimeLimit: slurm.Val(60)}}
}

func TestParsePendingDefaultsAndRefusals(t *testing.T) {
	q, err := ParsePending(json.RawMessage(`{"categories":"Impossible"}`), testRequest)
	if err != nil || q.Format != PendingTable || q.Limit != DefaultMaxRows {
		t.Fatalf("%+v %v", q, err)
	}
	for _, bad := range []string{`{"format":"facts"}`, `{"measure":"jobs"}`, `{"format":"counts","measure":"nodes"}`,
		`{"format":"counts","groupBy":["node"]}`, `{"categories":["busy"]}`, `{"states":"PENDING"}`} {
		if _, err := ParsePending(json.RawMessage(bad), testRequest); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", bad, err)
		}
	}
}

// ptrs points to each explanation, as Select gives them.
func ptrs(exps ...pending.Explanation) []*pending.Explanation {
	out := make([]*pending.Explanation, len(exps))
	for i := range exps {
		out[i] = &exps[i]
	}
	return out
}

func TestPendingCountsListEveryPartitionAndOneMeasure(t *testing.T) {
	q, err := ParsePending(json.RawMessage(`{"format":"counts","groupBy":["partition"],"categories":["impossible"],"measure":"jobs"}`), testRequest)
	if err != nil {
		t.Fatal(err)
	}
	exps := []pending.Explanation{exp("1", "gpu", pending.Impossible, 4, 3, nil), exp("2", "gpu", pending.Impossible, 1, 4, nil)}
	sel := q.Select(append(exps, exp("3", "cpu", pending.Priority, 2, 0, nil)), func(int) bool { return true })
	fr := q.CountsFrame(sel, []string{"cpu", "debug", "gpu"})
	if len(fr.Fields) != 2 || fr.Fields[1].Name != "jobs" {
		t.Fatalf("fields %v", fr.Fields)
	}
	got := map[string]int64{}
	for i := 0; i < fr.Rows(); i++ {
		got[fr.Fields[0].At(i).(string)] = fr.Fields[1].At(i).(int64)
	}
	if len(got) != 3 || got["gpu"] != 2 || got["cpu"] != 0 || got["debug"] != 0 {
		t.Errorf("impossible jobs per partition %v, want gpu 2 and cpu, debug 0", got)
	}
}

func TestPendingCountsByLimitSumCPUsAndGPUs(t *testing.T) {
	q, _ := ParsePending(json.RawMessage(`{"format":"counts","groupBy":["limit"]}`), testRequest)
	lim := &pending.LimitFact{Scope: pending.ScopeQOS, Owner: "normal", Setting: "MaxTRESPerUser", TRES: "gres/gpu"}
	fr := q.CountsFrame(ptrs(exp("1", "gpu", pending.Limit, 4, 2, lim), exp("2", "gpu", pending.Limit, 8, 1, lim),
		exp("3", "cpu", pending.Resources, 2, 0, nil)), nil)
	if fr.Rows() != 2 || fr.Fields[0].At(1).(string) != "QOS normal MaxTRESPerUser gres/gpu" {
		t.Fatalf("rows %d, labels %v", fr.Rows(), fr.Fields[0])
	}
	if jobs, cpus, gpus := fr.Fields[1].At(1), fr.Fields[2].At(1), fr.Fields[3].At(1); jobs != int64(2) || cpus != int64(12) || gpus != int64(3) {
		t.Errorf("limit group: %v jobs, %v CPUs, %v GPUs", jobs, cpus, gpus)
	}
}

func TestPendingTablePagesAndCountsTheTotal(t *testing.T) {
	q, err := ParsePending(json.RawMessage(`{"limit":1,"offset":1}`), rows(100))
	if err != nil {
		t.Fatal(err)
	}
	fr := q.TableFrame(ptrs(exp("1", "cpu", pending.Priority, 1, 0, nil), exp("2", "gpu", pending.Impossible, 1, 3, nil)))
	if fr.Rows() != 1 || fr.Fields[0].At(0) != "2" {
		t.Fatalf("page: %d rows, first %v", fr.Rows(), fr.Fields[0].At(0))
	}
	if total := fr.Meta.Custom.(map[string]any)["total"]; total != 2 {
		t.Errorf("total %v", total)
	}
	for _, f := range fr.Fields {
		if f.Config == nil || f.Config.DisplayNameFromDS == "" {
			t.Errorf("column %s has no name for people", f.Name)
		}
	}
}

// The table and counts read every explanation; facts one job's, with its fair-share.
func TestPendingNeedsExplanations(t *testing.T) {
	pk := []cluster.Kind{cluster.KindJobs, cluster.KindNodes, cluster.KindPartitions, cluster.KindReservations}
	j1, j2 := &slurm.Job{ID: "1", User: "alice"}, &slurm.Job{ID: "2", User: "bob"}
	set := PendingSet{Explanations: []pending.Explanation{exp("1", "cpu", pending.Priority, 1, 0, nil), exp("2", "gpu", pending.Resources, 1, 1, nil)},
		Jobs: []*slurm.Job{j1, j2}}
	table := answer(t, TypePending, `{"users":"bob"}`, testRequest, Needs{Kinds: pk, Pending: true}, Data{Snapshot: &cluster.Snapshot{}, Pending: set})
	if table[0].Rows() != 1 || table[0].Fields[0].At(0) != "2" {
		t.Errorf("bob's pending job: %d rows", table[0].Rows())
	}
	answer(t, TypePending, `{"format":"facts","jobId":"2"}`, testRequest, Needs{Kinds: pk, Explain: "2"}, emptyData)
}
