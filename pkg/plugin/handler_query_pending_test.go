package plugin

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/pending"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

func TestPendingRouteExplainsOneJob(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.43", nil, nil)
	r := f.resource(t, http.MethodGet, "pending/7016")
	if r.Status != http.StatusOK {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	var ans pendingAnswer
	if err := json.Unmarshal(r.Body, &ans); err != nil {
		t.Fatalf("%v: %s", err, r.Body)
	}
	e := ans.Explanation
	if e.Category != "dependency" || e.Reason != "Dependency" || len(e.Dependencies) != 1 ||
		e.Dependencies[0].JobID != "7005" || e.Dependencies[0].State != "RUNNING" || e.Dependencies[0].Name != "md_run" {
		t.Errorf("after_md: %+v", e)
	}
	if e.Request.CPUs != 1 || e.Request.Partition != "cpu" || e.Request.TimeLimitMinutes == nil || *e.Request.TimeLimitMinutes != 60 {
		t.Errorf("request %+v", e.Request)
	}
	if e.Partition == nil || e.Partition.Name != "cpu" || e.Partition.NodesWithRoom != 1 {
		t.Errorf("partition %+v", e.Partition)
	}
	if len(ans.Warnings) != 0 || !e.CanEverStart {
		t.Errorf("warnings %v, can ever start %v", ans.Warnings, e.CanEverStart)
	}

	// The queue facts of a Priority job carry the fair-share factor (v0.0.43 has shares).
	r = f.resource(t, http.MethodGet, "pending/7010")
	var prio pendingAnswer
	if err := json.Unmarshal(r.Body, &prio); err != nil || prio.Explanation.Queue == nil || prio.Explanation.Queue.FairShare == nil {
		t.Fatalf("queue_wait: %v %s", err, r.Body)
	}
	if q := prio.Explanation.Queue; q.Rank != 2 || q.Of != 2 || *q.FairShare != 1 {
		t.Errorf("queue %+v", q)
	}
}

func TestPendingRouteRefusals(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.43", nil, nil)
	for path, want := range map[string]int{
		"pending/999999": http.StatusNotFound, // no such job
		"pending/7005":   http.StatusConflict, // running
		"pending/%20":    http.StatusBadRequest,
	} {
		r := f.resource(t, http.MethodGet, path)
		if r.Status != want || !strings.Contains(string(r.Body), `"error"`) {
			t.Errorf("%s: %d %s, want %d with an error", path, r.Status, r.Body, want)
		}
	}
	if r := f.resource(t, http.MethodPost, "pending/7016"); r.Status != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d, want 405 (the route is read only)", r.Status)
	}
}

func TestPendingQueryValidation(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.43", nil, nil)
	for _, c := range []struct {
		model map[string]any
		want  string
	}{
		{map[string]any{"format": "pie"}, `format is "pie": use table, counts or facts`},
		{map[string]any{"states": []string{"RUNNING"}}, "states does not apply"},
		{map[string]any{"categories": []string{"waiting"}}, `categories has "waiting"`},
		{map[string]any{"groupBy": []string{"category"}}, "groupBy applies to the counts format only"},
		{map[string]any{"format": "counts", "groupBy": []string{"node"}}, `groupBy has "node"`},
		{map[string]any{"format": "facts"}, "jobId is required by the facts format"},
		{map[string]any{"format": "facts", "jobId": "12/3"}, `jobId is "12/3"`},
	} {
		r := f.query(t, "pending", c.model)
		if r.Error == nil || r.Status != backend.StatusBadRequest || !strings.Contains(r.Error.Error(), c.want) {
			t.Errorf("%v: %v (%d), want 400 with %q", c.model, r.Error, r.Status, c.want)
		}
	}
	r := f.query(t, "pending", map[string]any{"format": "facts", "jobId": "424242"})
	if r.Status != backend.StatusNotFound {
		t.Errorf("unknown job: %d %v", r.Status, r.Error)
	}
}

// Every pending panel, page and rule reads the snapshot and one cached copy
// of slurmdbd's limits: many queries cost slurmdbd two calls.
func TestPendingQueriesShareOneLimitsRead(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.43", nil, nil)
	for range 10 {
		r := f.query(t, "pending", map[string]any{"categories": "limit"})
		if r.Error != nil {
			t.Fatal(r.Error)
		}
		if n, _ := r.Frames[0].RowLen(); n != 1 { // the sweep array's remainder
			t.Fatalf("%d limit rows", n)
		}
	}
	if q, a := f.srv.Count("slurmdb_qos"), f.srv.Count("slurmdb_associations"); q != 1 || a != 1 {
		t.Errorf("10 queries read QOS %d and associations %d times, want once each", q, a)
	}
	if n := f.srv.Count("shares"); n != 0 {
		t.Errorf("the list read shares %d times; only one job's explanation needs them", n)
	}
}

func TestPendingWithoutSlurmdbdStillExplains(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.43", nil, nil)
	f.srv.Replace("slurmdb_qos", func([]byte) []byte { return []byte("{not json") })
	r := f.query(t, "pending", map[string]any{})
	if r.Error != nil {
		t.Fatal(r.Error)
	}
	fr := r.Frames[0]
	if n, _ := fr.RowLen(); n != 7 {
		t.Errorf("%d pending rows, want the 7 pending jobs", n)
	}
	found := false
	for _, n := range fr.Meta.Notices {
		if strings.Contains(n.Text, "QOS and association limits are not shown") {
			found = true
		}
		if strings.Contains(n.Text, clustertest.Token) {
			t.Error("the token is in a notice")
		}
	}
	if !found {
		t.Errorf("no notice about the missing limits: %+v", fr.Meta.Notices)
	}
}

// pendingBuilt returns the snapshot and index the explanations cache holds.
func (f *fixture) pendingBuilt() (*cluster.Snapshot, *pending.Index) {
	c := &f.ds.pending
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.snap, c.index
}

// While explanations are read, each refresh builds the new snapshot's right
// away, so the first pending panel after a refresh finds them ready; after
// keepWarmRefreshes refreshes without a reader of them the poller stops
// building them (other readers keep it refreshing).
func TestPendingExplanationsAreBuiltAheadWhileRead(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.43", nil, nil)
	interval := f.ds.poller.Interval()
	singleFrame(t, f.query(t, "pending", nil))
	_, first := f.pendingBuilt()
	if first == nil {
		t.Fatal("a pending query built no explanations")
	}

	f.advance(t, interval)
	snap, warmed := f.pendingBuilt()
	if warmed == first || !samePendingInputs(snap, f.ds.poller.Current()) {
		t.Fatal("the refresh did not build the new snapshot's explanations")
	}
	singleFrame(t, f.query(t, "pending", map[string]any{"format": "counts"}))
	if _, used := f.pendingBuilt(); used != warmed {
		t.Error("the first pending query after the refresh built the explanations again")
	}

	// No more pending reads; a jobs panel keeps the poller refreshing.
	for i := 1; i <= keepWarmRefreshes; i++ {
		f.advance(t, interval)
		singleFrame(t, f.query(t, "job_counts", nil))
		if snap, _ := f.pendingBuilt(); !samePendingInputs(snap, f.ds.poller.Current()) {
			t.Fatalf("refresh %d after the last read: not built ahead", i)
		}
	}
	f.advance(t, interval)
	if snap, _ := f.pendingBuilt(); samePendingInputs(snap, f.ds.poller.Current()) {
		t.Errorf("still built ahead %d refreshes after the last read", keepWarmRefreshes+1)
	}
}

// A snapshot swapped in after the scheduler statistics alone keeps the
// explanations; new nodes do not.
func TestSamePendingInputs(t *testing.T) {
	a := &cluster.Snapshot{Jobs: make([]slurm.Job, 3), Nodes: make([]slurm.Node, 2)}
	b := *a
	b.Diag = &slurm.SchedulerStats{}
	c := *a
	c.Nodes = make([]slurm.Node, 2)
	if !samePendingInputs(a, &b) || samePendingInputs(a, &c) || samePendingInputs(nil, a) {
		t.Errorf("same after a diag swap %v (want true), after a nodes swap %v (want false), nil %v (want false)",
			samePendingInputs(a, &b), samePendingInputs(a, &c), samePendingInputs(nil, a))
	}
}
