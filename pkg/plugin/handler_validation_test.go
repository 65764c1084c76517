package plugin

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// Bad queries get a 400 naming what is wrong, and slurmrestd is never called.
func TestBadQueriesAre400sWithNoUpstreamCall(t *testing.T) {
	f := newFixture(t, "26.05.3", "v0.0.44", map[string]any{"maxRows": 500}, nil)
	huge := `{"nameRegex":"` + strings.Repeat("a", 10<<20) + `"}`
	cases := []struct {
		name, queryType, model, want string
	}{
		{"unknown field", "jobs", `{"stats":["RUNNING"]}`, `"stats"`},
		{"invalid regex", "jobs", `{"nameRegex":"(["}`, "nameRegex"},
		{"negative limit", "jobs", `{"limit":-1}`, "limit"},
		{"limit over maxRows", "jobs", `{"limit":501}`, "500"},
		{"history limit over maxRows", "job_history", `{"limit":100000}`, "limit"},
		{"non-numeric job id", "jobs", `{"jobIds":["12abc"]}`, "jobIds"},
		{"non-numeric annotation job id", "annotations", `{"kind":"jobs","jobIds":"x"}`, "jobIds"},
		{"10 MB body", "jobs", huge, "limit is"},
		{"unknown type", "bogus", `{}`, "unknown queryType"},
		{"wrong type", "job_history", `{"users":5}`, "users"},
		{"usage tres", "usage", `{"tres":"disk"}`, "tres"},
		{"bad offset", "job_history", `{"offset":-1}`, "offset"},
	}
	ctx := context.Background()
	for _, c := range cases {
		resp, err := f.ds.QueryData(ctx, &backend.QueryDataRequest{
			PluginContext: f.pluginContext(),
			Queries: []backend.DataQuery{{RefID: "A", QueryType: c.queryType, JSON: []byte(c.model),
				TimeRange: backend.TimeRange{From: time.Now().Add(-time.Hour), To: time.Now()}}},
		})
		if err != nil {
			t.Fatalf("%s: Go error %v", c.name, err)
		}
		r := resp.Responses["A"]
		if r.Error == nil || r.Status != backend.StatusBadRequest {
			t.Errorf("%s: status %d error %v, want 400", c.name, r.Status, r.Error)
			continue
		}
		if !strings.Contains(r.Error.Error(), c.want) || len(r.Error.Error()) > 2000 {
			t.Errorf("%s: error %.300q does not name %q (or is too long)", c.name, r.Error.Error(), c.want)
		}
	}
	for _, endpoint := range []string{"jobs", "nodes", "partitions", "reservations", "diag", "slurmdb_jobs", "shares"} {
		if n := f.srv.Count(endpoint); n != 0 {
			t.Errorf("%d calls to %s for bad queries, want 0", n, endpoint)
		}
	}
}

// Grafana's own keys are not unknown fields.
func TestGrafanaKeysAreAccepted(t *testing.T) {
	f := newFixture(t, "26.05.3", "v0.0.44", nil, nil)
	model := `{"refId":"A","queryType":"jobs","datasource":{"type":"hpc-slurm-datasource","uid":"x"},"hide":false,"key":"Q-1","intervalMs":15000,"maxDataPoints":1000,"states":["RUNNING"]}`
	resp, err := f.ds.QueryData(context.Background(), &backend.QueryDataRequest{
		PluginContext: f.pluginContext(),
		Queries:       []backend.DataQuery{{RefID: "A", QueryType: "jobs", JSON: []byte(model)}},
	})
	if err != nil || resp.Responses["A"].Error != nil {
		t.Fatalf("%v %v", err, resp.Responses["A"].Error)
	}
	if resp.Responses["A"].Status != 0 && resp.Responses["A"].Status != http.StatusOK {
		t.Errorf("status %d", resp.Responses["A"].Status)
	}
}

func TestJobsByJobIDSelectsArrayTasks(t *testing.T) {
	f := newFixture(t, "26.05.3", "v0.0.44", nil, nil)
	ids := cells(t, singleFrame(t, f.query(t, "jobs", map[string]any{"jobIds": []string{"5014", "5002"}})), "job_id")
	if len(ids) < 2 {
		t.Fatalf("jobs %v", ids)
	}
	for _, id := range ids {
		if id != "5002" && !strings.HasPrefix(id, "5014_") {
			t.Errorf("job %s is neither 5002 nor a task of array 5014", id)
		}
	}
}

func TestNodesPageOnTheServerUnderMaxRows(t *testing.T) {
	f := newFixture(t, "26.05.3", "v0.0.44", map[string]any{"maxRows": 4}, nil)
	first := singleFrame(t, f.query(t, "nodes", nil))
	if got := strings.Join(cells(t, first, "node"), ","); got != "node01,node02,node03,node04" {
		t.Errorf("first page (maxRows 4) %s", got)
	}
	if custom := first.Meta.Custom.(map[string]any); custom["total"] != 6 {
		t.Errorf("meta.custom %v: total 6", custom)
	}
	second := singleFrame(t, f.query(t, "nodes", map[string]any{"offset": 4}))
	if got := strings.Join(cells(t, second, "node"), ","); got != "node05,node06" {
		t.Errorf("second page %s", got)
	}
	if r := f.query(t, "nodes", map[string]any{"limit": 5}); r.Status != backend.StatusBadRequest {
		t.Errorf("limit over maxRows: %d %v", r.Status, r.Error)
	}
}

// The pages send table queries without a limit. A data source whose maxRows
// is below any fixed default (here 100, and 3 to cut the recorded queue)
// answers them with at most maxRows rows, never with an error.
func TestTableQueriesWithoutLimitUnderASmallMaxRows(t *testing.T) {
	for _, maxRows := range []int{100, 3} {
		f := newFixture(t, "26.05.3", "v0.0.44", map[string]any{"maxRows": maxRows}, nil)
		for _, queryType := range []string{"jobs", "nodes", "pending", "job_history"} {
			frame := singleFrame(t, f.rangeQuery(t, queryType, nil, wideFrom, wideTo, time.Hour))
			custom := frame.Meta.Custom.(map[string]any)
			total, _ := custom["total"].(int)
			if custom["limit"] != maxRows || frame.Rows() != min(total, maxRows) || total == 0 {
				t.Errorf("maxRows %d, %s: %d rows of %d, meta.custom %v", maxRows, queryType, frame.Rows(), total, custom)
			}
		}
	}
}
