package query

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
)

func TestJobCountsGroupAndZeroFill(t *testing.T) {
	cases := []struct{ query, want string }{
		{`{}`, "5"},
		{`{"states":"SUSPENDED"}`, "0"},
		// Job 3 pends in "gpu,cpu": it counts in both, and debug shows 0.
		{`{"groupBy":"partition","states":"PENDING"}`, "cpu 2; debug 0; gpu 1"},
		{`{"groupBy":"partition","partitions":"gpu"}`, "gpu 3"},
		{`{"groupBy":["account","state"]}`, "chemistry FAILED 1; chemistry PENDING 1; physics PENDING 1; physics RUNNING 2"},
		{`{"groupBy":"qos"}`, "(none) 4; high 1"},
		{`{"groupBy":"state","states":["running","timeout"]}`, "RUNNING 2; TIMEOUT 0"},
		// A name filter looks at every job (md_run and sweep run, crash failed).
		{`{"groupBy":"account","nameRegex":"^(md_run|sweep|crash)$"}`, "chemistry 1; physics 2"},
		{`{"nameRegex":"^(md_run|sweep|crash)$","states":"RUNNING"}`, "2"},
	}
	for _, c := range cases {
		q, err := ParseJobCounts(json.RawMessage(c.query), testRequest)
		if err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		if got := longRows(t, q.Frame(cluster.NewJobIndex(testJobs), testParts)); got != c.want {
			t.Errorf("%s: got %q, want %q", c.query, got, c.want)
		}
	}
}

func TestCountsRejectBadGroupBy(t *testing.T) {
	for _, in := range []string{`{"groupBy":"node"}`, `{"groupBy":["state","colour"]}`, `{"groupBy":7}`} {
		if _, err := ParseJobCounts(json.RawMessage(in), testRequest); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "groupBy") {
			t.Errorf("%s: %v", in, err)
		}
	}
}
