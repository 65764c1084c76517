package cluster

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// indexTestJobs are jobs with many ties in every column (a few users,
// states, partitions, names, priorities and times) and some unset values.
func indexTestJobs(n int, seed uint64) []slurm.Job {
	rng := rand.New(rand.NewPCG(seed, seed)) // #nosec G404 -- test data
	states := []string{"RUNNING", "PENDING", "PENDING", "COMPLETED", "FAILED"}
	jobs := make([]slurm.Job, n)
	for i := range jobs {
		j := &jobs[i]
		j.JobID = int64(1000 + rng.IntN(n)) // duplicates on purpose: ties
		j.ID = fmt.Sprint(j.JobID)
		j.Name = fmt.Sprintf("job%d", rng.IntN(7))
		j.User = fmt.Sprintf("user%d", rng.IntN(5))
		j.Account = fmt.Sprintf("acct%d", rng.IntN(3))
		j.Partition = []string{"cpu", "gpu", "cpu,gpu"}[rng.IntN(3)]
		j.QOS = []string{"normal", "high", ""}[rng.IntN(3)]
		j.State = slurm.State{Base: states[rng.IntN(len(states))]}
		if rng.IntN(10) == 0 {
			j.State.Flags = []string{"COMPLETING"}
		}
		j.Reason = []string{"None", "Priority", "Resources"}[rng.IntN(3)]
		if rng.IntN(4) > 0 {
			j.Priority = slurm.Val(int64(rng.IntN(20)))
		}
		if rng.IntN(5) > 0 {
			j.SubmitTime = time.Unix(1795900000+int64(rng.IntN(50)), 0)
			j.StartTime = j.SubmitTime.Add(time.Duration(rng.IntN(3)) * time.Minute)
		}
		if rng.IntN(3) == 0 {
			j.EndTime = time.Unix(1795990000+int64(rng.IntN(10)), 0)
		}
	}
	return jobs
}

// Every ordering equals a stable sort of the jobs by its column, ascending
// and descending (equal jobs in snapshot order both ways).
func TestJobIndexOrdersAreStableSorts(t *testing.T) {
	jobs := indexTestJobs(3000, 1)
	x := NewJobIndex(jobs)
	for o := JobOrder(0); o < numJobOrders; o++ {
		for _, desc := range []bool{false, true} {
			want := make([]int32, len(jobs))
			for i := range want {
				want[i] = int32(i)
			}
			slices.SortStableFunc(want, func(a, b int32) int {
				if desc {
					return o.Compare(&jobs[b], &jobs[a])
				}
				return o.Compare(&jobs[a], &jobs[b])
			})
			if got := x.Order(o, desc); !slices.Equal(got, want) {
				t.Errorf("%s desc=%v: the ordering differs from a stable sort", jobOrders[o].name, desc)
			}
		}
	}
	if len(NewJobIndex(nil).Order(OrderPriority, true)) != 0 {
		t.Error("no jobs, yet an ordering")
	}
}

// Classes, and the classes by any set of labels, hold every job once: as
// many jobs as carry those labels, represented by the first of them.
func TestJobIndexClassesCountEveryJobOnce(t *testing.T) {
	jobs := indexTestJobs(5000, 2)
	x := NewJobIndex(jobs)
	keyOf := func(j *slurm.Job, labels JobLabels) string {
		parts := []string{}
		for _, l := range []struct {
			label JobLabels
			value string
		}{{LabelState, j.State.String()}, {LabelUser, j.User}, {LabelAccount, j.Account}, {LabelPartition, j.Partition}, {LabelQOS, j.QOS}, {LabelReason, j.Reason}} {
			if labels&l.label != 0 {
				parts = append(parts, l.value)
			}
		}
		return strings.Join(parts, "|")
	}
	all := LabelState | LabelUser | LabelAccount | LabelPartition | LabelQOS | LabelReason
	for labels := JobLabels(0); labels < numLabelSets; labels++ {
		classes := x.ClassesBy(labels)
		if labels == all && !slices.Equal(classes, x.Classes()) {
			t.Error("the classes by every label are not the classes")
		}
		want := map[string]int{}
		first := map[string]*slurm.Job{}
		for i := range jobs {
			k := keyOf(&jobs[i], labels)
			want[k]++
			if first[k] == nil {
				first[k] = &jobs[i]
			}
		}
		if len(classes) != len(want) {
			t.Fatalf("labels %06b: %d classes, want %d", labels, len(classes), len(want))
		}
		for _, cl := range classes {
			k := keyOf(cl.Job, labels)
			if cl.Count != want[k] || cl.Job != first[k] {
				t.Fatalf("labels %06b, class %q: %d jobs (first %p), want %d (first %p)", labels, k, cl.Count, cl.Job, want[k], first[k])
			}
		}
		// Every job finds its group through its class.
		_, groupOf := x.ClassGroups(labels)
		for i := range jobs {
			if g := classes[groupOf[x.ClassOf(i)]]; keyOf(g.Job, labels) != keyOf(&jobs[i], labels) {
				t.Fatalf("labels %06b: job %d (%q) maps to group %q", labels, i, keyOf(&jobs[i], labels), keyOf(g.Job, labels))
			}
		}
	}
	if len(x.Classes()) >= len(jobs)/2 || len(x.ClassesBy(LabelState)) > 10 {
		t.Errorf("%d classes for %d jobs with few distinct labels, %d by state", len(x.Classes()), len(jobs), len(x.ClassesBy(LabelState)))
	}
}

// The poller's snapshots carry the index built when the jobs were swapped
// in; a snapshot made otherwise gets a correct one on demand.
func TestSnapshotJobIndexIsTheJobs(t *testing.T) {
	jobs := indexTestJobs(100, 3)
	built := &Snapshot{Jobs: jobs, jobIndex: NewJobIndex(jobs)}
	if built.JobIndex() != built.jobIndex {
		t.Error("the built index was not used")
	}
	other := indexTestJobs(100, 4)
	stale := &Snapshot{Jobs: other, jobIndex: built.jobIndex}
	if x := stale.JobIndex(); &x.Jobs()[0] != &other[0] {
		t.Error("an index of other jobs was used")
	}
	if x := (&Snapshot{}).JobIndex(); len(x.Jobs()) != 0 || len(x.Classes()) != 0 {
		t.Error("an empty snapshot's index is not empty")
	}
}

func BenchmarkNewJobIndex(b *testing.B) {
	jobs := indexTestJobs(100000, 5)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		NewJobIndex(jobs)
	}
}

func BenchmarkJobIndexOrder(b *testing.B) {
	jobs := indexTestJobs(100000, 6)
	for o := JobOrder(0); o < numJobOrders; o++ {
		b.Run(jobOrders[o].name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				x := &JobIndex{jobs: jobs}
				x.Order(o, true)
			}
		})
	}
}
