package pending

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

var now = time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)

func node(name, part string, cpus, alloc, gpus, gpusAlloc, memMB int64, state ...string) slurm.Node {
	st := slurm.State{Base: "MIXED"}
	if len(state) > 0 {
		st = slurm.State{Base: state[0], Flags: state[1:]}
	}
	return slurm.Node{Name: name, Partitions: []string{part}, CPUs: cpus, CPUsAllocated: alloc, GPUs: gpus,
		GPUsAllocated: gpusAlloc, MemoryMB: memMB, State: st}
}

type jobOpt func(*slurm.Job)

func job(id int64, user, part, state, reason string, cpus int64, opts ...jobOpt) slurm.Job {
	j := slurm.Job{ID: itoa(id), JobID: id, Name: "j" + itoa(id), User: user, Account: "physics", QOS: "normal",
		Partition: part, State: slurm.State{Base: state}, Reason: reason, CPUs: slurm.Val(cpus), NodeCount: slurm.Val(1),
		TimeLimit: slurm.Val(60), Priority: slurm.Val(1000), SubmitTime: now.Add(-time.Hour), MemoryPerCPUMB: slurm.Val(1000),
		TRESRequested: slurm.TRES{"cpu": cpus}}
	if state == "RUNNING" {
		j.StartTime = now.Add(-10 * time.Minute)
		j.TRESAllocated = slurm.TRES{"cpu": cpus}
	}
	for _, o := range opts {
		o(&j)
	}
	return j
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

func gpus(n int64) jobOpt {
	return func(j *slurm.Job) {
		j.GPUsRequested = n
		j.TRESRequested = slurm.TRES{"cpu": j.TRESRequested["cpu"], "gres/gpu": n}
	}
}
func timeLimit(m int64) jobOpt { return func(j *slurm.Job) { j.TimeLimit = slurm.Val(m) } }
func prio(p int64) jobOpt      { return func(j *slurm.Job) { j.Priority = slurm.Val(p) } }
func desc(d string) jobOpt     { return withExtra(func(x *slurm.JobExtras) { x.StateDesc = d }) }
func dep(d string) jobOpt      { return withExtra(func(x *slurm.JobExtras) { x.Dependency = d }) }

// withExtra changes a copy of the job's extras (they may be shared).
func withExtra(set func(*slurm.JobExtras)) jobOpt {
	return func(j *slurm.Job) {
		x := j.Extra()
		set(&x)
		j.Extras = &x
	}
}
func account(a string) jobOpt { return func(j *slurm.Job) { j.Account = a } }

func testCluster(jobs ...slurm.Job) Cluster {
	return Cluster{
		Now: now,
		Partitions: []slurm.Partition{
			{Name: "cpu", State: "UP", MaxTime: slurm.Val(1440)},
			{Name: "gpu", State: "UP", MaxTime: slurm.Val(2880)},
			{Name: "debug", State: "UP", MaxTime: slurm.Val(240)},
		},
		Nodes: []slurm.Node{
			node("c1", "cpu", 4, 4, 0, 0, 8000), node("c2", "cpu", 4, 4, 0, 0, 8000),
			node("g1", "gpu", 8, 2, 2, 2, 16000), node("g2", "gpu", 8, 0, 2, 0, 16000, "IDLE", "DRAIN"),
			node("d1", "debug", 8, 0, 0, 0, 16000, "IDLE"),
		},
		QOS:          []slurm.QOS{{Name: "normal"}},
		Associations: []slurm.Association{{Account: "physics", Parent: "root"}, {Account: "physics", User: "alice"}, {Account: "root"}},
		Jobs:         jobs,
	}
}

func explain(t *testing.T, c Cluster, id string) Explanation {
	t.Helper()
	e, err := NewIndex(c).Explain(id)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestMoreGPUsPerNodeThanAnyNodeHasIsImpossible(t *testing.T) {
	e := explain(t, testCluster(job(10, "alice", "gpu", "PENDING", "Resources", 1, gpus(3))), "10")
	want(t, "category", e.Category, Impossible)
	want(t, "can ever start", e.CanEverStart, false)
	want(t, "blocker", e.Blockers[0], "It asks for 3 GPUs per node; the most any node of gpu has is 2.")
	want(t, "summary", e.Summary, "Can never start as submitted: It asks for 3 GPUs per node; the most any node of gpu has is 2.")
	want(t, "help", e.Help[0], "Nodes of gpu have at most 2 GPUs: up to 2 GPUs per node fit on one node.")
}

func TestPartitionTimeLimit(t *testing.T) {
	e := explain(t, testCluster(job(11, "alice", "cpu", "PENDING", "PartitionTimeLimit", 1, timeLimit(3*1440))), "11")
	want(t, "category", e.Category, Impossible)
	want(t, "blocker", e.Blockers[0], "Its time limit is 3d; partition cpu allows at most 1d (MaxTime).")
	want(t, "help", strings.Join(e.Help, "|"), "Partition cpu accepts time limits up to 1d.")
}

func TestQOSPerUserLimitWithUsage(t *testing.T) {
	c := testCluster(
		job(1, "alice", "gpu", "RUNNING", "None", 4), job(2, "alice", "gpu", "RUNNING", "None", 4),
		job(3, "bob", "gpu", "RUNNING", "None", 4),
		job(12, "alice", "gpu", "PENDING", "QOSMaxCpuPerUserLimit", 2))
	c.QOS[0].Limits.MaxTRESPerUser = slurm.TRES{"cpu": 8}
	e := explain(t, c, "12")
	want(t, "category", e.Category, Limit)
	if e.Limit == nil {
		t.Fatal("no limit fact")
	}
	l := *e.Limit
	want(t, "limit", [3]int64{l.Limit.Value, l.Used.Value, l.Requested}, [3]int64{8, 8, 2})
	want(t, "setting", l.Setting+" "+l.TRES+" "+l.Owner, "MaxTRESPerUser cpu normal")
	want(t, "text", l.Text, "QOS normal MaxTRESPerUser cpu=8: running user alice's jobs under QOS normal use 8 CPUs; this job asks for 2 CPUs.")
	want(t, "summary is the limit", e.Summary, l.Text)
	want(t, "can start once alice's jobs end", e.CanEverStart, true)
}

func TestRequestAloneOverPerUserLimitIsImpossible(t *testing.T) {
	c := testCluster(job(13, "alice", "gpu", "PENDING", "QOSMaxCpuPerUserLimit", 6))
	c.QOS[0].Limits.MaxTRESPerUser = slurm.TRES{"cpu": 4}
	e := explain(t, c, "13")
	want(t, "category", e.Category, Impossible)
	want(t, "blocker", e.Blockers[0], "QOS normal MaxTRESPerUser cpu=4; this job asks for 6.")
}

func TestAssociationGroupLimitCountsSubAccounts(t *testing.T) {
	c := testCluster(
		job(1, "bob", "gpu", "RUNNING", "None", 6, account("theory")),
		job(14, "alice", "gpu", "PENDING", "AssocGrpCpuLimit", 4))
	c.Associations = append(c.Associations, slurm.Association{Account: "theory", Parent: "physics"})
	c.Associations[0].Limits.GrpTRES = slurm.TRES{"cpu": 8}
	e := explain(t, c, "14")
	l := e.Limit
	if l == nil {
		t.Fatalf("no limit fact; notes %v", e.Notes)
	}
	want(t, "owner", l.Owner, "physics")
	want(t, "used by the sub-account's job", l.Used.Value, int64(6))
	want(t, "text", l.Text, "Association physics GrpTRES cpu=8: running the jobs of account physics and its sub-accounts use 6 CPUs; this job asks for 4 CPUs.")
}

func TestGenericLimitCodeFindsTheExceededLimit(t *testing.T) {
	c := testCluster(job(1, "alice", "gpu", "RUNNING", "None", 1), job(15, "alice", "gpu", "PENDING", "QOSJobLimit", 1))
	c.QOS[0].Limits.MaxJobsPerUser = slurm.Val(1)
	c.QOS[0].Limits.GrpJobs = slurm.Val(100)
	e := explain(t, c, "15")
	want(t, "setting", e.Limit.Setting, "MaxJobsPerUser")
	want(t, "text", e.Limit.Text, "QOS normal MaxJobsPerUser=1: 1 job running now (user alice's jobs under QOS normal).")
}

func TestMaintenanceReservationCrossingTheTimeLimit(t *testing.T) {
	c := testCluster(job(16, "alice", "cpu", "PENDING", "ReqNodeNotAvail", 1, timeLimit(240),
		desc("ReqNodeNotAvail, Reserved for maintenance")))
	c.Reservations = []slurm.Reservation{{Name: "maint_window", Nodes: "c[1-2]", Flags: []string{"MAINT"},
		StartTime: now.Add(90 * time.Minute), EndTime: now.Add(5 * time.Hour)}}
	e := explain(t, c, "16")
	want(t, "category", e.Category, Reservation)
	r := e.Reservation
	if r == nil {
		t.Fatal("no reservation fact")
	}
	want(t, "crosses", r.CrossesStart, true)
	want(t, "fits before", r.FitsBefore, int64(90))
	want(t, "help", e.Help[0], "A time limit of at most 1h 30m ends before reservation maint_window starts.")
	want(t, "summary", e.Summary, "Maintenance reservation maint_window starts 2026-12-06 11:30 UTC (in 1h 30m) on c[1-2] and ends 2026-12-06 15:00 UTC. The job's time limit of 4h, counted from now, runs past its start.")
	want(t, "detail kept", e.Detail, "ReqNodeNotAvail, Reserved for maintenance")
}

func TestPartitionWithRoomNow(t *testing.T) {
	e := explain(t, testCluster(job(17, "alice", "cpu", "PENDING", "Resources", 2, timeLimit(120))), "17")
	want(t, "category", e.Category, Resources)
	want(t, "room in cpu", e.Partition.NodesWithRoom, int64(0))
	// gpu: g1 has 6 idle CPUs (g2 is drained); debug: d1 idle, and 2h fits its 4h MaxTime.
	want(t, "help", strings.Join(e.Help, "|"),
		"Partition gpu has room for it now: 1 node with at least 2 idle CPUs and 2000 MB free each.|"+
			"Partition debug has room for it now: 1 node with at least 2 idle CPUs and 2000 MB free each.")
	e = explain(t, testCluster(job(18, "alice", "cpu", "PENDING", "Resources", 2, timeLimit(600))), "18")
	if strings.Contains(strings.Join(e.Help, "|"), "debug") {
		t.Errorf("debug's MaxTime is 4h; a 10h job does not fit there: %v", e.Help)
	}
}

func TestDependencyOnAFailedJob(t *testing.T) {
	failed := job(5, "alice", "cpu", "FAILED", "NonZeroExitCode", 1)
	e := explain(t, testCluster(failed, job(19, "alice", "cpu", "PENDING", "DependencyNeverSatisfied", 1, dep("afterok:5(failed)"))), "19")
	want(t, "category", e.Category, Impossible)
	want(t, "dependency", e.Dependencies[0].Text, "It waits for job 5 (j5, FAILED now) to end successfully. Slurm marks this dependency failed.")
	want(t, "help", e.Help[0], "Job 5 ended FAILED, so afterok on it can never be met.")
}

func TestUnknownReasonIsOtherWithItsText(t *testing.T) {
	e := explain(t, testCluster(job(20, "alice", "cpu", "PENDING", "SomethingNew", 1)), "20")
	want(t, "category", e.Category, Other)
	want(t, "summary", e.Summary, "Slurm gives the reason SomethingNew.")
}

func TestPriorityRankCountsJobsAskingForTheSameResources(t *testing.T) {
	c := testCluster(
		job(30, "bob", "gpu", "PENDING", "Resources", 4, gpus(2), prio(500)),
		job(31, "bob", "gpu", "PENDING", "Priority", 2, prio(400)),
		job(32, "carol", "gpu", "PENDING", "Priority", 1, gpus(1), prio(300)),
		job(33, "carol", "gpu", "PENDING", "JobHeldUser", 1, gpus(1), prio(900)))
	e := explain(t, c, "32")
	q := e.Queue
	if q == nil {
		t.Fatal("no queue facts")
	}
	want(t, "rank", [2]int{q.Rank, q.Of}, [2]int{3, 3})
	want(t, "ahead asking for GPUs", [3]int64{int64(q.AheadSame), q.AheadGPUs, q.AheadCPUs}, [3]int64{1, 2, 4})
	want(t, "text", q.Text, "3rd of 3 jobs waiting in gpu; 1 job ahead asks for GPUs (2 GPUs, 4 CPUs); priority 300.")
}

func TestLimitsUnknownSaysSo(t *testing.T) {
	c := testCluster(job(21, "alice", "cpu", "PENDING", "QOSMaxJobsPerUserLimit", 1))
	c.QOS, c.Associations = nil, nil
	e := explain(t, c, "21")
	want(t, "category", e.Category, Limit)
	want(t, "summary falls back to the meaning", e.Summary, "The job's QOS limit on running jobs per user (MaxJobsPerUser) is reached.")
	if !strings.Contains(strings.Join(e.Notes, " "), "slurmdbd's answer is not available") {
		t.Errorf("notes %v", e.Notes)
	}
}

func TestExplainErrors(t *testing.T) {
	ix := NewIndex(testCluster(job(1, "alice", "cpu", "RUNNING", "None", 1)))
	if _, err := ix.Explain("999"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing job: %v", err)
	}
	if _, err := ix.Explain("1"); !errors.Is(err, ErrNotPending) {
		t.Errorf("running job: %v", err)
	}
}

func TestArrayRecordIsFoundWithoutItsThrottle(t *testing.T) {
	rest := job(40, "bob", "gpu", "PENDING", "JobArrayTaskLimit", 1)
	rest.ID, rest.ArrayJobID, rest.ArrayMaxTasks = "40_[3-6%2]", slurm.Val(40), slurm.Val(2)
	ix := NewIndex(testCluster(rest))
	for _, id := range []string{"40_[3-6%2]", "40_[3-6]", "40"} {
		if e, err := ix.Explain(id); err != nil || e.Category != Limit {
			t.Errorf("%s: %v %v", id, e.Category, err)
		}
	}
}
