package query

import (
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

func TestVariablesListDistinctSortedValuesOfTheSnapshot(t *testing.T) {
	snap := &cluster.Snapshot{Jobs: testJobs, Nodes: testNodes,
		Partitions: []slurm.Partition{{Name: "gpu"}, {Name: "cpu"}}}
	for _, c := range []struct {
		model string
		needs Needs
		want  string
	}{
		{`{"kind":"users"}`, kinds(cluster.KindJobs), "alice,bob,carol"},
		{`{"kind":"partitions"}`, kinds(cluster.KindPartitions), "cpu,gpu"},
		{`{"kind":"nodes","partition":"gpu","state":"down"}`, kinds(cluster.KindNodes), "node06"},
		// Job and node states share one list; both kinds must be fresh.
		{`{"kind":"states"}`, kinds(cluster.KindJobs, cluster.KindNodes), "ALLOCATED,COMPLETING,DOWN,DRAIN,FAILED,IDLE,MIXED,NOT_RESPONDING,PENDING,RUNNING"},
		{`{"kind":"states","of":"jobs"}`, kinds(cluster.KindJobs, cluster.KindNodes), "COMPLETING,FAILED,PENDING,RUNNING"},
		{`{"kind":"reasons"}`, kinds(cluster.KindJobs), "NonZeroExitCode,None,Priority,Resources"},
	} {
		frames := answer(t, TypeVariables, c.model, testRequest, c.needs, Data{Snapshot: snap})
		if got := names(t, frames[0], "value"); got != c.want || names(t, frames[0], "text") != c.want {
			t.Errorf("%s: %s, want %s", c.model, got, c.want)
		}
	}
}

func TestVariablesRefuseUnknownKindsNamingTheKnownOnes(t *testing.T) {
	_, err := ParseVariables(json.RawMessage(`{"kind":"gpus"}`), testRequest)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "use one of accounts, features, nodes, partitions, qos, reasons, reservations, states, users") {
		t.Errorf("unknown kind: %v", err)
	}
	if _, err := ParseVariables(json.RawMessage(`{"kind":"states","of":"partitions"}`), testRequest); !errors.Is(err, ErrInvalid) {
		t.Errorf("of=partitions: %v", err)
	}
	if VariableValues("gpus", &cluster.Snapshot{}, url.Values{}) != nil {
		t.Error("values of an unknown kind")
	}
}
