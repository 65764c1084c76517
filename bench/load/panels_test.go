package load

import (
	"context"
	"testing"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/plugin"
)

// Every panel of the simulated dashboard is a query the data source answers
// (not an error about the query), on both API versions, through the same
// request Grafana sends; the stand-in is asked nothing it would refuse.
func TestDashboardPanelsAreAnsweredQueries(t *testing.T) {
	for _, version := range []string{"v0.0.44", "v0.0.38"} {
		t.Run(version, func(t *testing.T) {
			s := startTestStandIn(t, version, 300, 200)
			g := Grafana{URL: s.URL(), APIVersion: version, Token: testToken, Interval: 10 * time.Second, Updated: time.Unix(1795900000, 0)}
			inst, err := plugin.NewDatasource(context.Background(), *g.Settings())
			if err != nil {
				t.Fatal(err)
			}
			ds := inst.(*plugin.Datasource)
			defer ds.Dispose()
			for _, p := range Dashboard {
				resp, err := ds.QueryData(context.Background(), g.Request(p, 1, time.Now()))
				if err != nil {
					t.Fatal(err)
				}
				r := resp.Responses["A"]
				if r.Error != nil {
					t.Errorf("%s: %v", p.Name, r.Error)
					continue
				}
				if len(r.Frames) == 0 || r.Frames[0].Rows() == 0 {
					t.Errorf("%s: no rows", p.Name)
				}
			}
			for _, c := range s.Calls() {
				if c.Refusal != "" || c.Status != 200 {
					t.Errorf("%s?%s: %d %s", c.Endpoint, c.Query, c.Status, c.Refusal)
				}
			}
		})
	}
}
