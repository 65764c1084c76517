package slurm

import (
	"io"
	"strings"
	"time"
)

// Generic decoders of slurmdbd's answers (jobs, associations, accounts,
// users; the QOS rows, whose answers differ by key, too). Type parameters
// pick the per-version shapes (flex.go); versions.go's table says which
// version uses which. The slurmdb jobs shape sets:
//
//	            state     exit       limit/task   step id     step times
//	v0.0.38     string    exitPlain  *int64       stepIDV38   int64
//	v0.0.39     string    exitPlain  num          stepIDV39   int64
//	v0.0.40+    []string  exitV40    num          stepIDV40   num

type tresItem struct {
	Type  string `json:"type"`
	Name  string `json:"name"`
	Count *int64 `json:"count"`
}

func tresFromList(items []tresItem) TRES {
	if len(items) == 0 {
		return nil
	}
	out := make(TRES, len(items))
	for _, it := range items {
		if it.Count == nil || *it.Count < 0 { // -2 = NO_VAL as signed, "not counted"
			continue
		}
		key := it.Type
		if it.Name != "" {
			key += "/" + it.Name
		}
		out[internTRESKey(key)] = *it.Count
	}
	return out
}

type cpuTime struct {
	Seconds      int64 `json:"seconds"`
	Microseconds int64 `json:"microseconds"`
}

// duration adds both parts: microseconds is not bounded by 10⁶ (slurmdbd
// can carry whole seconds in it), so it is never read as a fraction.
func (c cpuTime) duration() time.Duration {
	if c.Seconds < 0 || c.Microseconds < 0 {
		return 0 // NO_VAL-style negatives: unknown, not negative time
	}
	return time.Duration(c.Seconds)*time.Second + time.Duration(c.Microseconds)*time.Microsecond
}

type dbStep[S strOrList, E exitShape, ID stepIDShape, T timeOrNum] struct {
	Step  ID `json:"step"`
	State S  `json:"state"`
	Time  struct {
		Elapsed int64   `json:"elapsed"`
		End     T       `json:"end"`
		Start   T       `json:"start"`
		Total   cpuTime `json:"total"` // user+system CPU time of the step
	} `json:"time"`
	ExitCode E `json:"exit_code"`
	Tres     struct {
		Requested struct {
			Max []tresItem `json:"max"`
		} `json:"requested"`
	} `json:"tres"`
	Nodes struct {
		Range string `json:"range"`
	} `json:"nodes"`
}

type dbJob[S strOrList, E exitShape, L intOrNum, ID stepIDShape, T timeOrNum] struct {
	JobID int64 `json:"job_id"`
	Array struct {
		JobID  int64 `json:"job_id"`
		TaskID L     `json:"task_id"`
	} `json:"array"`
	Name      string `json:"name"`
	User      string `json:"user"`
	Account   string `json:"account"`
	Partition string `json:"partition"`
	QOS       string `json:"qos"`
	Cluster   string `json:"cluster"`
	State     struct {
		Current S      `json:"current"`
		Reason  string `json:"reason"`
	} `json:"state"`
	Time struct {
		Elapsed    int64   `json:"elapsed"`
		End        int64   `json:"end"`
		Start      int64   `json:"start"`
		Submission int64   `json:"submission"`
		Limit      L       `json:"limit"`
		Total      cpuTime `json:"total"`
	} `json:"time"`
	Nodes    string `json:"nodes"`
	ExitCode E      `json:"exit_code"`
	Tres     struct {
		Allocated []tresItem `json:"allocated"`
		Requested []tresItem `json:"requested"`
	} `json:"tres"`
	WorkingDirectory string                `json:"working_directory"`
	Steps            []dbStep[S, E, ID, T] `json:"steps"`
}

type dbJobsAnswer[S strOrList, E exitShape, L intOrNum, ID stepIDShape, T timeOrNum] struct {
	envelope
	Jobs []dbJob[S, E, L, ID, T] `json:"jobs"`
}

func decodeDBJobs[S strOrList, E exitShape, L intOrNum, ID stepIDShape, T timeOrNum](data []byte) ([]AccountingJob, *envelope, error) {
	raw, err := decodeInto[dbJobsAnswer[S, E, L, ID, T]](data)
	if err != nil {
		return nil, nil, err
	}
	if raw.Jobs == nil {
		return nil, &raw.envelope, missingList("jobs")
	}
	in := newInterner()
	out := make([]AccountingJob, len(raw.Jobs))
	for i := range raw.Jobs {
		out[i] = raw.Jobs[i].model(in)
	}
	return out, &raw.envelope, nil
}

// model normalises one accounting job.
func (r *dbJob[S, E, L, ID, T]) model(in *interner) AccountingJob {
	j := AccountingJob{
		JobID:         r.JobID,
		ArrayTaskID:   toNumber(r.Array.TaskID),
		Name:          r.Name,
		User:          in.s(r.User),
		Account:       in.s(r.Account),
		Partition:     in.s(r.Partition),
		QOS:           in.s(r.QOS),
		Cluster:       in.s(r.Cluster),
		State:         stateFromList(toNames(r.State.Current), jobBaseStates),
		Reason:        in.s(r.State.Reason),
		SubmitTime:    unixTime(r.Time.Submission),
		StartTime:     unixTime(r.Time.Start),
		EndTime:       unixTime(r.Time.End),
		Elapsed:       time.Duration(r.Time.Elapsed) * time.Second,
		CPUTime:       r.Time.Total.duration(),
		TimeLimit:     toNumber(r.Time.Limit),
		NodeList:      r.Nodes,
		ExitCode:      toExit(r.ExitCode),
		TRESRequested: tresFromList(r.Tres.Requested),
		TRESAllocated: tresFromList(r.Tres.Allocated),
		WorkDir:       r.WorkingDirectory,
	}
	if r.Array.JobID > 0 {
		j.ArrayJobID = Val(r.Array.JobID)
	}
	for _, s := range r.Steps {
		id, name := toStepID(s.Step)
		st := AccountingStep{
			ID:       id,
			Name:     name,
			Elapsed:  time.Duration(s.Time.Elapsed) * time.Second,
			CPUTime:  s.Time.Total.duration(),
			ExitCode: toExit(s.ExitCode),
			NodeList: s.Nodes.Range,
		}
		if names := toNames(s.State); len(names) > 0 {
			st.State = internState(names[0])
		}
		// TRES usage of memory is in bytes.
		if rss := tresFromList(s.Tres.Requested.Max)["mem"]; rss > 0 {
			st.MaxRSSMB = rss / (1 << 20)
		}
		if st.MaxRSSMB > j.MaxRSSMB {
			j.MaxRSSMB = st.MaxRSSMB
		}
		j.Steps = append(j.Steps, st)
	}
	// slurmdbd leaves the job-level time.total at 0 and reports user+system
	// CPU time on each step (22.05.8 recorded: job 1003 total 0, its batch
	// step 2683 µs; a live 26.05.3 cluster showed the same), and sacct sums
	// the steps itself. So does this, on every version, whenever the job
	// figure is 0; a job figure that is set wins.
	if j.CPUTime == 0 {
		for _, st := range j.Steps {
			j.CPUTime += st.CPUTime
		}
	}
	return j
}

// decodeDBJobsStream is decodeDBJobs reading the answer as a stream (a long
// accounting window can hold 100k jobs).
func decodeDBJobsStream[S strOrList, E exitShape, L intOrNum, ID stepIDShape, T timeOrNum](r io.Reader, limit int64, opts streamOpts) ([]AccountingJob, *envelope, error) {
	list, rest, err := decodeListStreamWith(opts, listElem[AccountingJob, dbJob[S, E, L, ID, T]], r, limit, 0, nil)
	if err != nil {
		return nil, nil, err
	}
	return list, &rest.envelope, nil
}

// QOS rows: the answer's key and the limits' shape differ (v0038.go, v0039.go).
type qosRow[L intOrNum] struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Priority    L               `json:"priority"`
	Flags       []string        `json:"flags"`
	Limits      qosLimitsRaw[L] `json:"limits"`
}

func qosModel[L intOrNum](rows []qosRow[L]) []QOS {
	out := make([]QOS, len(rows))
	for i, r := range rows {
		limits := r.Limits.model()
		out[i] = QOS{Name: r.Name, Description: r.Description, Priority: toNumber(r.Priority),
			MaxWallPerJob: limits.MaxWallPerJob, Flags: r.Flags, Limits: limits}
	}
	return out
}

// Associations: is_default is 0/1 on v0.0.38 and a bool later; the limits
// are plain integers on v0.0.38 and {set, infinite, number} later.
type boolOrInt interface{ bool | int64 }

type assocRow[B boolOrInt, L intOrNum] struct {
	Account       string         `json:"account"`
	Cluster       string         `json:"cluster"`
	User          string         `json:"user"`
	Partition     string         `json:"partition"`
	ParentAccount string         `json:"parent_account"`
	QOS           []string       `json:"qos"`
	IsDefault     B              `json:"is_default"`
	SharesRaw     *int64         `json:"shares_raw"`
	Max           assocMaxRaw[L] `json:"max"`
}

type assocAnswer[B boolOrInt, L intOrNum] struct {
	envelope
	Associations []assocRow[B, L] `json:"associations"`
}

func decodeAssociations[B boolOrInt](data []byte) ([]Association, *envelope, error) {
	var b B
	if _, plain := any(b).(int64); plain { // v0.0.38
		return decodeAssociationsOf[B, *int64](data)
	}
	return decodeAssociationsOf[B, num](data)
}

func decodeAssociationsOf[B boolOrInt, L intOrNum](data []byte) ([]Association, *envelope, error) {
	raw, err := decodeInto[assocAnswer[B, L]](data)
	if err != nil {
		return nil, nil, err
	}
	out := make([]Association, len(raw.Associations))
	for i, a := range raw.Associations {
		def := false
		switch v := any(a.IsDefault).(type) {
		case bool:
			def = v
		case int64:
			def = v != 0
		}
		limits := a.Max.model()
		out[i] = Association{Cluster: a.Cluster, Account: a.Account, User: a.User, Partition: a.Partition,
			Parent: a.ParentAccount, QOS: a.QOS, IsDefault: def, Shares: plainNumber(a.SharesRaw),
			GrpTRES: limits.GrpTRES, Limits: limits}
	}
	return out, &raw.envelope, nil
}

// Accounts have the same keys in every version.
type accountsAnswer struct {
	envelope
	Accounts []struct {
		Name         string `json:"name"`
		Description  string `json:"description"`
		Organization string `json:"organization"`
	} `json:"accounts"`
}

func decodeAccounts(data []byte) ([]Account, *envelope, error) {
	raw, err := decodeInto[accountsAnswer](data)
	if err != nil {
		return nil, nil, err
	}
	out := make([]Account, len(raw.Accounts))
	for i, a := range raw.Accounts {
		out[i] = Account{Name: a.Name, Description: a.Description, Organization: a.Organization}
	}
	return out, &raw.envelope, nil
}

// Users: administrator_level is a string on v0.0.38 and a list later.
type usersAnswer[S strOrList] struct {
	envelope
	Users []struct {
		Name    string `json:"name"`
		Default struct {
			Account string `json:"account"`
		} `json:"default"`
		AdministratorLevel S `json:"administrator_level"`
	} `json:"users"`
}

func decodeUsers[S strOrList](data []byte) ([]User, *envelope, error) {
	raw, err := decodeInto[usersAnswer[S]](data)
	if err != nil {
		return nil, nil, err
	}
	out := make([]User, len(raw.Users))
	for i, u := range raw.Users {
		out[i] = User{Name: u.Name, DefaultAccount: u.Default.Account, AdminLevel: strings.Join(toNames(u.AdministratorLevel), ",")}
	}
	return out, &raw.envelope, nil
}
