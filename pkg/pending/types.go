package pending

import (
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// Cluster is what the explainer reads: the poller's snapshot (jobs, nodes,
// partitions, reservations) and what slurmdbd reports (QOS, associations,
// shares). A nil QOS, Associations or Shares list means "not known" (slurmdbd
// unreachable, or shares before v0.0.40): the facts that need it say so.
type Cluster struct {
	Jobs         []slurm.Job
	Nodes        []slurm.Node
	Partitions   []slurm.Partition
	Reservations []slurm.Reservation
	QOS          []slurm.QOS
	Associations []slurm.Association
	Shares       []slurm.Share
	Now          time.Time
}

// Explanation says why one pending job does not start.
type Explanation struct {
	JobID    string
	Name     string
	User     string
	Reason   string // Slurm's code as slurmrestd gives it (state_reason)
	Detail   string // Slurm's longer text (state_description) when it says more, e.g. "ReqNodeNotAvail, Reserved for maintenance"
	Category Category
	Meaning  string // the reason in plain words
	Summary  string // one line with the numbers that matter

	Request   Request
	Partition *PartitionFacts // nil when the job's partition is not in the snapshot

	// CanEverStart is false when the request exceeds what any node, the
	// partition or a per-job/per-user limit allows, or the reason itself
	// says so (PartitionTimeLimit, DependencyNeverSatisfied, …);
	// Blockers name the limits, with their values.
	CanEverStart bool
	Blockers     []string

	Limit         *LimitFact
	Dependencies  []DependencyFact
	Reservation   *ReservationFact
	Queue         *QueueFact
	ExpectedStart time.Time // Slurm's expected start; zero when the scheduler has set none
	Help          []string  // what would help, as facts
	Notes         []string  // what could not be told, and why
}

// Request is what the job asks for.
type Request struct {
	Partition     string
	QOS           string
	Account       string
	Nodes         int64 // at least 1
	CPUs          int64
	CPUsPerNode   int64
	MemoryMB      int64 // 0 when unknown
	MemoryPerNode int64 // MB; 0 when unknown
	GPUs          int64
	GPUsPerNode   int64
	TimeLimit     slurm.Number // minutes
	Features      string
	Licenses      string
	Reservation   string
	RequiredNodes string
}

// PartitionFacts is what the job's partition has now and at most.
type PartitionFacts struct {
	Name            string
	State           string
	Nodes           int64 // in the partition
	UsableNodes     int64 // not down, drained, failing or reserved
	NodesWithRoom   int64 // usable nodes with enough idle CPUs, GPUs and free memory for one node of the job (-1: not counted)
	IdleCPUs        int64 // on usable nodes
	IdleGPUs        int64
	FreeMemoryMB    int64
	MaxCPUsPerNode  int64 // the largest node, in any state
	MaxGPUsPerNode  int64
	MaxMemPerNodeMB int64
	TotalCPUs       int64
	TotalGPUs       int64
	MaxTime         slurm.Number // minutes
	MaxNodes        slurm.Number // per job
}

// LimitFact is the QOS, association or array limit that holds the job.
type LimitFact struct {
	Scope     Scope
	Owner     string       // the QOS name, the association ("physics", "physics/alice") or the array job id
	Setting   string       // sacctmgr's name, e.g. MaxTRESPerUser; "" when Slurm's code does not say and no set limit is exceeded
	TRES      string       // the TRES key, e.g. cpu, mem, gres/gpu; "" for job counts and times
	Unit      string       // what Limit and Used count: CPUs, MB, GPUs, jobs, minutes, CPU-minutes, …
	Limit     slurm.Number // the setting's value
	Used      slurm.Number // current usage in the limit's scope (unset when slurmrestd does not report it)
	Requested int64        // what this job adds
	UsedBy    string       // whose usage: "user alice's running jobs under QOS normal"
	Text      string
}

// DependencyFact is one job this job waits for.
type DependencyFact struct {
	Type   string // after, afterany, afterok, afternotok, aftercorr, afterburstbuffer, singleton
	JobID  string // "" for singleton
	Status string // Slurm's own: unfulfilled, failed, …
	Name   string // of the job waited for ("" when not in the snapshot)
	State  string // its state now ("" when not in the snapshot)
	Text   string
}

// ReservationFact is the reservation that holds the job or its nodes.
type ReservationFact struct {
	Name        string
	Start, End  time.Time
	Nodes       string
	Flags       []string
	Maintenance bool
	Active      bool
	// CrossesStart: the job's time limit, counted from now, runs past the
	// reservation's start on the nodes it needs.
	CrossesStart bool
	// FitsBefore is the longest time limit (minutes) that ends before the
	// reservation starts; 0 when it has started.
	FitsBefore int64
	Text       string
}

// QueueFact is where the job stands among the partition's waiting jobs.
type QueueFact struct {
	Rank      int    // 1 = next; among jobs of the partition waiting for resources or priority
	Of        int    // how many such jobs
	Kind      string // "GPUs" when the job asks for GPUs, else "CPUs"
	AheadSame int    // jobs ahead asking for the same kind
	AheadCPUs int64  // CPUs those jobs ask for
	AheadGPUs int64  // GPUs those jobs ask for
	Priority  slurm.Number
	FairShare slurm.Float // the user's fair-share factor in the job's account (v0.0.40+; unset when not known)
	Text      string
}
