package plugin

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/query"
)

// pageFrames is what a page query builds: one frame with a total in its
// metadata, rows long.
func pageFrames(rows int) data.Frames {
	f := data.NewFrame("jobs", data.NewField("job_id", nil, make([]string, rows)))
	query.SetCustom(f, map[string]any{"total": rows})
	return data.Frames{f}
}

type buildCounter struct{ n atomic.Int32 }

func (b *buildCounter) build(rows int) func() (data.Frames, error) {
	return func() (data.Frames, error) {
		b.n.Add(1)
		return pageFrames(rows), nil
	}
}

func TestSharedFramesBuildOncePerSource(t *testing.T) {
	var s sharedFrames
	var builds buildCounter
	snap1, snap2 := new(int), new(int)

	a, _ := s.get("jobs", `{"limit":5}`, snap1, builds.build(5))
	b, _ := s.get("jobs", `{"limit":5}`, snap1, builds.build(5))
	if builds.n.Load() != 1 {
		t.Fatalf("%d builds for two identical queries on the same data, want 1", builds.n.Load())
	}
	if a[0] == b[0] || a[0].Fields[0] != b[0].Fields[0] {
		t.Fatal("each request gets its own frame over the same (shared) fields")
	}
	// What one request sets on its frame stays on its frame.
	a[0].RefID = "A"
	query.SetCustom(a[0], map[string]any{"stale": true})
	a[0].AppendNotices(data.Notice{Text: "Slurm data is stale"})
	c, _ := s.get("jobs", `{"limit":5}`, snap1, builds.build(5))
	if c[0].RefID != "" || c[0].Meta.Custom.(map[string]any)["stale"] != nil || len(c[0].Meta.Notices) != 0 {
		t.Errorf("a request's refId, freshness or notice leaked into the shared frame: %+v", c[0].Meta)
	}
	if c[0].Meta.Custom.(map[string]any)["total"] != 5 {
		t.Errorf("the page's own metadata was lost: %+v", c[0].Meta.Custom)
	}

	s.get("jobs", `{"limit":6}`, snap1, builds.build(6))
	if builds.n.Load() != 2 {
		t.Errorf("another query must be built: %d builds", builds.n.Load())
	}
	s.get("nodes", `{}`, snap1, builds.build(3))
	s.get("jobs", `{"limit":5}`, snap2, builds.build(5))
	if builds.n.Load() != 4 {
		t.Fatalf("new data must be built again: %d builds", builds.n.Load())
	}
	// The jobs' new data replaced the old jobs pages; the nodes page stays.
	if _, ok := s.lookup(sharedKey{"jobs", `{"limit":6}`}, snap1); ok {
		t.Error("a page of the previous jobs is still kept")
	}
	if _, ok := s.lookup(sharedKey{"nodes", `{}`}, snap1); !ok {
		t.Error("the nodes page was dropped with the jobs' data")
	}
	if s.rows != 8 {
		t.Errorf("%d rows counted, want 8 (5 jobs + 3 nodes)", s.rows)
	}
}

func TestSharedFramesBounded(t *testing.T) {
	var s sharedFrames
	var builds buildCounter
	snap := new(int)
	s.get("jobs", "big", snap, builds.build(maxSharedRows-10))
	s.get("jobs", "small", snap, builds.build(20))
	s.get("jobs", "small", snap, builds.build(20))
	if builds.n.Load() != 3 || s.rows != maxSharedRows-10 {
		t.Errorf("past the row bound a page is built per request: %d builds, %d rows kept", builds.n.Load(), s.rows)
	}
	failing := func() (data.Frames, error) { return nil, errors.New("no jobs index") }
	if _, err := s.get("jobs", "bad", snap, failing); err == nil {
		t.Fatal("a failed build must fail the query")
	}
	if _, ok := s.lookup(sharedKey{"jobs", "bad"}, snap); ok {
		t.Error("a failed build was kept")
	}
}

// Viewers asking at once wait for the one page being built.
func TestSharedFramesConcurrentViewersBuildOnce(t *testing.T) {
	var s sharedFrames
	var builds atomic.Int32
	release := make(chan struct{})
	snap := new(int)
	var wg sync.WaitGroup
	var started sync.WaitGroup
	for range 20 {
		wg.Add(1)
		started.Add(1)
		go func() {
			defer wg.Done()
			started.Done()
			frames, err := s.get("jobs", "page", snap, func() (data.Frames, error) {
				builds.Add(1)
				<-release
				return pageFrames(100), nil
			})
			if err != nil || frames[0].Rows() != 100 {
				t.Errorf("%v %v", err, frames)
			}
		}()
	}
	started.Wait()
	close(release)
	wg.Wait()
	if builds.Load() != 1 {
		t.Errorf("%d builds for 20 viewers of the same data", builds.Load())
	}
}

func TestQueryKeyIgnoresGrafanasEnvelope(t *testing.T) {
	a, _ := queryKey(json.RawMessage(`{"refId":"A","datasource":{"uid":"slurm"},"states":["PENDING"],"limit":5000,"intervalMs":15000,"maxDataPoints":1200}`))
	b, _ := queryKey(json.RawMessage(`{"limit":5000,"states":["PENDING"],"refId":"B","intervalMs":30000,"maxDataPoints":600,"hide":false}`))
	if a != b {
		t.Errorf("the same panel of two viewers: %s vs %s", a, b)
	}
	c, _ := queryKey(json.RawMessage(`{"refId":"A","states":["RUNNING"],"limit":5000}`))
	if c == a {
		t.Error("different states share a key")
	}
	if _, ok := queryKey(json.RawMessage(`[1]`)); ok {
		t.Error("a model that is not an object has no key")
	}
}

// Two viewers' identical page queries through QueryData: the fields are
// built once, each answer has its own refId and metadata.
func TestQueryDataSharesPagesBetweenViewers(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.41", nil, nil)
	model := map[string]any{"states": []string{"RUNNING", "PENDING"}, "sort": map[string]any{"field": "priority", "desc": true}, "limit": 3}
	first := singleFrame(t, f.query(t, "jobs", model))
	second := singleFrame(t, f.query(t, "jobs", model))
	if first == second || first.Fields[0] != second.Fields[0] {
		t.Fatal("the second viewer's page must be its own frame over the first's fields")
	}
	if first.Meta.Custom.(map[string]any)["total"] != second.Meta.Custom.(map[string]any)["total"] {
		t.Error("the shared page's total differs")
	}
	other := singleFrame(t, f.query(t, "jobs", map[string]any{"states": []string{"RUNNING"}, "limit": 3}))
	if other.Fields[0] == first.Fields[0] {
		t.Error("another query got the first query's page")
	}
	nodes := singleFrame(t, f.query(t, "nodes", nil))
	again := singleFrame(t, f.query(t, "nodes", nil))
	if nodes.Fields[0] != again.Fields[0] || nodes.Meta.Custom.(map[string]any)["stale"] != false {
		t.Errorf("the nodes page is not shared, or lost its freshness: %+v", again.Meta)
	}
}

// Viewers whose answers share fields are encoded for Grafana at the same
// time (run with -race in CI's race phase).
func TestSharedPagesEncodeConcurrently(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.41", nil, nil)
	model := map[string]any{"sort": map[string]any{"field": "submit_time", "desc": true}}
	want := strings.Join(cells(t, singleFrame(t, f.query(t, "jobs", model)), "job_id"), ",")
	frames := make([]*data.Frame, 8)
	for i := range frames {
		frames[i] = singleFrame(t, f.query(t, "jobs", model))
	}
	var wg sync.WaitGroup
	for _, fr := range frames {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fr.RefID = "B"
			query.SetCustom(fr, map[string]any{"viewer": true})
			b, err := fr.MarshalArrow()
			if err != nil {
				t.Error(err)
				return
			}
			back, err := data.UnmarshalArrowFrame(b)
			if err != nil {
				t.Error(err)
				return
			}
			ids := make([]string, back.Rows())
			for i := range ids {
				ids[i], _ = back.Fields[0].At(i).(string)
			}
			if got := strings.Join(ids, ","); got != want || back.RefID != "B" {
				t.Errorf("encoded page %q (refId %q), want %q", got, back.RefID, want)
			}
		}()
	}
	wg.Wait()
}
