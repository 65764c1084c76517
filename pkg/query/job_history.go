package query

import (
	"encoding/json"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// TypeJobHistory lists the jobs slurmdbd recorded over the range.
const TypeJobHistory = "job_history"

func init() {
	register(Type{Name: TypeJobHistory,
		Frame: "table as jobs plus elapsed_s (s), cpu_time_s (s), max_rss_mb (decmbytes), cpu_efficiency and mem_efficiency " +
			"(percentunit; null when not computable, never 0)",
		Examples: []string{`{"states":["FAILED","TIMEOUT"],"users":["bob"],"limit":500}`, `{"jobIds":["5002"]}`},
	}, ParseJobHistory)
}

// JobHistory is the "job_history" query: finished (and running) jobs as
// slurmdbd recorded them over the dashboard's time range, like `sacct`, with
// CPU and memory efficiency.
type JobHistory struct {
	Users      StringList `json:"users"`
	Accounts   StringList `json:"accounts"`
	Partitions StringList `json:"partitions"`
	States     StringList `json:"states"` // base state, e.g. COMPLETED, FAILED, TIMEOUT
	// JobIDs are Slurm's numeric ids; an array job's id selects its tasks,
	// as sacct -j does. A job page reads its own record this way.
	JobIDs StringList `json:"jobIds"`
	Page
	jobIDs map[int64]bool
	w      window
	links  appLinks
}

// ParseJobHistory reads and validates a job_history query.
func ParseJobHistory(raw json.RawMessage, r Request) (JobHistory, error) {
	q := JobHistory{links: appLinks{r.DatasourceUID}}
	if err := decode(raw, &q); err != nil {
		return JobHistory{}, err
	}
	var err error
	if q.w, err = windowOf(r); err != nil {
		return JobHistory{}, err
	}
	if err := q.Page.check(r.MaxRows); err != nil {
		return JobHistory{}, err
	}
	if err := checkUpstreamNames(map[string][]string{"users": q.Users, "accounts": q.Accounts, "partitions": q.Partitions}); err != nil {
		return JobHistory{}, err
	}
	if q.jobIDs, err = parseJobIDs(q.JobIDs); err != nil {
		return JobHistory{}, err
	}
	for _, st := range q.States {
		if !slices.Contains(accountingStates, strings.ToUpper(st)) {
			return JobHistory{}, invalid("states", "has %q: use Slurm job states (%s)", st, strings.Join(accountingStates, ", "))
		}
	}
	return q, nil
}

// Needs asks slurmdbd for the jobs of the range.
func (q JobHistory) Needs() Needs {
	f := q.Filter(q.w.from, q.w.to)
	return Needs{Accounting: &f}
}

// Frames answers with the history table.
func (q JobHistory) Frames(d Data) (data.Frames, error) { return one(q.Frame(d.Accounting)) }

// accountingStates are the job states slurmdbd filters on. They are sent to
// slurmrestd, which answers an unknown one with HTTP 500, so they are
// checked here first.
var accountingStates = []string{"PENDING", "RUNNING", "SUSPENDED", "COMPLETED", "CANCELLED", "FAILED",
	"TIMEOUT", "NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY", "REQUEUED", "RESIZING", "REVOKED"}

// Filter is what slurmdbd is asked for: the same lists, over the range.
// The accounting fetch filters again after decoding, so every version
// honours them.
func (q JobHistory) Filter(from, to time.Time) slurm.AccountingFilter {
	return slurm.AccountingFilter{Start: from, End: to, Users: q.Users, Accounts: q.Accounts,
		Partitions: q.Partitions, States: upperAll(q.States), JobIDs: sortedIDs(q.jobIDs)}
}

// match applies the filters locally too: the fixture server and old
// versions may ignore some of them.
func (q JobHistory) match(j *slurm.AccountingJob) bool {
	return matchAny(q.Users, j.User) && matchAny(q.Accounts, j.Account) &&
		(len(q.Partitions) == 0 || anyIn(q.Partitions, splitValues([]string{j.Partition}))) &&
		stateMatches(q.States, j.State) && q.matchID(j)
}

func (q JobHistory) matchID(j *slurm.AccountingJob) bool {
	if len(q.jobIDs) == 0 || q.jobIDs[j.JobID] {
		return true
	}
	a, ok := j.ArrayJobID.Get()
	return ok && q.jobIDs[a]
}

// Frame builds the history table: one row per job, newest submission
// first as slurmdbd returns them, one page of it.
func (q JobHistory) Frame(jobs []slurm.AccountingJob) *data.Frame {
	var sel []*slurm.AccountingJob
	for i := range jobs {
		if q.match(&jobs[i]) {
			sel = append(sel, &jobs[i])
		}
	}
	total := len(sel)
	sel = pageOf(sel, q.Page)
	n := len(sel)
	var (
		id, name, user, account, partition, qos, state, nodes, exit = col[string](n), col[string](n), col[string](n), col[string](n), col[string](n), col[string](n), col[string](n), col[string](n), col[string](n)
		submit, start, end                                          = col[*time.Time](n), col[*time.Time](n), col[*time.Time](n)
		elapsed, cpuTime, cpus, mem, gpus, maxRSS                   = col[*int64](n), col[*int64](n), col[*int64](n), col[*int64](n), col[*int64](n), col[*int64](n)
		cpuEff, memEff                                              = col[*float64](n), col[*float64](n)
		slurmID                                                     = col[int64](n)
	)
	for i, j := range sel {
		id[i], name[i], user[i], account[i], partition[i], qos[i] = accountingID(j), j.Name, j.User, j.Account, j.Partition, j.QOS
		slurmID[i] = j.JobID
		state[i], nodes[i], exit[i] = j.State.String(), j.NodeList, exitText(j)
		submit[i], start[i], end[i] = timeOrNil(j.SubmitTime), timeOrNil(startedAt(j)), timeOrNil(endedAt(j))
		// A pending job has not run: its elapsed time is unknown, not 0.
		elapsed[i], cpuTime[i] = seconds(j.Elapsed, !startedAt(j).IsZero()), seconds(j.CPUTime, j.CPUTime > 0)
		cpus[i], mem[i], gpus[i] = positive(jobCPUs(j)), positive(jobMemMB(j)), tresValue(j.TRESAllocated, "gres/gpu")
		maxRSS[i] = positive(j.MaxRSSMB)
		cpuEff[i], memEff[i] = CPUEfficiency(j), MemEfficiency(j)
	}
	frame := data.NewFrame("job_history",
		q.links.job(withConfig(data.NewField("job_id", nil, id), "Job", "")),
		// An array task's own numeric id (job_id shows 123_4): exporters label its series with this one.
		hiddenInTables(withConfig(data.NewField("slurm_job_id", nil, slurmID), "Slurm job id", "none")),
		withConfig(data.NewField("name", nil, name), "Name", ""),
		withConfig(data.NewField("user", nil, user), "User", ""),
		withConfig(data.NewField("account", nil, account), "Account", ""),
		withConfig(data.NewField("partition", nil, partition), "Partition", ""),
		withConfig(data.NewField("qos", nil, qos), "QOS", ""),
		withConfig(data.NewField("state", nil, state), "State", ""),
		withConfig(data.NewField("submit_time", nil, submit), "Submitted", ""),
		withConfig(data.NewField("start_time", nil, start), "Started", ""),
		withConfig(data.NewField("end_time", nil, end), "Ended", ""),
		withConfig(data.NewField("elapsed_s", nil, elapsed), "Elapsed", "s"),
		withConfig(data.NewField("cpu_time_s", nil, cpuTime), "CPU time", "s"),
		withConfig(data.NewField("cpus", nil, cpus), "CPUs", "none"),
		withConfig(data.NewField("memory_mb", nil, mem), "Memory requested", "decmbytes"),
		withConfig(data.NewField("gpus", nil, gpus), "GPUs", "none"),
		withConfig(data.NewField("max_rss_mb", nil, maxRSS), "Max RSS", "decmbytes"),
		withConfig(data.NewField("cpu_efficiency", nil, cpuEff), "CPU efficiency", "percentunit"),
		withConfig(data.NewField("mem_efficiency", nil, memEff), "Memory efficiency", "percentunit"),
		withConfig(data.NewField("nodes", nil, nodes), "Node list", ""),
		withConfig(data.NewField("exit", nil, exit), "Exit", ""),
	)
	setTotal(frame, total, q.Page, n)
	return frame
}

// CPUEfficiency is CPU time / (elapsed × CPUs), or nil when it cannot be
// computed: no elapsed time, no CPU count, or no CPU time recorded (Slurm
// reports 0 when accounting gathered nothing, which must not read as an
// idle job).
func CPUEfficiency(j *slurm.AccountingJob) *float64 {
	cpus := jobCPUs(j)
	if j.Elapsed <= 0 || cpus <= 0 || j.CPUTime <= 0 {
		return nil
	}
	v := j.CPUTime.Seconds() / (j.Elapsed.Seconds() * float64(cpus))
	return &v
}

// MemEfficiency is max RSS / requested memory, or nil when either is unknown.
func MemEfficiency(j *slurm.AccountingJob) *float64 {
	mem := jobMemMB(j)
	if j.MaxRSSMB <= 0 || mem <= 0 {
		return nil
	}
	v := float64(j.MaxRSSMB) / float64(mem)
	return &v
}

// jobCPUs is the allocated CPU count (requested when nothing was allocated).
func jobCPUs(j *slurm.AccountingJob) int64 {
	if v := j.TRESAllocated["cpu"]; v > 0 {
		return v
	}
	return j.TRESRequested["cpu"]
}

// jobMemMB is the requested memory (allocated when the request is unknown).
func jobMemMB(j *slurm.AccountingJob) int64 {
	if v := j.TRESRequested["mem"]; v > 0 {
		return v
	}
	return j.TRESAllocated["mem"]
}

// accountingID renders the id as squeue does: "123" or "120_3" for array tasks.
func accountingID(j *slurm.AccountingJob) string {
	if a, ok := j.ArrayJobID.Get(); ok && a > 0 {
		if t, ok := j.ArrayTaskID.Get(); ok {
			return strconv.FormatInt(a, 10) + "_" + strconv.FormatInt(t, 10)
		}
	}
	return strconv.FormatInt(j.JobID, 10)
}

// exitText is the exit as a reader wants it: "0", "1", "signal TERM".
func exitText(j *slurm.AccountingJob) string {
	switch {
	case j.ExitCode.Signal != 0 && j.ExitCode.SignalName != "":
		return "signal " + j.ExitCode.SignalName
	case j.ExitCode.Signal != 0:
		return "signal " + strconv.Itoa(j.ExitCode.Signal)
	}
	if rc, ok := j.ExitCode.ReturnCode.Get(); ok {
		return strconv.FormatInt(rc, 10)
	}
	return ""
}

func seconds(d time.Duration, known bool) *int64 {
	if !known {
		return nil
	}
	v := int64(d / time.Second)
	return &v
}

func positive(v int64) *int64 {
	if v <= 0 {
		return nil
	}
	return &v
}

// tresValue is a TRES count with 0 for "not allocated" (a job without GPUs
// has 0 GPUs, which is a fact, not a missing value).
func tresValue(t slurm.TRES, key string) *int64 {
	v := t[key]
	return &v
}

func upperAll(v []string) []string {
	if len(v) == 0 {
		return nil
	}
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = strings.ToUpper(s)
	}
	return out
}

// startedAt is when the job started, zero for a pending job: slurmdbd fills
// a pending job's start (and a running job's end) with the time of the
// request, which is not an event.
func startedAt(j *slurm.AccountingJob) time.Time {
	if j.State.Base == "PENDING" {
		return time.Time{}
	}
	return j.StartTime
}

// endedAt is when the job ended, zero while it is pending or still holds
// its allocation.
func endedAt(j *slurm.AccountingJob) time.Time {
	switch j.State.Base {
	case "PENDING", "RUNNING", "SUSPENDED", "REQUEUED", "RESIZING":
		return time.Time{}
	}
	if hasFlag(j.State, "COMPLETING") {
		return time.Time{}
	}
	return j.EndTime
}

func hasFlag(s slurm.State, flag string) bool {
	for _, f := range s.Flags {
		if f == flag {
			return true
		}
	}
	return false
}

// slurmName is what Slurm accepts as a user, account or partition name.
var slurmName = regexp.MustCompile(`^[A-Za-z0-9_.@+-]{1,128}$`)

// checkUpstreamNames validates the names an accounting query sends to
// slurmrestd: anything else would come back as an HTTP 400/500 from
// slurmrestd, after a call; this says what is wrong before any.
func checkUpstreamNames(lists map[string][]string) error {
	for _, field := range []string{"users", "accounts", "partitions"} {
		for _, n := range lists[field] {
			if !slurmName.MatchString(n) {
				return invalid(field, "has %q: Slurm names are letters, digits and . _ - @ +", n)
			}
		}
	}
	return nil
}
