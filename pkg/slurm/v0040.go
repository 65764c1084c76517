package slurm

// Family v0.0.40 (v0.0.40–v0.0.45): jobs and nodes. For the fields the model
// reads these six versions have one shape (the changes between them —
// job_resources, power, step_id, task_binding … — are in fields we do not
// decode): job_state a list of names, times and numbers {set, infinite,
// number} objects, exit_code an object with status, return code and signal.

type exitV40 struct {
	Status     []string `json:"status"`
	ReturnCode num      `json:"return_code"`
	Signal     struct {
		ID   num    `json:"id"`
		Name string `json:"name"`
	} `json:"signal"`
}

func (e *exitV40) model() ExitCode {
	ec := ExitCode{ReturnCode: e.ReturnCode.model(), SignalName: e.Signal.Name}
	if len(e.Status) > 0 {
		ec.Status = internState(e.Status[0])
	}
	if v, ok := e.Signal.ID.model().Get(); ok {
		ec.Signal = int(v)
	}
	return ec
}

type jobV40 struct {
	jobCommon
	jobNums
	EligibleTime num      `json:"eligible_time"`
	EndTime      num      `json:"end_time"`
	ExitCode     exitV40  `json:"exit_code"`
	JobState     []string `json:"job_state"`
	StartTime    num      `json:"start_time"`
	SubmitTime   num      `json:"submit_time"`
}

// jobsV40 is the v0.0.40–v0.0.45 jobs answer as decoded before normalisation.
type jobsV40 struct {
	envelope
	Jobs       []jobV40 `json:"jobs"`
	LastUpdate num      `json:"last_update"`
}

type nodeV40 struct {
	nodeCommon
	ActiveFeatures  []string `json:"active_features"`
	CPULoad         *int64   `json:"cpu_load"`
	Features        []string `json:"features"`
	FreeMem         num      `json:"free_mem"`
	ReasonChangedAt num      `json:"reason_changed_at"`
	State           []string `json:"state"`
}

func (r *nodeV40) model() Node {
	n := r.nodeCommon.node()
	n.State = stateFromList(r.State, nodeBaseStates)
	n.ReasonTime = r.ReasonChangedAt.time()
	n.CPULoad = plainNumber(r.CPULoad)
	n.MemoryFreeMB = r.FreeMem.model()
	n.Features, n.ActiveFeatures = r.Features, r.ActiveFeatures
	finishNode(&n, r.Tres, r.TresUsed)
	return n
}

// model normalises one job.
func (r *jobV40) model(in *interner) Job {
	var j Job
	var x JobExtras
	r.jobCommon.fill(in, &j, &x)
	r.jobNums.fill(&j)
	j.State = stateFromList(r.JobState, jobBaseStates)
	j.SubmitTime, j.EligibleTime = r.SubmitTime.time(), r.EligibleTime.time()
	j.StartTime, j.EndTime = r.StartTime.time(), r.EndTime.time()
	x.ExitCode = r.ExitCode.model()
	r.jobCommon.finish(in, &j, &x)
	return j
}
