package slurm

import (
	"strconv"
	"strings"
)

// meta is the "meta" object. v0.0.38/39 write "Slurm" with integer version
// numbers; v0.0.40+ write "slurm" with strings and a cluster name. Only the
// release string and cluster are read, so one struct serves all.
type meta struct {
	Slurm    metaSlurm `json:"slurm"`
	SlurmOld metaSlurm `json:"Slurm"`
}

type metaSlurm struct {
	Release string `json:"release"`
	Cluster string `json:"cluster"`
}

func (m *meta) release() string {
	if m.Slurm.Release != "" {
		return m.Slurm.Release
	}
	return m.SlurmOld.Release
}

func (m *meta) cluster() string {
	if m.Slurm.Cluster != "" {
		return m.Slurm.Cluster
	}
	return m.SlurmOld.Cluster
}

// jobCommon holds the job keys whose name and shape are the same in every
// version (v0.0.38 to v0.0.45); each version's raw job embeds it and adds the
// keys whose shapes differ (state, times, exit code, and the numbers: plain
// integers on v0.0.38, {set, infinite, number} from v0.0.39 on).
type jobCommon struct {
	Account          string `json:"account"`
	ArrayTaskString  string `json:"array_task_string"`
	Comment          string `json:"comment"`
	CWD              string `json:"current_working_directory"`
	Dependency       string `json:"dependency"`
	Features         string `json:"features"`
	JobID            int64  `json:"job_id"`
	Licenses         string `json:"licenses"`
	Name             string `json:"name"`
	Nodes            string `json:"nodes"`
	Partition        string `json:"partition"`
	QOS              string `json:"qos"`
	RequiredNodes    string `json:"required_nodes"`
	ResvName         string `json:"resv_name"`
	StateDescription string `json:"state_description"`
	StateReason      string `json:"state_reason"`
	TresAllocStr     string `json:"tres_alloc_str"`
	TresPerJob       string `json:"tres_per_job"`
	TresPerNode      string `json:"tres_per_node"`
	TresReqStr       string `json:"tres_req_str"`
	UserName         string `json:"user_name"`
}

// fill sets the fields every version reads the same way; the extras go to
// x, which finish turns into the job's shared extras.
func (r *jobCommon) fill(in *interner, j *Job, x *JobExtras) {
	j.JobID = r.JobID
	j.Name = in.s(r.Name) // array tasks and resubmitted jobs share names
	j.User = in.s(r.UserName)
	j.Account = in.s(r.Account)
	j.Partition = in.s(r.Partition)
	j.QOS = in.s(r.QOS)
	j.Reason = in.s(r.StateReason)
	j.NodeList = in.s(r.Nodes) // jobs on the same node or nodes
	j.WorkDir = in.s(r.CWD)
	*x = JobExtras{
		ArrayTaskString: r.ArrayTaskString,
		StateDesc:       r.StateDescription,
		Comment:         r.Comment,
		Dependency:      r.Dependency,
		Features:        r.Features,
		Licenses:        r.Licenses,
		RequiredNodes:   r.RequiredNodes,
		Reservation:     r.ResvName,
	}
}

// finish derives, once the version's own fields are set, what every version
// computes the same way (display id, TRES, GPUs, memory).
func (r *jobCommon) finish(in *interner, j *Job, x *JobExtras) {
	j.Extras = in.extras(*x)
	finishJob(in, j, r.TresReqStr, r.TresAllocStr, r.TresPerNode, r.TresPerJob)
}

// jobNums are the job numbers as {set, infinite, number} objects (v0.0.39+).
type jobNums struct {
	ArrayJobID    num `json:"array_job_id"`
	ArrayMaxTasks num `json:"array_max_tasks"`
	ArrayTaskID   num `json:"array_task_id"`
	CPUs          num `json:"cpus"`
	MemoryPerCPU  num `json:"memory_per_cpu"`
	MemoryPerNode num `json:"memory_per_node"`
	NodeCount     num `json:"node_count"`
	Priority      num `json:"priority"`
	TimeLimit     num `json:"time_limit"`
}

func (n *jobNums) fill(j *Job) {
	j.ArrayJobID = arrayJobID(n.ArrayJobID.model())
	j.ArrayTaskID = n.ArrayTaskID.model()
	j.ArrayMaxTasks = n.ArrayMaxTasks.model()
	j.TimeLimit = n.TimeLimit.model()
	j.NodeCount = n.NodeCount.model()
	j.CPUs = n.CPUs.model()
	j.MemoryPerNodeMB = n.MemoryPerNode.model()
	j.MemoryPerCPUMB = n.MemoryPerCPU.model()
	j.Priority = n.Priority.model()
}

// arrayJobID: 0 means "not an array job".
func arrayJobID(n Number) Number {
	if v, ok := n.Get(); ok && v == 0 {
		return Number{}
	}
	return n
}

// nodeCommon holds the node keys whose name and shape are the same in every
// version (v0.0.38 to v0.0.45); each version's raw node embeds it and adds
// the keys whose shapes differ (state, reason time, load, free memory,
// features).
type nodeCommon struct {
	Address     string   `json:"address"`
	AllocCPUs   int64    `json:"alloc_cpus"`
	AllocMemory int64    `json:"alloc_memory"`
	CPUs        int64    `json:"cpus"`
	Gres        string   `json:"gres"`
	GresUsed    string   `json:"gres_used"`
	Hostname    string   `json:"hostname"`
	Name        string   `json:"name"`
	Partitions  []string `json:"partitions"`
	RealMemory  int64    `json:"real_memory"`
	Reason      string   `json:"reason"`
	ReasonSetBy string   `json:"reason_set_by_user"`
	Tres        string   `json:"tres"`
	TresUsed    string   `json:"tres_used"`
}

// node fills the fields every version reads the same way.
func (r *nodeCommon) node() Node {
	return Node{
		Name:          r.Name,
		Hostname:      r.Hostname,
		Address:       r.Address,
		Reason:        r.Reason,
		ReasonSetBy:   r.ReasonSetBy,
		Partitions:    r.Partitions,
		CPUs:          r.CPUs,
		CPUsAllocated: r.AllocCPUs,
		MemoryMB:      r.RealMemory,
		MemoryAllocMB: r.AllocMemory,
		Gres:          r.Gres,
		GresUsed:      r.GresUsed,
	}
}

// decodeNodes decodes a /nodes or /node/{name} answer whose raw node type is T.
func decodeNodes[T any, P interface {
	*T
	model() Node
}](data []byte) ([]Node, *envelope, error) {
	raw, err := decodeInto[struct {
		envelope
		Nodes []T `json:"nodes"`
	}](data)
	if err != nil {
		return nil, nil, err
	}
	if raw.Nodes == nil {
		return nil, &raw.envelope, missingList("nodes")
	}
	out := make([]Node, len(raw.Nodes))
	for i := range raw.Nodes {
		out[i] = P(&raw.Nodes[i]).model()
	}
	return out, &raw.envelope, nil
}

// decodeInto is the shared first step of every decoder.
func decodeInto[T any](data []byte) (*T, error) {
	v := new(T)
	if err := decodeJSON(data, v); err != nil {
		return nil, err
	}
	return v, nil
}

// finishJob derives what every version computes the same way: the display
// id, TRES maps, GPU and memory figures.
func finishJob(in *interner, j *Job, tresReq, tresAlloc, tresPerNode, tresPerJob string) {
	j.ID = jobDisplayID(j.JobID, j.ArrayJobID, j.ArrayTaskID, j.Extra().ArrayTaskString)
	j.TRESRequested = in.parseTRES(tresReq)
	j.TRESAllocated = in.parseTRES(tresAlloc)
	j.GPUsAllocated = j.TRESAllocated.GPUs()
	j.GPUsRequested = j.TRESRequested.GPUs()
	if j.GPUsRequested == 0 {
		if n := gresCount(tresPerJob, "gpu"); n > 0 {
			j.GPUsRequested = n
		} else if n := gresCount(tresPerNode, "gpu"); n > 0 {
			nodes, ok := j.NodeCount.Get()
			if !ok || nodes < 1 {
				nodes = 1
			}
			j.GPUsRequested = n * nodes
		}
	}
	if m, ok := j.TRESAllocated["mem"]; ok {
		j.MemoryMB = m
	} else {
		j.MemoryMB = j.TRESRequested["mem"]
	}
}

// jobDisplayID is squeue's JOBID: "A_T" for an array task, "A_[rest]" for the
// not yet started remainder of an array, else the job id.
func jobDisplayID(id int64, arrayJob, arrayTask Number, taskString string) string {
	aj, ajOK := arrayJob.Get()
	if ajOK && aj > 0 {
		if t, ok := arrayTask.Get(); ok {
			return strconv.FormatInt(aj, 10) + "_" + strconv.FormatInt(t, 10)
		}
		if taskString != "" {
			return strconv.FormatInt(aj, 10) + "_[" + taskString + "]"
		}
	}
	return strconv.FormatInt(id, 10)
}

// exitFromWaitStatus decodes a raw wait(2) status (v0.0.38 exit_code, v0.0.39
// exit_code.number): 256 = exited 1, 15 = killed by SIGTERM.
func exitFromWaitStatus(ws Number) ExitCode {
	v, ok := ws.Get()
	if !ok {
		return ExitCode{}
	}
	sig := int(v & 0x7f)
	switch {
	case sig == 0:
		rc := (v >> 8) & 0xff
		st := "SUCCESS"
		if rc != 0 {
			st = "ERROR"
		}
		return ExitCode{Status: st, ReturnCode: Val(rc)}
	case v&0x80 != 0:
		return ExitCode{Status: "CORE_DUMPED", Signal: sig, SignalName: signalName(sig)}
	default:
		return ExitCode{Status: "SIGNALED", Signal: sig, SignalName: signalName(sig)}
	}
}

func signalName(sig int) string {
	names := map[int]string{1: "HUP", 2: "INT", 3: "QUIT", 4: "ILL", 6: "ABRT", 7: "BUS", 8: "FPE", 9: "KILL",
		10: "USR1", 11: "SEGV", 12: "USR2", 13: "PIPE", 14: "ALRM", 15: "TERM", 18: "CONT", 19: "STOP"}
	return names[sig]
}

// splitList splits Slurm's comma lists ("cpu,gpu"), dropping empties.
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// interner shares repeated strings (users, accounts, partitions, QOS,
// reasons, job names, node lists) within one answer: 100k jobs come from a
// few hundred users and accounts and far fewer names and node lists than
// jobs, and sharing them keeps the snapshot small (DESIGN §8: ≤ 200 MB at
// 100k jobs). It is per answer, not process-wide (unique.Make): a map
// lookup is cheaper than unique's concurrent map, and the strings die with
// the snapshot that holds them.
//
// It also shares parsed TRES maps: jobs with the same TRES string get the
// same (read-only) map, which saves an allocation per job and most of the
// TRES memory of a large snapshot.
type interner struct {
	strs     map[string]string
	tres     map[string]TRES
	extraSet map[JobExtras]*JobExtras
	// scratch is the list element decoder's raw value, reused for every
	// element of the answer (listElem).
	scratch any
	// lenient: elements are decoded with decodeOneLenient (the parallel
	// decode's workers).
	lenient bool
}

func newInterner() *interner {
	return &interner{strs: make(map[string]string, 64), tres: make(map[string]TRES, 64)}
}

func (in *interner) s(v string) string {
	if v == "" {
		return ""
	}
	if s, ok := in.strs[v]; ok {
		return s
	}
	in.strs[v] = v
	return v
}

// parseTRES is ParseTRES with sharing; a nil interner parses every time.
// extras returns nil for empty extras, else one shared copy of x per
// answer.
func (in *interner) extras(x JobExtras) *JobExtras {
	if x == (JobExtras{}) {
		return nil
	}
	if p, ok := in.extraSet[x]; ok {
		return p
	}
	if in.extraSet == nil {
		in.extraSet = map[JobExtras]*JobExtras{}
	}
	p := &x
	in.extraSet[x] = p
	return p
}

func (in *interner) parseTRES(v string) TRES {
	if v == "" {
		return nil
	}
	if t, ok := in.tres[v]; ok {
		return t
	}
	t := ParseTRES(v)
	if len(in.tres) < 4096 { // bound the cache on very diverse answers
		in.tres[v] = t
	}
	return t
}

func upper(s string) string { return strings.ToUpper(s) }

func hasFold(list []string, name string) bool {
	for _, s := range list {
		if strings.EqualFold(s, name) {
			return true
		}
	}
	return false
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

// defaultFlag reads "default" from a partition's flags; nil flags (absent
// from the answer) leave it unknown.
func defaultFlag(flags *[]string) *bool {
	if flags == nil {
		return nil
	}
	d := hasFold(*flags, "default")
	return &d
}
