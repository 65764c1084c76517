package deploy

import (
	"testing"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/query"
)

// The key check knows only the backend's query types. A type the backend serves but that is not
// wired in yet is listed here; a dashboard or rule using it fails ValidateSlurmQuery until it is.
func TestEveryServedQueryTypeHasItsModel(t *testing.T) {
	for _, qt := range query.Types() {
		if _, ok := SlurmQueryKeys(qt); !ok {
			t.Logf("query type %q is served by the backend but not wired into slurmQueryModels yet", qt)
		}
	}
	for qt := range slurmQueryModels {
		found := false
		for _, served := range query.Types() {
			found = found || served == qt
		}
		if !found {
			t.Errorf("slurmQueryModels has %q, which the backend does not serve", qt)
		}
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
