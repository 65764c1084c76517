package slurm

// v0.0.38: the pre-data_parser plugin (Slurm 21.08–23.11; the version our
// Slurm 22.05 stack serves). Flat shapes: plain integers (null = unset, -1 or
// INFINITE = unlimited), job_state a string, exit_code the raw wait status,
// node state a lower-case string plus state_flags, flat partitions.

type pingV38 struct {
	envelope
	Meta  meta `json:"meta"`
	Pings []struct {
		Hostname string `json:"hostname"`
		Ping     string `json:"ping"`
		Status   int    `json:"status"`
		Mode     string `json:"mode"`
	} `json:"pings"`
}

func decodePingV38(data []byte) (*Ping, *envelope, error) {
	raw, err := decodeInto[pingV38](data)
	if err != nil {
		return nil, nil, err
	}
	p := &Ping{SlurmVersion: raw.Meta.release(), ClusterName: raw.Meta.cluster()}
	for _, c := range raw.Pings {
		p.Controllers = append(p.Controllers, Controller{
			Hostname:   c.Hostname,
			Responding: c.Ping == "UP" && c.Status == 0,
			Mode:       c.Mode,
			Primary:    c.Mode == "primary",
		})
	}
	return p, &raw.envelope, nil
}

type jobV38 struct {
	Account          string `json:"account"`
	ArrayJobID       *int64 `json:"array_job_id"`
	ArrayTaskID      *int64 `json:"array_task_id"`
	ArrayTaskString  string `json:"array_task_string"`
	Comment          string `json:"comment"`
	CWD              string `json:"current_working_directory"`
	EligibleTime     int64  `json:"eligible_time"`
	EndTime          int64  `json:"end_time"`
	ExitCode         *int64 `json:"exit_code"`
	JobID            int64  `json:"job_id"`
	JobState         string `json:"job_state"`
	MemoryPerCPU     *int64 `json:"memory_per_cpu"`
	MemoryPerNode    *int64 `json:"memory_per_node"`
	Name             string `json:"name"`
	NodeCount        *int64 `json:"node_count"`
	Nodes            string `json:"nodes"`
	CPUs             *int64 `json:"cpus"`
	Partition        string `json:"partition"`
	Priority         *int64 `json:"priority"`
	QOS              string `json:"qos"`
	StartTime        int64  `json:"start_time"`
	StateDescription string `json:"state_description"`
	StateReason      string `json:"state_reason"`
	SubmitTime       int64  `json:"submit_time"`
	TimeLimit        *int64 `json:"time_limit"`
	TresAllocStr     string `json:"tres_alloc_str"`
	TresPerJob       string `json:"tres_per_job"`
	TresPerNode      string `json:"tres_per_node"`
	TresReqStr       string `json:"tres_req_str"`
	UserName         string `json:"user_name"`
}

type jobsV38 struct {
	envelope
	Jobs []jobV38 `json:"jobs"`
}

type nodeV38 struct {
	nodeCommon
	ActiveFeatures  string   `json:"active_features"`
	CPULoad         *int64   `json:"cpu_load"`
	Features        string   `json:"features"`
	FreeMemory      *int64   `json:"free_memory"`
	ReasonChangedAt int64    `json:"reason_changed_at"`
	State           string   `json:"state"`
	StateFlags      []string `json:"state_flags"`
}

func (r *nodeV38) model() Node {
	n := r.nodeCommon.node()
	n.State = nodeStateV38(r.State, r.StateFlags)
	n.ReasonTime = unixTime(r.ReasonChangedAt)
	n.CPULoad = plainNumber(r.CPULoad)
	n.MemoryFreeMB = plainNumber(r.FreeMemory)
	n.Features, n.ActiveFeatures = splitList(r.Features), splitList(r.ActiveFeatures)
	finishNode(&n, r.Tres, r.TresUsed)
	return n
}

// finishNode derives TRES maps and GPU counts: GRES strings first (they
// carry the configured and used counts), TRES as the fallback.
func finishNode(n *Node, tres, tresUsed string) {
	n.TRES = ParseTRES(tres)
	n.TRESUsed = ParseTRES(tresUsed)
	n.GPUs = gresCount(n.Gres, "gpu")
	if n.GPUs == 0 {
		n.GPUs = n.TRES.GPUs()
	}
	n.GPUsAllocated = gresCount(n.GresUsed, "gpu")
	if n.GPUsAllocated == 0 {
		n.GPUsAllocated = n.TRESUsed.GPUs()
	}
}

type partitionV38 struct {
	Flags              []string `json:"flags"`
	DefaultTimeLimit   *int64   `json:"default_time_limit"`
	MaxTimeLimit       *int64   `json:"max_time_limit"`
	MaximumCPUsPerNode *int64   `json:"maximum_cpus_per_node"`
	MaximumNodesPerJob *int64   `json:"maximum_nodes_per_job"`
	Name               string   `json:"name"`
	Nodes              string   `json:"nodes"`
	State              string   `json:"state"`
	TotalCPUs          int64    `json:"total_cpus"`
	TotalNodes         int64    `json:"total_nodes"`
	Tres               string   `json:"tres"`
}

type partitionsV38 struct {
	envelope
	Partitions []partitionV38 `json:"partitions"`
}

func decodePartitionsV38(data []byte) ([]Partition, *envelope, error) {
	raw, err := decodeInto[partitionsV38](data)
	if err != nil {
		return nil, nil, err
	}
	out := make([]Partition, len(raw.Partitions))
	for i, r := range raw.Partitions {
		out[i] = Partition{
			Name:           r.Name,
			State:          upper(r.State),
			Nodes:          r.Nodes,
			TotalNodes:     r.TotalNodes,
			TotalCPUs:      r.TotalCPUs,
			TRES:           ParseTRES(r.Tres),
			MaxTime:        plainNumber(r.MaxTimeLimit),
			DefaultTime:    plainNumber(r.DefaultTimeLimit),
			MaxNodes:       plainNumber(r.MaximumNodesPerJob),
			MaxCPUsPerNode: plainNumber(r.MaximumCPUsPerNode),
			Default:        hasFold(r.Flags, "default"),
		}
	}
	return out, &raw.envelope, nil
}

// model normalises one job.
func (r *jobV38) model(in *interner) Job {
	var job Job
	j := &job
	arrayJob := plainNumber(r.ArrayJobID)
	if v, ok := arrayJob.Get(); ok && v == 0 {
		arrayJob = Number{} // 0 = not an array job
	}
	*j = Job{
		JobID:           r.JobID,
		ArrayJobID:      arrayJob,
		ArrayTaskID:     plainNumber(r.ArrayTaskID),
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
		TimeLimit:       plainNumber(r.TimeLimit),
		NodeList:        r.Nodes,
		NodeCount:       plainNumber(r.NodeCount),
		CPUs:            plainNumber(r.CPUs),
		MemoryPerNodeMB: plainNumber(r.MemoryPerNode),
		MemoryPerCPUMB:  plainNumber(r.MemoryPerCPU),
		Priority:        plainNumber(r.Priority),
		ExitCode:        exitFromWaitStatus(plainNumber(r.ExitCode)),
		WorkDir:         in.s(r.CWD),
		Comment:         r.Comment,
	}
	finishJob(in, j, r.TresReqStr, r.TresAllocStr, r.TresPerNode, r.TresPerJob)
	return job
}
