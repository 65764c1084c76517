package slurm

// Family v0.0.39. Jobs and nodes of v0.0.39 alone (Slurm 23.02–23.11,
// data_parser v0.0.39): the v0.0.40 key set with older value shapes —
// job_state a plain string, job times plain epoch integers, exit_code the raw
// wait status in a {set, number} object; node cpu_load a {set, number} object
// and reason_changed_at an integer. Ping, partitions and QOS of v0.0.39 to
// v0.0.45: their optional fields absorb the later differences (ping:
// responding/primary from v0.0.42, status replacing mode and pinged in
// v0.0.45; partitions: flags only on v0.0.45).

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
	var x JobExtras
	r.jobCommon.fill(in, &j, &x)
	r.jobNums.fill(&j)
	j.State = stateFromString(r.JobState, jobBaseStates)
	j.SubmitTime, j.EligibleTime = unixTime(r.SubmitTime), unixTime(r.EligibleTime)
	j.StartTime, j.EndTime = unixTime(r.StartTime), unixTime(r.EndTime)
	x.ExitCode = exitFromWaitStatus(r.ExitCode.model())
	r.jobCommon.finish(in, &j, &x)
	return j
}

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

type qosAnswerV39 struct {
	envelope
	QOS []qosRow[num] `json:"qos"`
}

func decodeQOSV39(data []byte) ([]QOS, *envelope, error) {
	raw, err := decodeInto[qosAnswerV39](data)
	if err != nil {
		return nil, nil, err
	}
	return qosModel(raw.QOS), &raw.envelope, nil
}
