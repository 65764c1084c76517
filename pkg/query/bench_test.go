package query

import (
	"encoding/json"
	"testing"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
)

// What the dashboard's queries cost on a 100k-job snapshot once the poller
// has indexed it (bench/README.md has the figures through QueryData).
func BenchmarkQueries(b *testing.B) {
	x := cluster.NewJobIndex(mixedJobs(100000))
	cases := []struct{ name, typ, raw string }{
		{"jobs_pending_by_priority_5000", TypeJobs, `{"states":["PENDING"],"sort":{"field":"priority","desc":true},"limit":5000}`},
		{"jobs_name_regex_by_submit_100", TypeJobs, `{"nameRegex":"job[12]","sort":{"field":"submit_time","desc":true},"limit":100}`},
		{"job_counts_running", TypeJobCounts, `{"states":["RUNNING"]}`},
		{"job_counts_partition_state", TypeJobCounts, `{"states":["RUNNING","PENDING"],"groupBy":["partition","state"]}`},
		{"job_counts_user", TypeJobCounts, `{"groupBy":["user"]}`},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			m := benchModel(b, c.typ, c.raw)
			for i := 0; i < b.N; i++ {
				switch q := m.(type) {
				case Jobs:
					q.Frame(x)
				case JobCounts:
					q.Frame(x, nil)
				}
			}
		})
	}
}

// benchModel parses a benchmark's query model (maxRows 10 000) and starts
// the clock.
func benchModel(b *testing.B, typ, raw string) Model {
	b.Helper()
	t, _ := Lookup(typ)
	m, err := t.Parse(json.RawMessage(raw), rows(10000))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	return m
}

// The jobs page as the SDK sends it to Grafana (Arrow).
func BenchmarkJobsPageArrow(b *testing.B) {
	x := cluster.NewJobIndex(mixedJobs(100000))
	q, err := ParseJobs(json.RawMessage(`{"states":["PENDING"],"sort":{"field":"priority","desc":true},"limit":5000}`), rows(10000))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := q.Frame(x).MarshalArrow(); err != nil {
			b.Fatal(err)
		}
	}
}
