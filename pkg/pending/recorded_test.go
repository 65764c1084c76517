package pending

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// recordedCluster reads one recorded slurmrestd answer set through the real
// client: jobs, nodes, partitions, reservations, QOS, associations and (when
// the version has them) shares. Now is the jobs answer's last_update (the
// moment the recording was taken), or the given time when it is zero.
func recordedCluster(t *testing.T, release, version string) Cluster {
	t.Helper()
	var srv *clustertest.Server
	if release == "22.05.8" {
		root := filepath.Join(clustertest.FixturesRoot(t), "..")
		srv = clustertest.StartIn(t, root, release, version)
	} else {
		srv = clustertest.Start(t, release, version)
	}
	c, err := slurm.New(slurm.Config{URL: srv.URL(), User: clustertest.User, Token: clustertest.Token, APIVersion: version})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	ans, err := c.Jobs(ctx, time.Time{})
	must(err)
	cl := Cluster{Jobs: ans.Jobs, Now: ans.LastUpdate}
	cl.Nodes, err = c.Nodes(ctx)
	must(err)
	cl.Partitions, err = c.Partitions(ctx)
	must(err)
	cl.Reservations, err = c.Reservations(ctx)
	must(err)
	cl.QOS, err = c.QOS(ctx)
	must(err)
	cl.Associations, err = c.Associations(ctx)
	must(err)
	if version >= "v0.0.40" {
		cl.Shares, err = c.Shares(ctx)
		must(err)
	}
	if cl.Now.IsZero() {
		// v0.0.38/39 carry no last_update: the latest submit time is the
		// last moment the recording certainly saw.
		for _, j := range cl.Jobs {
			if j.SubmitTime.After(cl.Now) {
				cl.Now = j.SubmitTime
			}
		}
	}
	return cl
}

func byName(t *testing.T, ix *Index, name string) Explanation {
	t.Helper()
	for _, e := range ix.All() {
		if e.Name == name {
			full, err := ix.Explain(e.JobID)
			if err != nil {
				t.Fatal(err)
			}
			return full
		}
	}
	t.Fatalf("no pending job %s", name)
	return Explanation{}
}

func TestRecordedPendingJobs(t *testing.T) {
	for _, rv := range [][2]string{{"25.05.8", "v0.0.43"}, {"26.05.3", "v0.0.45"}, {"22.05.8", "v0.0.38"}} {
		t.Run(rv[0]+"/"+rv[1], func(t *testing.T) {
			cl := recordedCluster(t, rv[0], rv[1])
			ix := NewIndex(cl)
			base := map[string]int{"25.05.8": 7000, "26.05.3": 5000, "22.05.8": 1000}[rv[0]]
			id := func(n int) string { return strconv.Itoa(base + n) }

			big := byName(t, ix, "big_mpi")
			want(t, "big_mpi category", big.Category, Resources)
			want(t, "big_mpi request", [3]int64{big.Request.Nodes, big.Request.CPUsPerNode, big.Request.MemoryPerNode}, [3]int64{4, 1, 1000})
			// node01 runs analysis (2 CPUs) and postproc (1): 1 idle CPU in cpu.
			want(t, "cpu idle CPUs", big.Partition.IdleCPUs, int64(1))
			want(t, "cpu nodes with room", big.Partition.NodesWithRoom, int64(1))
			want(t, "cpu max CPUs per node", big.Partition.MaxCPUsPerNode, int64(4))
			want(t, "big_mpi can start some day", big.CanEverStart, true)
			want(t, "big_mpi expected start", big.ExpectedStart.IsZero(), false)

			queue := byName(t, ix, "queue_wait")
			want(t, "queue_wait category", queue.Category, Priority)
			if queue.Queue == nil {
				t.Fatal("queue_wait: no queue facts")
			}
			want(t, "queue_wait rank", [2]int{queue.Queue.Rank, queue.Queue.Of}, [2]int{2, 2})
			want(t, "queue_wait ahead", queue.Queue.AheadSame, 1)
			want(t, "queue_wait CPUs ahead", queue.Queue.AheadCPUs, int64(4))
			_, hasFS := queue.Queue.FairShare.Get()
			want(t, "fair-share factor known (v0.0.40+)", hasFS, rv[1] >= "v0.0.40")

			gpu := byName(t, ix, "train_wait")
			want(t, "train_wait category", gpu.Category, Resources)
			want(t, "train_wait GPUs per node", gpu.Request.GPUsPerNode, int64(2))
			want(t, "gpu max GPUs per node", gpu.Partition.MaxGPUsPerNode, int64(2))
			// node06 is in the active reservation gpu_workshop: only node05 is usable.
			want(t, "gpu usable nodes", gpu.Partition.UsableNodes, int64(1))
			if gpu.Reservation == nil || gpu.Reservation.Name != "gpu_workshop" || !gpu.Reservation.Active {
				t.Errorf("train_wait reservation %+v, want gpu_workshop active", gpu.Reservation)
			}

			held := byName(t, ix, "held_job")
			want(t, "held_job category", held.Category, Held)
			want(t, "held_job summary", held.Summary, "Held by its owner alice; it starts only once released (scontrol release "+id(15)+").")

			dep := byName(t, ix, "after_md")
			want(t, "after_md category", dep.Category, Dependency)
			want(t, "after_md dependencies", len(dep.Dependencies), 1)
			want(t, "after_md waits for", dep.Dependencies[0], DependencyFact{Type: "afterok", JobID: id(5), Status: "unfulfilled",
				Name: "md_run", State: "RUNNING", Text: "It waits for job " + id(5) + " (md_run, RUNNING now) to end successfully."})

			begin := byName(t, ix, "begin_later")
			want(t, "begin_later category", begin.Category, Held)
			want(t, "begin_later says when", strings.Contains(begin.Summary, "no earlier than "+stamp(begin.ExpectedStart)), true)

			sweep := byName(t, ix, "sweep")
			want(t, "sweep category", sweep.Category, Limit)
			if sweep.Limit == nil {
				t.Fatal("sweep: no limit fact")
			}
			want(t, "sweep limit", [2]int64{sweep.Limit.Limit.Value, sweep.Limit.Used.Value}, [2]int64{2, 2})
			want(t, "sweep summary", sweep.Summary, "Array "+id(14)+" runs at most 2 tasks at once (%2); 2 are running.")

			for _, e := range ix.All() {
				if e.Category == Other || e.Summary == "" || !e.CanEverStart {
					t.Errorf("%s %s: category %s, can start %v, summary %q", e.JobID, e.Name, e.Category, e.CanEverStart, e.Summary)
				}
			}
		})
	}
}

func want[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}
