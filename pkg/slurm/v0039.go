package slurm

// v0.0.39 (Slurm 23.02–23.11, data_parser v0.0.39): the v0.0.40 key set with
// older value shapes — job_state a plain string, job times plain epoch
// integers, exit_code the raw wait status in a {set, number} object; node
// cpu_load a {set, number} object and reason_changed_at an integer.

type jobV39 struct {
	jobCommon
	jobNums
	EligibleTime int64  `json:"eligible_time"`
	EndTime      int64  `json:"end_time"`
	ExitCode     num    `json:"exit_code"`
	JobState     string `json:"job_state"`
	StartTime    int64  `json:"start_time"`
	SubmitTime   int64  `json:"submit_time"`
}

type jobsV39 struct {
	envelope
	Jobs []jobV39 `json:"jobs"`
}

type nodeV39 struct {
	nodeCommon
	ActiveFeatures  []string `json:"active_features"`
	CPULoad         num      `json:"cpu_load"`
	Features        []string `json:"features"`
	FreeMem         num      `json:"free_mem"`
	ReasonChangedAt int64    `json:"reason_changed_at"`
	State           []string `json:"state"`
}

func (r *nodeV39) model() Node {
	n := r.nodeCommon.node()
	n.State = stateFromList(r.State, nodeBaseStates)
	n.ReasonTime = unixTime(r.ReasonChangedAt)
	n.CPULoad = r.CPULoad.model()
	n.MemoryFreeMB = r.FreeMem.model()
	n.Features, n.ActiveFeatures = r.Features, r.ActiveFeatures
	finishNode(&n, r.Tres, r.TresUsed)
	return n
}

// model normalises one job.
func (r *jobV39) model(in *interner) Job {
	var j Job
	r.jobCommon.fill(in, &j)
	r.jobNums.fill(&j)
	j.State = stateFromString(r.JobState, jobBaseStates)
	j.SubmitTime, j.EligibleTime = unixTime(r.SubmitTime), unixTime(r.EligibleTime)
	j.StartTime, j.EndTime = unixTime(r.StartTime), unixTime(r.EndTime)
	j.ExitCode = exitFromWaitStatus(r.ExitCode.model())
	r.jobCommon.finish(in, &j)
	return j
}
