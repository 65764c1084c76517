package query

import (
	"testing"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/pending"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// What a pending query costs its reader on a 100k-job snapshot once the
// explanations are built (the plugin builds them right after each refresh
// while they are read; pkg/pending's BenchmarkExplainAll is that build).
func BenchmarkPendingQueries(b *testing.B) {
	jobs := mixedJobs(100000)
	set := PendingSet{Explanations: pending.NewIndex(pending.Cluster{Jobs: jobs, Now: time.Unix(1795915100, 0)}).All()}
	for i := range jobs {
		if jobs[i].State.Base == "PENDING" {
			set.Jobs = append(set.Jobs, &jobs[i])
		}
	}
	if len(set.Jobs) != len(set.Explanations) || len(set.Jobs) < 30000 {
		b.Fatalf("%d pending jobs, %d explanations", len(set.Jobs), len(set.Explanations))
	}
	d := Data{Snapshot: &cluster.Snapshot{Jobs: jobs, Partitions: []slurm.Partition{{Name: "cpu"}, {Name: "gpu"}}}, Pending: set}
	for _, c := range []struct{ name, raw string }{
		{"table_first_page", `{}`},
		{"table_one_user", `{"users":["alice"]}`},
		{"counts_by_category", `{"format":"counts"}`},
		{"counts_by_partition_and_category", `{"format":"counts","groupBy":["partition","category"]}`},
	} {
		b.Run(c.name, func(b *testing.B) {
			m := benchModel(b, TypePending, c.raw)
			for i := 0; i < b.N; i++ {
				if _, err := m.Frames(d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
