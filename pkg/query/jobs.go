package query

import (
	"encoding/json"
	"regexp"
	"strings"

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
	// names remembers nameRE's verdict per distinct job name during one walk
	// over every job (names repeat: array tasks, resubmissions); nil: none.
	names map[string]bool
}

// walking returns a copy of the filter for one walk over many jobs.
func (f JobFilter) walking() JobFilter {
	if f.nameRE != nil {
		f.names = make(map[string]bool, 256)
	}
	return f
}

// matchName applies the name pattern, remembering verdicts while walking.
func (f *JobFilter) matchName(name string) bool {
	if f.nameRE == nil {
		return true
	}
	if f.names == nil {
		return f.nameRE.MatchString(name)
	}
	m, ok := f.names[name]
	if !ok {
		m = f.nameRE.MatchString(name)
		f.names[name] = m
	}
	return m
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

// Match reports whether the filter selects j.
func (f *JobFilter) Match(j *slurm.Job) bool { return f.matchLabels(j) && f.matchOwn(j) }

// matchLabels is the part of the filter on the labels a JobIndex class
// shares (state, user, account, QOS, reason, partition): the same for every
// job of a class.
func (f *JobFilter) matchLabels(j *slurm.Job) bool {
	return stateMatches(f.States, j.State) &&
		matchAny(f.Users, j.User) &&
		matchAny(f.Accounts, j.Account) &&
		matchAny(f.QOS, j.QOS) &&
		matchAnyFold(f.Reasons, j.Reason) &&
		(len(f.Partitions) == 0 || anyIn(f.Partitions, jobPartitions(j)))
}

// matchOwn is the part on what each job has of its own. The node filter,
// the only costly one (it expands the job's host list), runs last.
func (f *JobFilter) matchOwn(j *slurm.Job) bool {
	return f.matchName(j.Name) &&
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
		if _, ok := cluster.JobOrderNamed(q.Sort.Field); !ok {
			return Jobs{}, invalid("sort.field", "%q is not sortable: use one of %s", q.Sort.Field, strings.Join(cluster.JobOrderNames(), ", "))
		}
	}
	return q, nil
}

// Needs reads the snapshot's jobs.
func (q Jobs) Needs() Needs { return Needs{Kinds: []cluster.Kind{cluster.KindJobs}} }

// Frames answers with the jobs table.
func (q Jobs) Frames(d Data) (data.Frames, error) { return one(q.Frame(d.Snapshot.JobIndex())) }

// Source is the jobs' index: a page reads nothing else (Shared).
func (q Jobs) Source(d Data) any { return d.Snapshot.JobIndex() }

// Select returns the page of jobs the query selects, in the requested order
// (the snapshot's when unsorted), and how many jobs match in all. It never
// copies or sorts jobs: it walks the index's ready ordering and stops once
// the page is full when the classes already say how many match (a filter
// on labels only); a filter on names, nodes or job ids walks every job.
func (q Jobs) Select(x *cluster.JobIndex) (page []*slurm.Job, matched int) {
	jobs := x.Jobs()
	var order []int32 // nil: snapshot order
	if q.Sort != nil && q.Sort.Field != "" {
		o, _ := cluster.JobOrderNamed(q.Sort.Field) // checked when parsed
		order = x.Order(o, q.Sort.Desc)
	}
	// The labels are decided once per group of classes alike in the labels
	// the filter reads (a few dozen at 100k jobs), then read per job; a
	// filter on labels only also counts its total from the groups.
	byClass := q.labelsOnly()
	q.JobFilter = q.walking()
	groups, groupOf := x.ClassGroups(q.labels())
	labelsMatch := make([]bool, len(groups))
	total := 0
	for g := range groups {
		if labelsMatch[g] = q.matchLabels(groups[g].Job); labelsMatch[g] {
			total += groups[g].Count
		}
	}
	if byClass && total <= q.Offset {
		return nil, total
	}
	page = make([]*slurm.Job, 0, min(q.Limit, len(jobs)))
	for p := range jobs {
		i := p
		if order != nil {
			i = int(order[p])
		}
		if !labelsMatch[groupOf[x.ClassOf(i)]] || !byClass && !q.matchOwn(&jobs[i]) {
			continue
		}
		matched++
		if matched > q.Offset && len(page) < q.Limit {
			page = append(page, &jobs[i])
		}
		if byClass && len(page) == q.Limit {
			break // the classes counted the rest
		}
	}
	if byClass {
		matched = total
	}
	return page, matched
}

// labelsOnly reports whether the filter reads only the labels jobs of one
// class share (state, user, account, partition, QOS, reason).
func (f *JobFilter) labelsOnly() bool {
	return len(f.Nodes) == 0 && f.nameRE == nil && f.jobIDs == nil
}

// labels are the labels the filter reads.
func (f *JobFilter) labels() cluster.JobLabels {
	var l cluster.JobLabels
	for _, on := range []struct {
		set   bool
		label cluster.JobLabels
	}{{len(f.States) > 0, cluster.LabelState}, {len(f.Users) > 0, cluster.LabelUser}, {len(f.Accounts) > 0, cluster.LabelAccount},
		{len(f.Partitions) > 0, cluster.LabelPartition}, {len(f.QOS) > 0, cluster.LabelQOS}, {len(f.Reasons) > 0, cluster.LabelReason}} {
		if on.set {
			l |= on.label
		}
	}
	return l
}

// Frame builds the jobs table; a notice says when rows were cut at the limit.
func (q Jobs) Frame(x *cluster.JobIndex) *data.Frame {
	sel, matched := q.Select(x)
	n := len(sel)
	var (
		id, name, user, account, partition, qos = col[string](n), col[string](n), col[string](n), col[string](n), col[string](n), col[string](n)
		state, base, flags, reason, nodes       = col[string](n), col[string](n), col[string](n), col[string](n), col[string](n)
		arrayJob, arrayTask, timeLimit, prio    = newNullInts(n), newNullInts(n), newNullInts(n), newNullInts(n)
		nodeCount, cpus, exitCode               = newNullInts(n), newNullInts(n), newNullInts(n)
		mem, gpusReq, gpusAlloc, slurmID        = col[int64](n), col[int64](n), col[int64](n), col[int64](n)
		submit, eligible, start, end            = newNullTimes(n), newNullTimes(n), newNullTimes(n), newNullTimes(n)
		timeLimitText, exitStatus, workDir      = col[string](n), col[string](n), col[string](n)
	)
	for i, j := range sel {
		id[i], name[i], user[i], account[i], partition[i], qos[i] = pageableID(j.ID), j.Name, j.User, j.Account, j.Partition, j.QOS
		state[i], base[i], flags[i], reason[i], nodes[i] = j.State.String(), j.State.Base, strings.Join(j.State.Flags, ","), j.Reason, j.NodeList
		arrayJob.set(i, j.ArrayJobID)
		arrayTask.set(i, j.ArrayTaskID)
		timeLimit.set(i, j.TimeLimit)
		prio.set(i, j.Priority)
		nodeCount.set(i, j.NodeCount)
		cpus.set(i, j.CPUs)
		exit := j.Extra().ExitCode
		exitCode.set(i, exit.ReturnCode)
		mem[i], gpusReq[i], gpusAlloc[i], slurmID[i] = j.MemoryMB, j.GPUsRequested, j.GPUsAllocated, j.JobID
		submit.set(i, j.SubmitTime)
		eligible.set(i, j.EligibleTime)
		start.set(i, j.StartTime)
		end.set(i, j.EndTime)
		timeLimitText[i], exitStatus[i], workDir[i] = numberText(j.TimeLimit), exit.Status, j.WorkDir
	}
	frame := data.NewFrame("jobs",
		q.links.job(withConfig(data.NewField("job_id", nil, id), "Job", "")),
		hiddenInTables(withConfig(data.NewField("array_job_id", nil, arrayJob.cells), "Array job", "none")),
		hiddenInTables(withConfig(data.NewField("array_task_id", nil, arrayTask.cells), "Array task", "none")),
		// An array task's own numeric id (job_id shows 123_4): exporters label its series with this one.
		hiddenInTables(withConfig(data.NewField("slurm_job_id", nil, slurmID), "Slurm job id", "none")),
		withConfig(data.NewField("name", nil, name), "Name", ""),
		withConfig(data.NewField("user", nil, user), "User", ""),
		withConfig(data.NewField("account", nil, account), "Account", ""),
		withConfig(data.NewField("partition", nil, partition), "Partition", ""),
		withConfig(data.NewField("qos", nil, qos), "QOS", ""),
		withConfig(data.NewField("state", nil, state), "State", ""),
		hiddenInTables(withConfig(data.NewField("state_base", nil, base), "Base state", "")),
		hiddenInTables(withConfig(data.NewField("state_flags", nil, flags), "State flags", "")),
		withConfig(data.NewField("reason", nil, reason), "Reason", ""),
		withConfig(data.NewField("submit_time", nil, submit.cells), "Submitted", ""),
		withConfig(data.NewField("eligible_time", nil, eligible.cells), "Eligible", ""),
		withConfig(data.NewField("start_time", nil, start.cells), "Started", ""),
		// While a job runs or waits Slurm reports its projected end here.
		withConfig(data.NewField("end_time", nil, end.cells), "End", ""),
		withConfig(data.NewField("time_limit_minutes", nil, timeLimit.cells), "Time limit", "m"),
		hiddenInTables(withConfig(data.NewField("time_limit", nil, timeLimitText), "Time limit (text)", "")),
		withConfig(data.NewField("nodes", nil, nodes), "Node list", ""),
		withConfig(data.NewField("node_count", nil, nodeCount.cells), "Nodes", "none"),
		withConfig(data.NewField("cpus", nil, cpus.cells), "CPUs", "none"),
		withConfig(data.NewField("memory_mb", nil, mem), "Memory", "decmbytes"),
		withConfig(data.NewField("gpus_requested", nil, gpusReq), "GPUs requested", "none"),
		withConfig(data.NewField("gpus_allocated", nil, gpusAlloc), "GPUs allocated", "none"),
		withConfig(data.NewField("priority", nil, prio.cells), "Priority", "none"),
		withConfig(data.NewField("exit_status", nil, exitStatus), "Exit status", ""),
		withConfig(data.NewField("exit_code", nil, exitCode.cells), "Exit code", "none"),
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
	if !strings.Contains(id, "%") {
		return id // nearly every job: no regular expression per row
	}
	return arrayThrottle.ReplaceAllString(id, "]")
}

// arrayJobID is the array's job id, 0 (never a wanted id) when not an array task.
func arrayJobID(j *slurm.Job) int64 {
	v, _ := j.ArrayJobID.Get()
	return v
}
