package plugin

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// One QueryData request with many job_history queries on different filters
// costs slurmdbd at most MaxAccountingPerRequest calls; the queries beyond
// are answered 429 by the plugin with what to do, and the answered ones
// are served from the cache afterwards.
func TestOneRequestCannotMakeThousandsOfAccountingCalls(t *testing.T) {
	f := newFixture(t, "26.05.3", "v0.0.45", nil, nil)
	req := &backend.QueryDataRequest{PluginContext: f.pluginContext()}
	base := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	for i := range 20 {
		from := base.Add(time.Duration(i) * time.Hour)
		req.Queries = append(req.Queries, backend.DataQuery{
			RefID: fmt.Sprintf("Q%02d", i), QueryType: "job_history",
			JSON:      []byte(`{"queryType":"job_history","users":["alice"]}`),
			TimeRange: backend.TimeRange{From: from, To: from.Add(time.Hour)},
		})
	}
	count := func() (ok, refused int) {
		resp, err := f.ds.QueryData(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		for ref, r := range resp.Responses {
			switch {
			case r.Error == nil:
				ok++
			case r.Status == backend.StatusTooManyRequests && r.ErrorSource == backend.ErrorSourcePlugin &&
				strings.Contains(r.Error.Error(), "more than 8 different accounting queries"):
				refused++
			default:
				t.Errorf("%s: %d %s %v", ref, r.Status, r.ErrorSource, r.Error)
			}
		}
		return ok, refused
	}
	if ok, refused := count(); ok != 8 || refused != 12 {
		t.Errorf("first request: %d answered, %d refused; want 8 and 12", ok, refused)
	}
	if n := f.srv.Count("slurmdb_jobs"); n != 8 {
		t.Errorf("%d accounting calls for one request, want 8", n)
	}
	// The 8 answers are cached: asking for them again costs nothing.
	req.Queries = req.Queries[:8]
	if ok, refused := count(); ok != 8 || refused != 0 {
		t.Errorf("the answered queries again: %d answered, %d refused; want 8 and 0", ok, refused)
	}
	if n := f.srv.Count("slurmdb_jobs"); n != 8 {
		t.Errorf("%d accounting calls after the cached request, want still 8", n)
	}
}
