package slurm

// v0.0.40+ (data_parser) shapes. For the fields the model reads, jobs, nodes
// and partitions have the same shape from v0.0.40 to v0.0.45 (the changes
// between those versions — job_resources, power, step_id, task_binding … —
// are in fields we do not decode), so these decoders serve all six versions.
// The ping decoder also serves v0.0.39: its optional fields absorb the
// differences (responding/primary from v0.0.42, status replacing mode and
// pinged in v0.0.45).

type pingV39 struct {
	envelope
	Meta  meta `json:"meta"`
	Pings []struct {
		Hostname   string `json:"hostname"`
		Pinged     string `json:"pinged"`
		Responding *bool  `json:"responding"`
		Latency    *int64 `json:"latency"`
		Mode       string `json:"mode"`
		Primary    *bool  `json:"primary"`
		Status     string `json:"status"`
	} `json:"pings"`
}

func decodePingV39(data []byte) (*Ping, *envelope, error) {
	raw, err := decodeInto[pingV39](data)
	if err != nil {
		return nil, nil, err
	}
	if err := checkPing(raw.Pings == nil, &raw.Meta); err != nil {
		return nil, &raw.envelope, err
	}
	p := &Ping{SlurmVersion: raw.Meta.release(), ClusterName: raw.Meta.cluster()}
	for _, c := range raw.Pings {
		ctl := Controller{Hostname: c.Hostname, Mode: c.Mode}
		if c.Responding != nil {
			ctl.Responding = *c.Responding
		} else {
			ctl.Responding = c.Pinged == "UP"
		}
		if c.Primary != nil {
			ctl.Primary = *c.Primary
		} else {
			ctl.Primary = c.Mode == "primary"
		}
		if ctl.Mode == "" {
			if ctl.Primary {
				ctl.Mode = "primary"
			} else {
				ctl.Mode = "backup"
			}
		}
		if c.Latency != nil {
			ctl.LatencyUS = Val(*c.Latency)
		}
		p.Controllers = append(p.Controllers, ctl)
	}
	return p, &raw.envelope, nil
}

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

// partitionV39 serves v0.0.39–v0.0.45 (v0.0.39 lacks partition.state; only
// v0.0.45 has the partition's flags, at the top level).
type partitionV39 struct {
	Name  string `json:"name"`
	Nodes struct {
		Configured string `json:"configured"`
		Total      int64  `json:"total"`
	} `json:"nodes"`
	CPUs struct {
		Total int64 `json:"total"`
	} `json:"cpus"`
	Tres struct {
		Configured string `json:"configured"`
	} `json:"tres"`
	Defaults struct {
		Time num `json:"time"`
	} `json:"defaults"`
	Maximums struct {
		Time        num `json:"time"`
		Nodes       num `json:"nodes"`
		CPUsPerNode num `json:"cpus_per_node"`
	} `json:"maximums"`
	Partition struct {
		State []string `json:"state"`
	} `json:"partition"`
	Flags *[]string `json:"flags"` // nil: absent (v0.0.39–v0.0.44)
}

type partitionsV39 struct {
	envelope
	Partitions []partitionV39 `json:"partitions"`
}

func decodePartitionsV39(data []byte) ([]Partition, *envelope, error) {
	raw, err := decodeInto[partitionsV39](data)
	if err != nil {
		return nil, nil, err
	}
	if raw.Partitions == nil {
		return nil, &raw.envelope, missingList("partitions")
	}
	out := make([]Partition, len(raw.Partitions))
	for i := range raw.Partitions {
		r := &raw.Partitions[i]
		p := Partition{
			Name:           r.Name,
			Nodes:          r.Nodes.Configured,
			TotalNodes:     r.Nodes.Total,
			TotalCPUs:      r.CPUs.Total,
			TRES:           ParseTRES(r.Tres.Configured),
			MaxTime:        r.Maximums.Time.model(),
			DefaultTime:    r.Defaults.Time.model(),
			MaxNodes:       r.Maximums.Nodes.model(),
			MaxCPUsPerNode: r.Maximums.CPUsPerNode.model(),
			Default:        defaultFlag(r.Flags),
		}
		if len(r.Partition.State) > 0 {
			p.State = upper(r.Partition.State[0])
		}
		out[i] = p
	}
	return out, &raw.envelope, nil
}

// model normalises one job.
func (r *jobV40) model(in *interner) Job {
	var j Job
	r.jobCommon.fill(in, &j)
	r.jobNums.fill(&j)
	j.State = stateFromList(r.JobState, jobBaseStates)
	j.SubmitTime, j.EligibleTime = r.SubmitTime.time(), r.EligibleTime.time()
	j.StartTime, j.EndTime = r.StartTime.time(), r.EndTime.time()
	j.ExitCode = r.ExitCode.model()
	r.jobCommon.finish(in, &j)
	return j
}

// defaultFlag reads "default" from a partition's flags; nil flags (absent
// from the answer) leave it unknown.
func defaultFlag(flags *[]string) *bool {
	if flags == nil {
		return nil
	}
	d := hasFold(*flags, "default")
	return &d
}
