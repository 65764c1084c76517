package plugin

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
)

// accountingQuery sends one query with a time range, as a panel does.
func (f *fixture) rangeQuery(t *testing.T, queryType string, model map[string]any, from, to time.Time, interval time.Duration) backend.DataResponse {
	t.Helper()
	if model == nil {
		model = map[string]any{}
	}
	model["refId"], model["queryType"] = "A", queryType
	raw, err := json.Marshal(model)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := f.ds.QueryData(context.Background(), &backend.QueryDataRequest{
		PluginContext: f.pluginContext(),
		Queries: []backend.DataQuery{{RefID: "A", QueryType: queryType, JSON: raw,
			TimeRange: backend.TimeRange{From: from, To: to}, Interval: interval, MaxDataPoints: 1000}},
	})
	if err != nil {
		t.Fatalf("QueryData returned a Go error: %v", err)
	}
	return resp.Responses["A"]
}

// wideRange covers every recorded job (the recordings span 2024–2026).
var (
	wideFrom = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	wideTo   = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
)

// recorded is the 26.05.3 recording's submission minute (2026-11-29 01:16 UTC).
var (
	recFrom = time.Date(2026, 11, 29, 1, 10, 0, 0, time.UTC)
	recTo   = time.Date(2026, 11, 29, 1, 20, 0, 0, time.UTC)
)

func TestJobHistoryFromAccounting(t *testing.T) {
	f := newFixture(t, "26.05.3", "v0.0.44", nil, nil)
	frame := singleFrame(t, f.rangeQuery(t, "job_history", map[string]any{"states": []string{"FAILED", "TIMEOUT"}}, wideFrom, wideTo, time.Hour))
	if got := strings.Join(cells(t, frame, "job_id"), ","); got != "5002,5003" {
		t.Fatalf("FAILED/TIMEOUT jobs %s, want 5002,5003", got)
	}
	if got := strings.Join(cells(t, frame, "elapsed_s"), ","); got != "4,66" {
		t.Errorf("elapsed %s", got)
	}
	// The recording's cluster gathers no CPU time or RSS: efficiency is
	// unknown (null), never a fake 0.
	for _, name := range []string{"cpu_time_s", "max_rss_mb", "cpu_efficiency", "mem_efficiency"} {
		field, _ := frame.FieldByName(name)
		for i := 0; i < field.Len(); i++ {
			if v, ok := field.ConcreteAt(i); ok {
				t.Errorf("%s[%d] = %v, want null", name, i, v)
			}
		}
	}
	id, _ := frame.FieldByName("job_id")
	if id.Config == nil || len(id.Config.Links) != 1 || id.Config.Links[0].URL != "/a/hpc-slurm-app/jobs/${__value.raw}?var-cluster="+f.settings.UID {
		t.Errorf("job_id link %+v", id.Config)
	}
	eff, _ := frame.FieldByName("cpu_efficiency")
	if eff.Config == nil || eff.Config.Unit != "percentunit" {
		t.Errorf("cpu_efficiency unit %+v", eff.Config)
	}
	if f.srv.Count("slurmdb_jobs") != 1 {
		t.Errorf("%d accounting calls, want 1", f.srv.Count("slurmdb_jobs"))
	}
	// The same range again is served from the accounting cache.
	singleFrame(t, f.rangeQuery(t, "job_history", map[string]any{"states": []string{"TIMEOUT", "FAILED"}}, wideFrom, wideTo, time.Hour))
	if f.srv.Count("slurmdb_jobs") != 1 {
		t.Errorf("%d accounting calls after a repeat, want 1 (cached)", f.srv.Count("slurmdb_jobs"))
	}
}

func TestJobHistoryPagesOnTheServer(t *testing.T) {
	f := newFixture(t, "26.05.3", "v0.0.44", nil, nil)
	frame := singleFrame(t, f.rangeQuery(t, "job_history", map[string]any{"limit": 2, "offset": 2}, wideFrom, wideTo, time.Hour))
	if got := strings.Join(cells(t, frame, "job_id"), ","); got != "5003,5004" {
		t.Errorf("page 2 of 2 rows: %s", got)
	}
	custom := frame.Meta.Custom.(map[string]any)
	if custom["total"] != 15 || custom["offset"] != 2 || custom["stale"] != nil {
		t.Errorf("meta.custom %v: want total 15, offset 2", custom)
	}
	if len(frame.Meta.Notices) != 1 {
		t.Errorf("notices %v: want one saying rows were left for other pages", frame.Meta.Notices)
	}
}

func TestHistorySeriesPerPartition(t *testing.T) {
	f := newFixture(t, "26.05.3", "v0.0.44", nil, nil)
	r := f.rangeQuery(t, "history_series", map[string]any{"metric": "submitted", "groupBy": []string{"partition"}}, recFrom, recTo, time.Minute)
	if r.Error != nil {
		t.Fatal(r.Error)
	}
	got := map[string]int64{}
	for _, fr := range r.Frames {
		if fr.Fields[0].Len() != 10 {
			t.Errorf("%d buckets, want 10 one-minute buckets", fr.Fields[0].Len())
		}
		v := fr.Fields[1]
		var sum int64
		for i := 0; i < v.Len(); i++ {
			sum += v.At(i).(int64)
		}
		got[v.Labels["partition"]] = sum
		if fr.RefID != "A" {
			t.Errorf("refId %q", fr.RefID)
		}
	}
	if got["cpu"] != 9 || got["gpu"] != 6 || len(got) != 2 {
		t.Errorf("submitted per partition %v, want cpu 9, gpu 6", got)
	}
	r = f.rangeQuery(t, "history_series", map[string]any{"metric": "wait_p90"}, recFrom, recTo, time.Minute)
	if r.Error != nil || len(r.Frames) != 1 {
		t.Fatalf("wait_p90: %v %d frames", r.Error, len(r.Frames))
	}
	v := r.Frames[0].Fields[1]
	if _, ok := v.ConcreteAt(0); ok {
		t.Errorf("wait in a bucket with no start must be null")
	}
	if v.Config.Unit != "s" {
		t.Errorf("wait unit %q", v.Config.Unit)
	}
}

func TestUsageByAccount(t *testing.T) {
	f := newFixture(t, "26.05.3", "v0.0.44", nil, nil)
	// Running jobs count up to "now": the moment of the recording.
	f.ds.now = func() time.Time { return time.Date(2026, 11, 29, 1, 18, 21, 0, time.UTC) }
	frame := singleFrame(t, f.rangeQuery(t, "usage", map[string]any{"tres": "gpu", "groupBy": "user"}, recFrom, recTo, time.Minute))
	users, hours := cells(t, frame, "user"), frame.Fields[1]
	// GPU jobs that ran: 5011 alice 1 GPU × 89 s, 5012 bob 2 GPUs × 89 s.
	want := map[string]float64{"alice": 89.0 / 3600, "bob": 2 * 89.0 / 3600}
	if len(users) != 2 {
		t.Fatalf("users %v", users)
	}
	for i, u := range users {
		if d := hours.At(i).(float64) - want[u]; d > 1e-9 || d < -1e-9 {
			t.Errorf("%s: %v GPU-hours, want %v", u, hours.At(i), want[u])
		}
	}
	r := f.rangeQuery(t, "usage", map[string]any{"tres": "cpu", "format": "series"}, recFrom, recTo, time.Minute)
	if r.Error != nil || len(r.Frames) != 2 {
		t.Fatalf("series by account: %v, %d frames (physics, chemistry)", r.Error, len(r.Frames))
	}
}

func TestAnnotationsJobsReservationsAndNodeReasons(t *testing.T) {
	f := newFixture(t, "26.05.3", "v0.0.44", nil, nil)
	// Before the first snapshot: the recordings' node list has no drained node.
	drained, err := os.ReadFile(filepath.Join(clustertest.FixturesRoot(t), "26.05.3", "v0.0.44", "node_after_drain.json"))
	if err != nil {
		t.Fatal(err)
	}
	f.srv.Replace("nodes", func([]byte) []byte { return drained })
	frame := singleFrame(t, f.rangeQuery(t, "annotations", map[string]any{"kind": "jobs", "jobIds": "5002"}, recFrom, recTo, time.Minute))
	if got := strings.Join(cells(t, frame, "title"), "|"); got != "Job 5002 started|Job 5002 FAILED" {
		t.Errorf("titles %q", got)
	}
	for _, name := range []string{"time", "timeEnd", "title", "text", "tags"} {
		if _, i := frame.FieldByName(name); i < 0 {
			t.Errorf("no %s field", name)
		}
	}
	frame = singleFrame(t, f.rangeQuery(t, "annotations", map[string]any{"kind": "reservations"}, wideFrom, wideTo, time.Hour))
	if got := strings.Join(cells(t, frame, "title"), "|"); got != "Reservation maint_window|Reservation gpu_workshop" {
		t.Errorf("reservations %q", got)
	}
	end, _ := frame.FieldByName("timeEnd")
	start, _ := frame.FieldByName("time")
	if !end.At(0).(time.Time).After(start.At(0).(time.Time)) {
		t.Errorf("a reservation is a region: end after start")
	}
	frame = singleFrame(t, f.rangeQuery(t, "annotations", map[string]any{"kind": "node_reasons"}, wideFrom, wideTo, time.Hour))
	if got := strings.Join(cells(t, frame, "title"), "|"); got != "node04 ALLOCATED+DRAIN" {
		t.Errorf("node reasons %q", got)
	}
	if got := cells(t, frame, "time"); len(got) != 1 || !strings.HasPrefix(got[0], time.Unix(1795915130, 0).UTC().Format("2006-01-02 15:04:05")) {
		t.Errorf("reason time %v", got)
	}
}

func TestReservationsTable(t *testing.T) {
	f := newFixture(t, "26.05.3", "v0.0.44", nil, nil)
	frame := singleFrame(t, f.query(t, "reservations", nil))
	if got := strings.Join(cells(t, frame, "name"), ","); got != "maint_window,gpu_workshop" {
		t.Errorf("reservations %s", got)
	}
	if got := cells(t, frame, "nodes")[0]; got != "node[01-04]" {
		t.Errorf("maint_window nodes %s", got)
	}
}

func TestSharesFairshareTree(t *testing.T) {
	f := newFixture(t, "26.05.3", "v0.0.44", nil, nil)
	frame := singleFrame(t, f.query(t, "shares", map[string]any{"accounts": "physics"}))
	if got := strings.Join(cells(t, frame, "name"), ","); got != "physics,alice,bob" {
		t.Errorf("physics and its users: %s", got)
	}
	frame = singleFrame(t, f.query(t, "shares", map[string]any{"users": []string{"carol"}}))
	if got := strings.Join(cells(t, frame, "account"), ","); got != "chemistry" {
		t.Errorf("carol's association: %s", got)
	}
	if f.srv.Count("shares") != 1 {
		t.Errorf("%d shares calls for two queries, want 1 (cached)", f.srv.Count("shares"))
	}
}

// Twenty panels asking for the same history at once cost slurmdbd one call:
// the range is aligned to the refresh interval and the fetch coalesced.
func TestConcurrentHistoryPanelsShareOneAccountingCall(t *testing.T) {
	f := newFixture(t, "26.05.3", "v0.0.44", nil, nil)
	f.srv.SetFault(clustertest.Held) // keep the first call in flight while the others arrive
	done := make(chan backend.DataResponse)
	now := time.Now()
	for i := 0; i < 20; i++ {
		go func(i int) {
			// Each panel's "now" differs by a few ms, as real refreshes do.
			done <- f.rangeQuery(t, "usage", nil, now.Add(-6*time.Hour).Add(time.Duration(i)*time.Millisecond), now.Add(time.Duration(i)*time.Millisecond), time.Minute)
		}(i)
	}
	for e := range f.srv.Started() {
		if e == "slurmdb_jobs" {
			break
		}
	}
	f.srv.Release()
	for i := 0; i < 20; i++ {
		if r := <-done; r.Error != nil || len(r.Frames) != 1 {
			t.Errorf("panel answer: %v, %d frames", r.Error, len(r.Frames))
		}
	}
	if n := f.srv.Count("slurmdb_jobs"); n != 1 {
		t.Errorf("%d accounting calls for 20 identical panels, want 1", n)
	}
}
