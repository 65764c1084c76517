package slurm

// v0.0.39 (Slurm 23.02–23.11, data_parser v0.0.39): the v0.0.40 key set with
// older value shapes — job_state a plain string, job times plain epoch
// integers, exit_code the raw wait status in a {set, number} object; node
// cpu_load a {set, number} object and reason_changed_at an integer.

type jobV39 struct {
	Account          string `json:"account"`
	ArrayJobID       num    `json:"array_job_id"`
	ArrayTaskID      num    `json:"array_task_id"`
	ArrayTaskString  string `json:"array_task_string"`
	Comment          string `json:"comment"`
	CWD              string `json:"current_working_directory"`
	EligibleTime     int64  `json:"eligible_time"`
	EndTime          int64  `json:"end_time"`
	ExitCode         num    `json:"exit_code"`
	JobID            int64  `json:"job_id"`
	JobState         string `json:"job_state"`
	MemoryPerCPU     num    `json:"memory_per_cpu"`
	MemoryPerNode    num    `json:"memory_per_node"`
	Name             string `json:"name"`
	NodeCount        num    `json:"node_count"`
	Nodes            string `json:"nodes"`
	CPUs             num    `json:"cpus"`
	Partition        string `json:"partition"`
	Priority         num    `json:"priority"`
	QOS              string `json:"qos"`
	StartTime        int64  `json:"start_time"`
	StateDescription string `json:"state_description"`
	StateReason      string `json:"state_reason"`
	SubmitTime       int64  `json:"submit_time"`
	TimeLimit        num    `json:"time_limit"`
	TresAllocStr     string `json:"tres_alloc_str"`
	TresPerJob       string `json:"tres_per_job"`
	TresPerNode      string `json:"tres_per_node"`
	TresReqStr       string `json:"tres_req_str"`
	UserName         string `json:"user_name"`
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
	var job Job
	j := &job
	arrayJob := r.ArrayJobID.model()
	if v, ok := arrayJob.Get(); ok && v == 0 {
		arrayJob = Number{}
	}
	*j = Job{
		JobID:           r.JobID,
		ArrayJobID:      arrayJob,
		ArrayTaskID:     r.ArrayTaskID.model(),
		ArrayTaskString: r.ArrayTaskString,
		Name:            r.Name,
		User:            in.s(r.UserName),
		Account:         in.s(r.Account),
		Partition:       in.s(r.Partition),
		QOS:             in.s(r.QOS),
		State:           stateFromString(r.JobState, jobBaseStates),
		Reason:          in.s(r.StateReason),
		StateDesc:       r.StateDescription,
		SubmitTime:      unixTime(r.SubmitTime),
		EligibleTime:    unixTime(r.EligibleTime),
		StartTime:       unixTime(r.StartTime),
		EndTime:         unixTime(r.EndTime),
		TimeLimit:       r.TimeLimit.model(),
		NodeList:        r.Nodes,
		NodeCount:       r.NodeCount.model(),
		CPUs:            r.CPUs.model(),
		MemoryPerNodeMB: r.MemoryPerNode.model(),
		MemoryPerCPUMB:  r.MemoryPerCPU.model(),
		Priority:        r.Priority.model(),
		ExitCode:        exitFromWaitStatus(r.ExitCode.model()),
		WorkDir:         in.s(r.CWD),
		Comment:         r.Comment,
	}
	finishJob(in, j, r.TresReqStr, r.TresAllocStr, r.TresPerNode, r.TresPerJob)
	return job
}
