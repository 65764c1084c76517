package pending

import (
	"fmt"
	"testing"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// largeCluster is a 100k-job, 10k-node cluster: 10 partitions of 1000 nodes,
// 500 users in 40 accounts, a third of the jobs pending with the common
// reasons, QOS and association limits set, two reservations.
func largeCluster(jobs, nodes int) Cluster {
	c := Cluster{Now: now}
	reasons := []string{"Resources", "Priority", "Dependency", "JobHeldUser", "QOSMaxCpuPerUserLimit", "AssocGrpCpuLimit", "BeginTime", "ReqNodeNotAvail"}
	for p := 0; p < 10; p++ {
		c.Partitions = append(c.Partitions, slurm.Partition{Name: fmt.Sprintf("p%d", p), State: "UP", MaxTime: slurm.Val(2880)})
	}
	for n := 0; n < nodes; n++ {
		c.Nodes = append(c.Nodes, node(fmt.Sprintf("n%05d", n), fmt.Sprintf("p%d", n%10), 64, int64(n%65), 4, int64(n%5), 256000))
	}
	for a := 0; a < 40; a++ {
		acct := slurm.Association{Account: fmt.Sprintf("a%d", a), Parent: "root"}
		acct.Limits.GrpTRES = slurm.TRES{"cpu": 5000}
		c.Associations = append(c.Associations, acct)
	}
	q := slurm.QOS{Name: "normal"}
	q.Limits.MaxTRESPerUser = slurm.TRES{"cpu": 512}
	c.QOS = []slurm.QOS{q}
	for i := 0; i < jobs; i++ {
		state, reason := "RUNNING", "None"
		if i%3 == 0 {
			state, reason = "PENDING", reasons[i%len(reasons)]
		}
		j := job(int64(100000+i), fmt.Sprintf("u%d", i%500), fmt.Sprintf("p%d", i%10), state, reason, int64(1+i%32),
			account(fmt.Sprintf("a%d", i%40)), prio(int64(i%9973)))
		if reason == "Dependency" {
			j.Extras = &slurm.JobExtras{Dependency: fmt.Sprintf("afterok:%d(unfulfilled)", 100000+i-1)}
		}
		c.Jobs = append(c.Jobs, j)
	}
	c.Reservations = []slurm.Reservation{
		{Name: "maint", Nodes: "n[00000-00999]", Flags: []string{"MAINT"}, StartTime: now.Add(24 * time.Hour), EndTime: now.Add(28 * time.Hour)},
		{Name: "course", Nodes: "n[01000-01009]", StartTime: now.Add(-time.Hour), EndTime: now.Add(time.Hour)},
	}
	return c
}

// BenchmarkExplainAll is what the pending list query costs on a 100k-job,
// 10k-node snapshot: building the index and one explanation per pending job.
func BenchmarkExplainAll(b *testing.B) {
	c := largeCluster(100_000, 10_000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if got := len(NewIndex(c).All()); got != 33_334 {
			b.Fatalf("%d pending", got)
		}
	}
}

// BenchmarkExplainOne is the job page's cost: the index plus one full
// explanation with the per-node scans.
func BenchmarkExplainOne(b *testing.B) {
	c := largeCluster(100_000, 10_000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := NewIndex(c).Explain("100003"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExplainOneIndexed is the job page's cost once the plugin holds
// the snapshot's index: the per-node scans of the job's and every other
// partition.
func BenchmarkExplainOneIndexed(b *testing.B) {
	ix := NewIndex(largeCluster(100_000, 10_000))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ix.Explain("100003"); err != nil {
			b.Fatal(err)
		}
	}
}
