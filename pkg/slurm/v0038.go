package slurm

// Family v0.0.38 (v0.0.38 alone): the pre-data_parser plugin (Slurm
// 21.08–23.11; the version our Slurm 22.05 stack serves). Flat shapes: plain
// integers (null = unset, -1 or INFINITE = unlimited), job_state a string,
// exit_code the raw wait status, node state a lower-case string plus
// state_flags, flat partitions, QOS under the key "QOS".

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
	if err := checkPing(raw.Pings == nil, &raw.Meta); err != nil {
		return nil, &raw.envelope, err
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
	jobCommon
	ArrayJobID    *int64 `json:"array_job_id"`
	ArrayMaxTasks *int64 `json:"array_max_tasks"`
	ArrayTaskID   *int64 `json:"array_task_id"`
	CPUs          *int64 `json:"cpus"`
	EligibleTime  int64  `json:"eligible_time"`
	EndTime       int64  `json:"end_time"`
	ExitCode      *int64 `json:"exit_code"`
	JobState      string `json:"job_state"`
	MemoryPerCPU  *int64 `json:"memory_per_cpu"`
	MemoryPerNode *int64 `json:"memory_per_node"`
	NodeCount     *int64 `json:"node_count"`
	Priority      *int64 `json:"priority"`
	StartTime     int64  `json:"start_time"`
	SubmitTime    int64  `json:"submit_time"`
	TimeLimit     *int64 `json:"time_limit"`
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

type partitionV38 struct {
	Flags              *[]string `json:"flags"`
	DefaultTimeLimit   *int64    `json:"default_time_limit"`
	MaxTimeLimit       *int64    `json:"max_time_limit"`
	MaximumCPUsPerNode *int64    `json:"maximum_cpus_per_node"`
	MaximumNodesPerJob *int64    `json:"maximum_nodes_per_job"`
	Name               string    `json:"name"`
	Nodes              string    `json:"nodes"`
	State              string    `json:"state"`
	TotalCPUs          int64     `json:"total_cpus"`
	TotalNodes         int64     `json:"total_nodes"`
	Tres               string    `json:"tres"`
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
	if raw.Partitions == nil {
		return nil, &raw.envelope, missingList("partitions")
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
			Default:        defaultFlag(r.Flags),
		}
	}
	return out, &raw.envelope, nil
}

// model normalises one job.
func (r *jobV38) model(in *interner) Job {
	var j Job
	var x JobExtras
	r.jobCommon.fill(in, &j, &x)
	j.ArrayJobID = arrayJobID(plainNumber(r.ArrayJobID))
	j.ArrayTaskID = plainNumber(r.ArrayTaskID)
	j.ArrayMaxTasks = plainNumber(r.ArrayMaxTasks)
	j.TimeLimit = plainNumber(r.TimeLimit)
	j.NodeCount = plainNumber(r.NodeCount)
	j.CPUs = plainNumber(r.CPUs)
	j.MemoryPerNodeMB = plainNumber(r.MemoryPerNode)
	j.MemoryPerCPUMB = plainNumber(r.MemoryPerCPU)
	j.Priority = plainNumber(r.Priority)
	j.State = stateFromString(r.JobState, jobBaseStates)
	j.SubmitTime, j.EligibleTime = unixTime(r.SubmitTime), unixTime(r.EligibleTime)
	j.StartTime, j.EndTime = unixTime(r.StartTime), unixTime(r.EndTime)
	x.ExitCode = exitFromWaitStatus(plainNumber(r.ExitCode))
	r.jobCommon.finish(in, &j, &x)
	return j
}

// QOS: key "QOS", plain priority and limits (v0.0.39+: "qos", {set, number}).
type qosAnswerV38 struct {
	envelope
	QOS []qosRow[*int64] `json:"QOS"`
}

func decodeQOSV38(data []byte) ([]QOS, *envelope, error) {
	raw, err := decodeInto[qosAnswerV38](data)
	if err != nil {
		return nil, nil, err
	}
	return qosModel(raw.QOS), &raw.envelope, nil
}
