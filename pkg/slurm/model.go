package slurm

import (
	"strconv"
	"time"
)

// Number is a count, size or limit that slurmrestd may leave unset or declare
// unlimited (its {set, infinite, number} objects; NO_VAL / INFINITE / -1 in
// older plain-integer versions). The zero Number is "unset", never 0.
type Number struct {
	Value    int64 // meaningful only when Set && !Infinite
	Set      bool  // Slurm gave a value (possibly Infinite)
	Infinite bool  // unlimited
}

// Val returns a set, finite value.
func Val(v int64) Number { return Number{Value: v, Set: true} }

// Unlimited returns an infinite Number.
func Unlimited() Number { return Number{Set: true, Infinite: true} }

// Get returns the value and true when it is set and finite.
func (n Number) Get() (int64, bool) { return n.Value, n.Set && !n.Infinite }

// IsUnset tells that Slurm gave no value.
func (n Number) IsUnset() bool { return !n.Set && !n.Infinite }

// IsUnlimited tells that the value is unlimited.
func (n Number) IsUnlimited() bool { return n.Infinite }

// String is "unset", "unlimited" or the decimal value.
func (n Number) String() string {
	switch {
	case n.Infinite:
		return "unlimited"
	case !n.Set:
		return "unset"
	}
	return strconv.FormatInt(n.Value, 10)
}

// Float is the floating-point counterpart of Number (fairshare factors).
type Float struct {
	Value    float64
	Set      bool
	Infinite bool
}

// Get returns the value and true when it is set and finite.
func (f Float) Get() (float64, bool) { return f.Value, f.Set && !f.Infinite }

// State is a job or node state: the base state (e.g. RUNNING, MIXED) and every
// flag Slurm reported (e.g. DRAIN, RESERVED, COMPLETING), in Slurm's order.
// Names are upper case in every API version.
type State struct {
	Base  string
	Flags []string
}

// Has tells whether the base or a flag equals name (upper case).
func (s State) Has(name string) bool {
	if s.Base == name {
		return true
	}
	for _, f := range s.Flags {
		if f == name {
			return true
		}
	}
	return false
}

// String is "BASE+FLAG+FLAG" like sinfo's long form.
func (s State) String() string {
	out := s.Base
	for _, f := range s.Flags {
		out += "+" + f
	}
	return out
}

// Controller is one slurmctld answering ping.
type Controller struct {
	Hostname   string
	Responding bool
	Mode       string // "primary", "backup", ... ("" when the version does not say)
	Primary    bool
	LatencyUS  Number // ping latency in µs (unset on v0.0.38)
}

// Ping is the answer of /ping plus what the body's meta says about the server.
type Ping struct {
	// ClusterName is from the ping answer's meta (v0.0.40+). v0.0.38/39 do
	// not report it in ping: then it is the cluster named by the last jobs
	// answer this Client decoded (the poller fetches jobs every refresh, so
	// no extra call), and "" until a jobs answer with a job has been seen.
	ClusterName  string
	SlurmVersion string // e.g. "23.11.11"
	APIVersion   string // the API version used, e.g. "v0.0.40"
	Controllers  []Controller
	Warnings     []Message
}

// ExitCode is a job's exit: Status is SUCCESS, ERROR, SIGNALED, CORE_DUMPED
// or "" when unknown. ReturnCode is unset when the job was killed by a signal.
type ExitCode struct {
	Status     string
	ReturnCode Number
	Signal     int    // 0: none
	SignalName string // e.g. "TERM" ("" when the version does not say)
}

// Job is one job (or array task) of the controller.
type Job struct {
	ID              string // "123"; "123_4" (array job id _ task id) for an array task; "123_[3-6%2]" for pending array remainders
	JobID           int64  // Slurm's numeric job id (unique, also for array tasks)
	ArrayJobID      Number
	ArrayTaskID     Number
	ArrayMaxTasks   Number // the array's limit of tasks running at once (the %N of --array); unset/0: none
	Name            string
	User            string
	Account         string
	Partition       string
	QOS             string
	State           State
	Reason          string // state_reason: "None", "Resources", "Priority", ...
	SubmitTime      time.Time
	EligibleTime    time.Time
	StartTime       time.Time // for pending jobs: the expected start, when Slurm has one
	EndTime         time.Time
	TimeLimit       Number // minutes; Infinite = UNLIMITED
	NodeList        string // compressed hostlist as given, e.g. "node[03-04]"
	NodeCount       Number
	CPUs            Number
	MemoryPerNodeMB Number
	MemoryPerCPUMB  Number
	MemoryMB        int64 // total requested memory in MB derived from TRES (0 when unknown)
	GPUsRequested   int64 // from tres_req_str gres/gpu (then tres_per_* strings)
	GPUsAllocated   int64 // from tres_alloc_str gres/gpu (0 while pending)
	TRESRequested   TRES
	TRESAllocated   TRES
	Priority        Number
	WorkDir         string
	// Extras holds what few jobs carry; nil when the job has none. Read it
	// through Extra.
	Extras *JobExtras
}

// JobExtras are the job fields most jobs leave empty or share with many
// others (how a job exited: the same for every job still in the queue).
// They sit behind one pointer, shared by the jobs of an answer whose extras
// are equal, so that the 100k jobs of a large queue do not each hold eight
// empty strings and an exit code (170 bytes a job).
type JobExtras struct {
	ExitCode        ExitCode
	ArrayTaskString string // pending tasks of an array, e.g. "3-6%2"
	StateDesc       string // state_description, often empty
	Comment         string
	Dependency      string // as slurmctld reports it, e.g. "afterok:5005(unfulfilled)"; "" when none
	Features        string // --constraint expression, e.g. "a100&ib"; "" when none
	Licenses        string // requested licenses, e.g. "ansys:1"
	RequiredNodes   string // --nodelist hostlist; "" when none
	Reservation     string // --reservation name; "" when none
}

// Extra returns the job's extras; all empty when it has none.
func (j *Job) Extra() JobExtras {
	if j.Extras == nil {
		return JobExtras{}
	}
	return *j.Extras
}

// TRES is a parsed TRES string such as "cpu=4,mem=4000M,node=1,gres/gpu=1".
// Memory-like values (mem, vmem, fs/*, bb/*) are in MB; others are counts.
// Maps in answers are shared between jobs with the same TRES: read only.
type TRES map[string]int64

// Node is one compute node.
type Node struct {
	Name           string
	Hostname       string
	Address        string
	State          State
	Reason         string
	ReasonSetBy    string
	ReasonTime     time.Time
	Partitions     []string
	CPUs           int64
	CPUsAllocated  int64
	CPULoad        Number // cpu_load / 100 × 100: see CPULoadValue
	MemoryMB       int64  // real_memory
	MemoryAllocMB  int64  // alloc_memory
	MemoryFreeMB   Number // free_mem (may exceed MemoryMB; it is the OS view)
	GPUs           int64  // from gres (then tres gres/gpu)
	GPUsAllocated  int64  // from gres_used (then tres_used gres/gpu)
	Gres           string
	GresUsed       string
	TRES           TRES
	TRESUsed       TRES
	Features       []string
	ActiveFeatures []string
}

// CPULoadValue returns the load average (Slurm reports load × 100).
func (n *Node) CPULoadValue() (float64, bool) {
	v, ok := n.CPULoad.Get()
	return float64(v) / 100, ok
}

// Partition is one partition (queue).
type Partition struct {
	Name           string
	State          string // UP, DOWN, DRAIN, INACTIVE; "" when the version does not say (v0.0.39)
	Nodes          string // compressed hostlist
	TotalNodes     int64
	TotalCPUs      int64
	TRES           TRES
	MaxTime        Number // minutes
	DefaultTime    Number // minutes
	MaxNodes       Number // per job
	MaxCPUsPerNode Number
	// Default tells whether this is the default partition; nil when the
	// answer does not say: only v0.0.38 and v0.0.45 carry the partition's
	// flags (v0.0.39–v0.0.44 have none, so unknown, not false).
	Default *bool
}

// Reservation is one advance reservation.
type Reservation struct {
	Name      string
	Nodes     string
	NodeCount int64
	CoreCount int64
	StartTime time.Time
	EndTime   time.Time
	Users     string
	Accounts  string
	Partition string
	Flags     []string
	Features  string
	Licenses  string
}

// SchedulerStats is the subset of /diag the dashboards use.
type SchedulerStats struct {
	ServerThreadCount  int64
	AgentQueueSize     int64
	AgentCount         int64
	DBDAgentQueueSize  int64
	JobsSubmitted      int64
	JobsStarted        int64
	JobsCompleted      int64
	JobsCanceled       int64
	JobsFailed         int64
	JobsPending        int64
	JobsRunning        int64
	ScheduleCycleLast  int64 // µs
	ScheduleCycleMax   int64
	ScheduleCycleMean  int64
	ScheduleCycleCount int64
	BFCycleLast        int64 // µs
	BFCycleMax         int64
	BFCycleCount       int64
	BFBackfilledJobs   int64
	BFLastDepth        int64
	BFActive           bool
	BFLastCycleTime    time.Time
	RequestTime        time.Time // req_time: when the statistics were taken
}

// License is one cluster license.
type License struct {
	Name     string
	Total    int64
	Used     int64
	Free     int64
	Reserved int64
	Remote   bool
}

// Share is one row of /shares (fairshare tree).
type Share struct {
	ID              int64
	Cluster         string
	Name            string // account or user name
	Parent          string
	Partition       string
	User            bool // true: a user association; false: an account
	SharesRaw       Number
	SharesNorm      Float
	Usage           int64 // raw usage
	UsageNorm       Float
	EffectiveUsage  Float
	FairshareFactor Float
	FairshareLevel  Float
}

// AccountingFilter restricts AccountingJobs. Zero fields mean "no filter";
// a zero Start asks slurmdbd for its default window. Every filter holds on
// every version: what slurmrestd cannot apply there is applied by the client
// (querystring.go says which).
type AccountingFilter struct {
	Start, End time.Time
	Users      []string
	Accounts   []string
	Partitions []string
	States     []string // final base state, e.g. FAILED; sent only with both Start and End
	QOS        []string // QOS names; filtered by the client (slurmrestd matches numeric ids only)
	JobNames   []string
	JobIDs     []int64 // Slurm's numeric job ids (an array task's own id)
}

// AccountingStep is one step of an accounting job.
type AccountingStep struct {
	ID       string // "5005.batch", "5005.0"
	Name     string
	State    string
	Elapsed  time.Duration
	CPUTime  time.Duration // user+system CPU time of the step
	ExitCode ExitCode
	MaxRSSMB int64 // from tres requested max mem (0 when unknown)
	NodeList string
}

// AccountingJob is one job as slurmdbd recorded it.
type AccountingJob struct {
	JobID         int64
	ArrayJobID    Number
	ArrayTaskID   Number
	Name          string
	User          string
	Account       string
	Partition     string
	QOS           string
	Cluster       string
	State         State
	Reason        string
	SubmitTime    time.Time
	StartTime     time.Time
	EndTime       time.Time
	Elapsed       time.Duration
	CPUTime       time.Duration // total CPU time used by all steps (user+system); v0.0.38/39: the steps' sum (their job-level figure is 0)
	TimeLimit     Number        // minutes
	NodeList      string
	ExitCode      ExitCode // caution: v0.0.38/39 report SUCCESS even for failed jobs; use State
	TRESRequested TRES
	TRESAllocated TRES
	MaxRSSMB      int64 // largest step max RSS in MB (0 when unknown)
	WorkDir       string
	Steps         []AccountingStep
}

// QOS is one quality of service.
type QOS struct {
	Name          string
	Description   string
	Priority      Number
	MaxWallPerJob Number // minutes
	Flags         []string
	Limits        QOSLimits
}

// Association is one slurmdb association.
type Association struct {
	Cluster   string
	Account   string
	User      string
	Partition string
	Parent    string
	QOS       []string
	IsDefault bool
	Shares    Number
	GrpTRES   TRES
	Limits    AssocLimits
}

// Account is one slurmdb account.
type Account struct {
	Name         string
	Description  string
	Organization string
}

// User is one slurmdb user.
type User struct {
	Name           string
	DefaultAccount string
	AdminLevel     string
}

// NodeUpdate is the change an operator asks for a node.
type NodeUpdate struct {
	State  string // e.g. "DRAIN", "RESUME"
	Reason string // required by Slurm for DRAIN
}

// JobsAnswer is the answer of Jobs.
type JobsAnswer struct {
	Jobs []Job
	// Unchanged is true when slurmrestd said nothing changed since the
	// requested time (it then sends no jobs). Jobs is nil then; it does NOT
	// mean the cluster has zero jobs: keep the previous list.
	Unchanged  bool
	LastUpdate time.Time // the controller's last_update of the job table (zero when the version does not say)
	// Cluster is the cluster name the answer carries: meta's (v0.0.40+) or,
	// on v0.0.38/39, the first job's; "" when the answer holds neither.
	Cluster  string
	Warnings []Message
}
