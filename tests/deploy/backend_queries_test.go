package deploy

import (
	"encoding/json"
	"testing"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/query"
)

// Slurm queries of the dashboards whose query type the backend already serves must also pass
// the backend's own parser (the same code QueryData runs); the others are held to the shared
// query model by TestDashboardSlurmQueriesFollowTheQueryModel until the backend serves them.
func TestDashboardSlurmQueriesParseWithTheBackend(t *testing.T) {
	parsers := map[string]func(json.RawMessage) error{
		query.TypeJobs:       func(b json.RawMessage) error { _, err := query.ParseJobs(b); return err },
		query.TypeNodes:      func(b json.RawMessage) error { _, err := query.ParseNodes(b); return err },
		query.TypePartitions: func(b json.RawMessage) error { _, err := query.ParsePartitions(b); return err },
	}
	parsed := 0
	for _, d := range loadDashboards(t) {
		for _, p := range d.Panels() {
			for _, q := range Targets(p) {
				if typ, _, _ := DatasourceRef(q["datasource"]); typ != SlurmDatasourceType {
					continue
				}
				qt, _ := q["queryType"].(string)
				parse, served := parsers[qt]
				if !served {
					continue
				}
				raw, err := json.Marshal(q)
				if err != nil {
					t.Fatal(err)
				}
				if err := parse(raw); err != nil {
					t.Errorf("%s: panel %q query %v: the backend rejects it: %v", d.File, p["title"], q["refId"], err)
				}
				parsed++
			}
		}
	}
	if parsed == 0 {
		t.Error("no dashboard query of a type the backend serves (jobs, nodes, partitions)")
	}
}
