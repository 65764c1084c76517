package deploy

import (
	"strings"
	"testing"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/query"
)

// Every query type the backend serves can be checked: its keys come from the backend's registry.
func TestEveryServedQueryTypeHasItsKeys(t *testing.T) {
	for _, qt := range query.Types() {
		if keys, ok := SlurmQueryKeys(qt); !ok || len(keys) <= len(grafanaQueryKeys) {
			t.Errorf("query type %q: keys %v", qt, keys)
		}
	}
	if _, ok := SlurmQueryKeys("gpu_hours"); ok {
		t.Error("keys for a query type the backend does not serve")
	}
}

// The model keys come from the backend's types: the job filter's plural lists and the rest.
func TestSlurmQueryKeysComeFromTheBackendModels(t *testing.T) {
	keys, _ := SlurmQueryKeys(query.TypeJobs)
	for _, want := range []string{"states", "partitions", "users", "accounts", "qos", "reasons", "nodes", "nameRegex", "sort", "limit"} {
		found := false
		for _, k := range keys {
			found = found || k == want
		}
		if !found {
			t.Errorf("jobs: key %q missing from %v", want, keys)
		}
	}
}

// The options alert rules rely on are the backend's: its QueryData accepts them and answers a 400
// naming the allowed values for a wrong one.
func TestBackendValidatesAlertingOptions(t *testing.T) {
	for _, ok := range []map[string]any{
		{"queryType": "scheduler", "format": "numeric", "statistics": []any{"schedule_cycle_last_us"}},
		{"queryType": "node_counts", "states": []any{"DRAIN"}, "groupBy": []any{"node", "state", "reason"}},
	} {
		if errs := ValidateSlurmQuery(ok); len(errs) > 0 {
			t.Errorf("%v: %v", ok, errs)
		}
	}
	for _, c := range []struct {
		q    map[string]any
		want string
	}{
		{map[string]any{"queryType": "scheduler", "format": "long"}, "use wide or numeric"},
		{map[string]any{"queryType": "scheduler", "format": "numeric", "statistics": []any{"main_cycle_last"}}, "schedule_cycle_last_us"},
		{map[string]any{"queryType": "node_counts", "groupBy": []any{"node", "user"}}, "state, partition, node, reason"},
	} {
		if err := BackendParse(c.q); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: backend answered %v, want a 400 containing %q", c.q, err, c.want)
		}
	}
}
