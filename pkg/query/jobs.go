package query

import (
	"cmp"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// TypeJobs lists the controller's jobs.
const TypeJobs = "jobs"

func init() {
	register(Type{Name: TypeJobs,
		Frame: "table, one row per job or array task like `squeue`: job_id (link to the job's page), name, user, account, " +
			"partition, qos, state…, times, cpus, memory_mb, gpus, priority, exit",
		Examples: []string{`{"states":["PENDING"],"partitions":"gpu","jobIds":["5014"],"nameRegex":"train.*","sort":{"field":"priority","desc":true},"limit":100,"offset":0}`},
	}, ParseJobs)
}

// Jobs is the "jobs" query: one row per job or array task, like `squeue`.
type Jobs struct {
	JobFilter
	Sort *JobSort `json:"sort"` // default: the snapshot's order (slurmctld's)
	Page
	links appLinks
}

// JobSort orders the jobs table before the limit applies.
type JobSort struct {
	Field string `json:"field"`
	Desc  bool   `json:"desc"`
}

// jobSortKeys are the columns a jobs table can be sorted by.
var jobSortKeys = map[string]func(a, b *slurm.Job) int{
	"job_id":      func(a, b *slurm.Job) int { return cmp.Compare(a.JobID, b.JobID) },
	"submit_time": func(a, b *slurm.Job) int { return a.SubmitTime.Compare(b.SubmitTime) },
	"start_time":  func(a, b *slurm.Job) int { return a.StartTime.Compare(b.StartTime) },
	"end_time":    func(a, b *slurm.Job) int { return a.EndTime.Compare(b.EndTime) },
	"priority":    func(a, b *slurm.Job) int { return cmp.Compare(a.Priority.Value, b.Priority.Value) },
	"name":        func(a, b *slurm.Job) int { return strings.Compare(a.Name, b.Name) },
	"user":        func(a, b *slurm.Job) int { return strings.Compare(a.User, b.User) },
	"partition":   func(a, b *slurm.Job) int { return strings.Compare(a.Partition, b.Partition) },
	"state":       func(a, b *slurm.Job) int { return strings.Compare(a.State.Base, b.State.Base) },
}

// JobFilter selects jobs; the jobs and job_counts queries share it.
type JobFilter struct {
	States     StringList `json:"states"` // base state or flag, e.g. RUNNING, PENDING, COMPLETING
	Users      StringList `json:"users"`
	Accounts   StringList `json:"accounts"`
	Partitions StringList `json:"partitions"` // a job pending in "cpu,gpu" is in both
	QOS        StringList `json:"qos"`
	Reasons    StringList `json:"reasons"`   // e.g. Resources, Priority, Dependency
	Nodes      StringList `json:"nodes"`     // jobs allocated any of these nodes
	Name       string     `json:"nameRegex"` // regular expression on the job name
	JobIDs     StringList `json:"jobIds"`    // numeric ids; an array job id selects its tasks
	nameRE     *regexp.Regexp
	jobIDs     map[int64]bool
}

// compile validates the filter's regular expression.
func (f *JobFilter) compile() error {
	re, err := compileNamePattern("nameRegex", f.Name)
	if err != nil {
		return err
	}
	f.nameRE = re
	if f.jobIDs, err = parseJobIDs(f.JobIDs); err != nil {
		return err
	}
	return nil
}

// Match reports whether the filter selects j. The node filter, the only
// costly one (it expands the job's host list), runs last.
func (f *JobFilter) Match(j *slurm.Job) bool {
	return stateMatches(f.States, j.State) &&
		matchAny(f.Users, j.User) &&
		matchAny(f.Accounts, j.Account) &&
		matchAny(f.QOS, j.QOS) &&
		matchAnyFold(f.Reasons, j.Reason) &&
		(len(f.Partitions) == 0 || anyIn(f.Partitions, jobPartitions(j))) &&
		(f.nameRE == nil || f.nameRE.MatchString(j.Name)) &&
		(f.jobIDs == nil || f.jobIDs[j.JobID] || f.jobIDs[arrayJobID(j)]) &&
		(len(f.Nodes) == 0 || onNodes(f.Nodes, j.NodeList))
}

// onNodes reports whether a compressed host list names any wanted node.
func onNodes(wanted []string, hostlist string) bool {
	if hostlist == "" {
		return false
	}
	names, err := slurm.ExpandHostlist(hostlist)
	if err != nil {
		return false
	}
	return anyIn(wanted, names)
}

// jobPartitions splits the partition list of a job submitted to several.
func jobPartitions(j *slurm.Job) []string { return splitValues([]string{j.Partition}) }

// ParseJobs reads and validates a jobs query.
func ParseJobs(raw json.RawMessage, r Request) (Jobs, error) {
	q := Jobs{links: appLinks{r.DatasourceUID}}
	if err := decode(raw, &q); err != nil {
		return Jobs{}, err
	}
	if err := q.compile(); err != nil {
		return Jobs{}, err
	}
	if err := q.Page.check(r.MaxRows); err != nil {
		return Jobs{}, err
	}
	if q.Sort != nil && q.Sort.Field != "" {
		if _, ok := jobSortKeys[q.Sort.Field]; !ok {
			keys := make([]string, 0, len(jobSortKeys))
			for k := range jobSortKeys {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			return Jobs{}, invalid("sort.field", "%q is not sortable: use one of %s", q.Sort.Field, strings.Join(keys, ", "))
		}
	}
	return q, nil
}

// Needs reads the snapshot's jobs.
func (q Jobs) Needs() Needs { return Needs{Kinds: []cluster.Kind{cluster.KindJobs}} }

// Frames answers with the jobs table.
func (q Jobs) Frames(d Data) (data.Frames, error) { return one(q.Frame(d.Snapshot.Jobs)) }

// Filter returns the selected jobs in snapshot order and how many matched
// before the limit.
func (q Jobs) Filter(jobs []slurm.Job) (sel []slurm.Job, matched int) {
	sorting := q.Sort != nil && q.Sort.Field != ""
	for i := range jobs {
		j := &jobs[i]
		if !q.Match(j) {
			continue
		}
		matched++
		// Sorting needs every match before paging; otherwise copy only the page.
		if sorting || (matched > q.Offset && len(sel) < q.Limit) {
			sel = append(sel, *j)
		}
	}
	if sorting {
		less := jobSortKeys[q.Sort.Field]
		slices.SortStableFunc(sel, func(a, b slurm.Job) int {
			if q.Sort.Desc {
				return less(&b, &a)
			}
			return less(&a, &b)
		})
		sel = pageOf(sel, q.Page)
	}
	return sel, matched
}

// Frame builds the jobs table; a notice says when rows were cut at the limit.
func (q Jobs) Frame(jobs []slurm.Job) *data.Frame {
	sel, matched := q.Filter(jobs)
	n := len(sel)
	var (
		id, name, user, account, partition, qos = col[string](n), col[string](n), col[string](n), col[string](n), col[string](n), col[string](n)
		state, base, flags, reason, nodes       = col[string](n), col[string](n), col[string](n), col[string](n), col[string](n)
		arrayJob, arrayTask, timeLimit, prio    = col[*int64](n), col[*int64](n), col[*int64](n), col[*int64](n)
		nodeCount, cpus, exitCode               = col[*int64](n), col[*int64](n), col[*int64](n)
		mem, gpusReq, gpusAlloc                 = col[int64](n), col[int64](n), col[int64](n)
		submit, eligible, start, end            = col[*time.Time](n), col[*time.Time](n), col[*time.Time](n), col[*time.Time](n)
		timeLimitText, exitStatus, workDir      = col[string](n), col[string](n), col[string](n)
	)
	for i, j := range sel {
		id[i], name[i], user[i], account[i], partition[i], qos[i] = pageableID(j.ID), j.Name, j.User, j.Account, j.Partition, j.QOS
		state[i], base[i], flags[i], reason[i], nodes[i] = j.State.String(), j.State.Base, strings.Join(j.State.Flags, ","), j.Reason, j.NodeList
		arrayJob[i], arrayTask[i], timeLimit[i], prio[i] = numberOrNil(j.ArrayJobID), numberOrNil(j.ArrayTaskID), numberOrNil(j.TimeLimit), numberOrNil(j.Priority)
		nodeCount[i], cpus[i], exitCode[i] = numberOrNil(j.NodeCount), numberOrNil(j.CPUs), numberOrNil(j.ExitCode.ReturnCode)
		mem[i], gpusReq[i], gpusAlloc[i] = j.MemoryMB, j.GPUsRequested, j.GPUsAllocated
		submit[i], eligible[i], start[i], end[i] = timeOrNil(j.SubmitTime), timeOrNil(j.EligibleTime), timeOrNil(j.StartTime), timeOrNil(j.EndTime)
		timeLimitText[i], exitStatus[i], workDir[i] = numberText(j.TimeLimit), j.ExitCode.Status, j.WorkDir
	}
	frame := data.NewFrame("jobs",
		q.links.job(withConfig(data.NewField("job_id", nil, id), "Job", "")),
		hiddenInTables(withConfig(data.NewField("array_job_id", nil, arrayJob), "Array job", "none")),
		hiddenInTables(withConfig(data.NewField("array_task_id", nil, arrayTask), "Array task", "none")),
		withConfig(data.NewField("name", nil, name), "Name", ""),
		withConfig(data.NewField("user", nil, user), "User", ""),
		withConfig(data.NewField("account", nil, account), "Account", ""),
		withConfig(data.NewField("partition", nil, partition), "Partition", ""),
		withConfig(data.NewField("qos", nil, qos), "QOS", ""),
		withConfig(data.NewField("state", nil, state), "State", ""),
		hiddenInTables(withConfig(data.NewField("state_base", nil, base), "Base state", "")),
		hiddenInTables(withConfig(data.NewField("state_flags", nil, flags), "State flags", "")),
		withConfig(data.NewField("reason", nil, reason), "Reason", ""),
		withConfig(data.NewField("submit_time", nil, submit), "Submitted", ""),
		withConfig(data.NewField("eligible_time", nil, eligible), "Eligible", ""),
		withConfig(data.NewField("start_time", nil, start), "Started", ""),
		// While a job runs or waits Slurm reports its projected end here.
		withConfig(data.NewField("end_time", nil, end), "End", ""),
		withConfig(data.NewField("time_limit_minutes", nil, timeLimit), "Time limit", "m"),
		hiddenInTables(withConfig(data.NewField("time_limit", nil, timeLimitText), "Time limit (text)", "")),
		withConfig(data.NewField("nodes", nil, nodes), "Node list", ""),
		withConfig(data.NewField("node_count", nil, nodeCount), "Nodes", "none"),
		withConfig(data.NewField("cpus", nil, cpus), "CPUs", "none"),
		withConfig(data.NewField("memory_mb", nil, mem), "Memory", "decmbytes"),
		withConfig(data.NewField("gpus_requested", nil, gpusReq), "GPUs requested", "none"),
		withConfig(data.NewField("gpus_allocated", nil, gpusAlloc), "GPUs allocated", "none"),
		withConfig(data.NewField("priority", nil, prio), "Priority", "none"),
		withConfig(data.NewField("exit_status", nil, exitStatus), "Exit status", ""),
		withConfig(data.NewField("exit_code", nil, exitCode), "Exit code", "none"),
		withConfig(data.NewField("work_dir", nil, workDir), "Working directory", ""),
	)
	setTotal(frame, matched, q.Page, n)
	return frame
}

// arrayThrottle is the "%2" of a pending array record's id "12_[3-6%2]".
var arrayThrottle = regexp.MustCompile(`%\d+\]$`)

// pageableID is the job id without an array record's throttle: "12_[3-6]" is
// what scancel and scontrol take, and a "%" in a page's URL path breaks the
// browser history Grafana routes with (it decodes the path and fails on "%2]").
func pageableID(id string) string {
	return arrayThrottle.ReplaceAllString(id, "]")
}

// arrayJobID is the array's job id, 0 (never a wanted id) when not an array task.
func arrayJobID(j *slurm.Job) int64 {
	v, _ := j.ArrayJobID.Get()
	return v
}
