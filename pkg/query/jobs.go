package query

import (
	"cmp"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// Jobs is the "jobs" query: one row per job or array task, like `squeue`.
type Jobs struct {
	JobFilter
	Sort   *JobSort `json:"sort"`   // default: the snapshot's order (slurmctld's)
	Limit  int      `json:"limit"`  // rows; default DefaultLimit
	Offset int      `json:"offset"` // rows to skip: the next page starts at offset+limit
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
func ParseJobs(raw json.RawMessage) (Jobs, error) {
	var q Jobs
	if err := decode(raw, &q); err != nil {
		return Jobs{}, err
	}
	if err := q.compile(); err != nil {
		return Jobs{}, err
	}
	var err error
	if q.Limit, err = checkLimit(q.Limit); err != nil {
		return Jobs{}, err
	}
	if q.Offset < 0 {
		return Jobs{}, invalid("offset", "is %d: it must be 0 or more", q.Offset)
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
		sel = pageOf(sel, Page{Limit: q.Limit, Offset: q.Offset})
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
		id[i], name[i], user[i], account[i], partition[i], qos[i] = j.ID, j.Name, j.User, j.Account, j.Partition, j.QOS
		state[i], base[i], flags[i], reason[i], nodes[i] = j.State.String(), j.State.Base, strings.Join(j.State.Flags, ","), j.Reason, j.NodeList
		arrayJob[i], arrayTask[i], timeLimit[i], prio[i] = numberOrNil(j.ArrayJobID), numberOrNil(j.ArrayTaskID), numberOrNil(j.TimeLimit), numberOrNil(j.Priority)
		nodeCount[i], cpus[i], exitCode[i] = numberOrNil(j.NodeCount), numberOrNil(j.CPUs), numberOrNil(j.ExitCode.ReturnCode)
		mem[i], gpusReq[i], gpusAlloc[i] = j.MemoryMB, j.GPUsRequested, j.GPUsAllocated
		submit[i], eligible[i], start[i], end[i] = timeOrNil(j.SubmitTime), timeOrNil(j.EligibleTime), timeOrNil(j.StartTime), timeOrNil(j.EndTime)
		timeLimitText[i], exitStatus[i], workDir[i] = numberText(j.TimeLimit), j.ExitCode.Status, j.WorkDir
	}
	frame := data.NewFrame("jobs",
		jobLink(withConfig(data.NewField("job_id", nil, id), "Job", "")),
		data.NewField("array_job_id", nil, arrayJob),
		data.NewField("array_task_id", nil, arrayTask),
		data.NewField("name", nil, name),
		data.NewField("user", nil, user),
		data.NewField("account", nil, account),
		data.NewField("partition", nil, partition),
		data.NewField("qos", nil, qos),
		data.NewField("state", nil, state),
		data.NewField("state_base", nil, base),
		data.NewField("state_flags", nil, flags),
		data.NewField("reason", nil, reason),
		data.NewField("submit_time", nil, submit),
		data.NewField("eligible_time", nil, eligible),
		data.NewField("start_time", nil, start),
		data.NewField("end_time", nil, end),
		withConfig(data.NewField("time_limit_minutes", nil, timeLimit), "", "m"),
		data.NewField("time_limit", nil, timeLimitText),
		data.NewField("nodes", nil, nodes),
		data.NewField("node_count", nil, nodeCount),
		data.NewField("cpus", nil, cpus),
		withConfig(data.NewField("memory_mb", nil, mem), "", "decmbytes"),
		data.NewField("gpus_requested", nil, gpusReq),
		data.NewField("gpus_allocated", nil, gpusAlloc),
		data.NewField("priority", nil, prio),
		data.NewField("exit_status", nil, exitStatus),
		data.NewField("exit_code", nil, exitCode),
		data.NewField("work_dir", nil, workDir),
	)
	setTotal(frame, matched, Page{Limit: q.Limit, Offset: q.Offset}, n)
	return frame
}

// arrayJobID is the array's job id, 0 (never a wanted id) when not an array task.
func arrayJobID(j *slurm.Job) int64 {
	v, _ := j.ArrayJobID.Get()
	return v
}
