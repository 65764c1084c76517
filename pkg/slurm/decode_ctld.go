package slurm

// Generic decoders of slurmctld's diag, reservations, licenses and shares:
// the versions differ only in scalar shapes, which the type parameters pick
// (flex.go); versions.go's table says which version uses which.

type diagStats[T timeOrNum] struct {
	ReqTime            T     `json:"req_time"`
	ServerThreadCount  int64 `json:"server_thread_count"`
	AgentQueueSize     int64 `json:"agent_queue_size"`
	AgentCount         int64 `json:"agent_count"`
	DBDAgentQueueSize  int64 `json:"dbd_agent_queue_size"`
	ScheduleCycleMax   int64 `json:"schedule_cycle_max"`
	ScheduleCycleLast  int64 `json:"schedule_cycle_last"`
	ScheduleCycleTotal int64 `json:"schedule_cycle_total"`
	ScheduleCycleMean  int64 `json:"schedule_cycle_mean"`
	JobsSubmitted      int64 `json:"jobs_submitted"`
	JobsStarted        int64 `json:"jobs_started"`
	JobsCompleted      int64 `json:"jobs_completed"`
	JobsCanceled       int64 `json:"jobs_canceled"`
	JobsFailed         int64 `json:"jobs_failed"`
	JobsPending        int64 `json:"jobs_pending"`
	JobsRunning        int64 `json:"jobs_running"`
	BFBackfilledJobs   int64 `json:"bf_backfilled_jobs"`
	BFCycleCounter     int64 `json:"bf_cycle_counter"`
	BFCycleLast        int64 `json:"bf_cycle_last"`
	BFCycleMax         int64 `json:"bf_cycle_max"`
	BFLastDepth        int64 `json:"bf_last_depth"`
	BFWhenLastCycle    T     `json:"bf_when_last_cycle"`
	BFActive           bool  `json:"bf_active"`
}

type diagAnswer[T timeOrNum] struct {
	envelope
	Statistics *diagStats[T] `json:"statistics"`
}

func decodeDiag[T timeOrNum](data []byte) (*SchedulerStats, *envelope, error) {
	raw, err := decodeInto[diagAnswer[T]](data)
	if err != nil {
		return nil, nil, err
	}
	if raw.Statistics == nil {
		return nil, &raw.envelope, &MissingDataError{What: `"statistics" object`}
	}
	s := raw.Statistics
	return &SchedulerStats{
		ServerThreadCount:  s.ServerThreadCount,
		AgentQueueSize:     s.AgentQueueSize,
		AgentCount:         s.AgentCount,
		DBDAgentQueueSize:  s.DBDAgentQueueSize,
		JobsSubmitted:      s.JobsSubmitted,
		JobsStarted:        s.JobsStarted,
		JobsCompleted:      s.JobsCompleted,
		JobsCanceled:       s.JobsCanceled,
		JobsFailed:         s.JobsFailed,
		JobsPending:        s.JobsPending,
		JobsRunning:        s.JobsRunning,
		ScheduleCycleLast:  s.ScheduleCycleLast,
		ScheduleCycleMax:   s.ScheduleCycleMax,
		ScheduleCycleMean:  s.ScheduleCycleMean,
		ScheduleCycleCount: s.ScheduleCycleTotal,
		BFCycleLast:        s.BFCycleLast,
		BFCycleMax:         s.BFCycleMax,
		BFCycleCount:       s.BFCycleCounter,
		BFBackfilledJobs:   s.BFBackfilledJobs,
		BFLastDepth:        s.BFLastDepth,
		BFActive:           s.BFActive,
		BFLastCycleTime:    toTime(s.BFWhenLastCycle),
		RequestTime:        toTime(s.ReqTime),
	}, &raw.envelope, nil
}

type reservation[T timeOrNum] struct {
	Name      string   `json:"name"`
	NodeList  string   `json:"node_list"`
	NodeCount int64    `json:"node_count"`
	CoreCount int64    `json:"core_count"`
	StartTime T        `json:"start_time"`
	EndTime   T        `json:"end_time"`
	Users     string   `json:"users"`
	Accounts  string   `json:"accounts"`
	Partition string   `json:"partition"`
	Flags     []string `json:"flags"`
	Features  string   `json:"features"`
	Licenses  string   `json:"licenses"`
}

type reservationsAnswer[T timeOrNum] struct {
	envelope
	Reservations []reservation[T] `json:"reservations"`
}

func decodeReservations[T timeOrNum](data []byte) ([]Reservation, *envelope, error) {
	raw, err := decodeInto[reservationsAnswer[T]](data)
	if err != nil {
		return nil, nil, err
	}
	if raw.Reservations == nil {
		return nil, &raw.envelope, missingList("reservations")
	}
	out := make([]Reservation, len(raw.Reservations))
	for i, r := range raw.Reservations {
		out[i] = Reservation{
			Name: r.Name, Nodes: r.NodeList, NodeCount: r.NodeCount, CoreCount: r.CoreCount,
			StartTime: toTime(r.StartTime), EndTime: toTime(r.EndTime),
			Users: r.Users, Accounts: r.Accounts, Partition: r.Partition,
			Flags: r.Flags, Features: r.Features, Licenses: r.Licenses,
		}
	}
	return out, &raw.envelope, nil
}

// Licenses have PascalCase keys in every version (v0.0.44 adds Nodes, unused).
type licensesAnswer struct {
	envelope
	Licenses []struct {
		LicenseName string `json:"LicenseName"`
		Total       int64  `json:"Total"`
		Used        int64  `json:"Used"`
		Free        int64  `json:"Free"`
		Reserved    int64  `json:"Reserved"`
		Remote      bool   `json:"Remote"`
	} `json:"licenses"`
}

func decodeLicenses(data []byte) ([]License, *envelope, error) {
	raw, err := decodeInto[licensesAnswer](data)
	if err != nil {
		return nil, nil, err
	}
	out := make([]License, len(raw.Licenses))
	for i, l := range raw.Licenses {
		out[i] = License{Name: l.LicenseName, Total: l.Total, Used: l.Used, Free: l.Free, Reserved: l.Reserved, Remote: l.Remote}
	}
	return out, &raw.envelope, nil
}

// floatOrNum: v0.0.40/41 shares carry plain floats, v0.0.42+ {set, number} objects.
type floatOrNum interface{ float64 | numF }

func toFloat[T floatOrNum](v T) Float {
	switch x := any(v).(type) {
	case float64:
		// Slurm prints NO_VAL64-ish levels (1.8e19) for "infinite" in these versions.
		if x >= 1.8e19 {
			return Float{Set: true, Infinite: true}
		}
		return Float{Value: x, Set: true}
	case numF:
		return x.model()
	}
	return Float{}
}

type shareRow[F floatOrNum] struct {
	ID               int64    `json:"id"`
	Cluster          string   `json:"cluster"`
	Name             string   `json:"name"`
	Parent           string   `json:"parent"`
	Partition        string   `json:"partition"`
	SharesNormalized numF     `json:"shares_normalized"`
	Shares           num      `json:"shares"`
	EffectiveUsage   F        `json:"effective_usage"`
	UsageNormalized  numF     `json:"usage_normalized"`
	Usage            int64    `json:"usage"`
	Type             []string `json:"type"`
	Fairshare        struct {
		Factor F `json:"factor"`
		Level  F `json:"level"`
	} `json:"fairshare"`
}

type sharesAnswer[F floatOrNum] struct {
	envelope
	Shares struct {
		Shares []shareRow[F] `json:"shares"`
	} `json:"shares"`
}

func decodeShares[F floatOrNum](data []byte) ([]Share, *envelope, error) {
	raw, err := decodeInto[sharesAnswer[F]](data)
	if err != nil {
		return nil, nil, err
	}
	if raw.Shares.Shares == nil {
		return nil, &raw.envelope, missingList("shares")
	}
	out := make([]Share, len(raw.Shares.Shares))
	for i, s := range raw.Shares.Shares {
		out[i] = Share{
			ID: s.ID, Cluster: s.Cluster, Name: s.Name, Parent: s.Parent, Partition: s.Partition,
			User:            hasFold(s.Type, "USER"),
			SharesRaw:       s.Shares.model(),
			SharesNorm:      s.SharesNormalized.model(),
			Usage:           s.Usage,
			UsageNorm:       s.UsageNormalized.model(),
			EffectiveUsage:  toFloat(s.EffectiveUsage),
			FairshareFactor: toFloat(s.Fairshare.Factor),
			FairshareLevel:  toFloat(s.Fairshare.Level),
		}
	}
	return out, &raw.envelope, nil
}
