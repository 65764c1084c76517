package pending

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// Index is a Cluster prepared for explaining many jobs: partition
// aggregates, the waiting queues in priority order and the usage behind
// every limit are computed once, so explaining each job of a 100k-job queue
// costs no scan of the others.
type Index struct {
	c        Cluster
	parts    map[string]*partInfo
	byID     map[string]int // squeue's id ("123", "123_4") → index in c.Jobs
	byNum    map[int64]int  // Slurm's numeric job id → index in c.Jobs
	qos      map[string]*slurm.QOS
	assocs   map[assocKey]*slurm.Association
	parent   map[string]string // account → parent account
	usage    map[usageKey]*usage
	queuePos map[int]QueueFact
	resvs    []resvInfo
	features map[string]map[string]bool // partition → every feature of its nodes
	arrays   map[int64]int64            // array job id → running tasks
	// holderCache is filled as jobs are explained (All gives each of its
	// workers its own); otherwise an Index is used by one goroutine at a time.
	holderCache map[holdersKey][]holder
	partResvs   map[string][]*resvInfo // reservations on some node of the partition
}

type partInfo struct {
	p     *slurm.Partition
	nodes []*slurm.Node
	facts PartitionFacts
}

type assocKey struct{ account, user, partition string }

// usageKey names one scope of usage: kind is qos, qosuser, qosacct, acct
// (the account and its sub-accounts) or acctuser.
type usageKey struct{ kind, a, b string }

type usage struct {
	tres      map[string]int64 // TRES of running jobs
	runMins   map[string]int64 // TRES × minutes left of running jobs
	running   int64
	submitted int64 // pending and running
}

type resvInfo struct {
	r     *slurm.Reservation
	nodes map[string]bool
}

// NewIndex prepares c. It keeps c's slices (read only).
func NewIndex(c Cluster) *Index {
	ix := &Index{
		c:        c,
		parts:    make(map[string]*partInfo, len(c.Partitions)),
		byID:     make(map[string]int, len(c.Jobs)),
		byNum:    make(map[int64]int, len(c.Jobs)),
		qos:      make(map[string]*slurm.QOS, len(c.QOS)),
		assocs:   make(map[assocKey]*slurm.Association, len(c.Associations)),
		parent:   map[string]string{},
		usage:    map[usageKey]*usage{},
		features: map[string]map[string]bool{},
		arrays:   map[int64]int64{},

		holderCache: map[holdersKey][]holder{},
		partResvs:   map[string][]*resvInfo{},
	}
	for i := range c.QOS {
		ix.qos[c.QOS[i].Name] = &c.QOS[i]
	}
	for i := range c.Associations {
		a := &c.Associations[i]
		ix.assocs[assocKey{a.Account, a.User, a.Partition}] = a
		if a.User == "" && a.Parent != "" && a.Parent != a.Account {
			ix.parent[a.Account] = a.Parent
		}
	}
	ix.indexPartitions()
	ix.indexJobs()
	ix.indexQueues()
	for i := range c.Reservations {
		r := &c.Reservations[i]
		nodes, _ := slurm.ExpandHostlist(r.Nodes)
		set := make(map[string]bool, len(nodes))
		for _, n := range nodes {
			set[n] = true
		}
		ix.resvs = append(ix.resvs, resvInfo{r: r, nodes: set})
	}
	for name, pi := range ix.parts {
		for i := range ix.resvs {
			ri := &ix.resvs[i]
			if slices.ContainsFunc(pi.nodes, func(n *slurm.Node) bool { return ri.nodes[n.Name] }) {
				ix.partResvs[name] = append(ix.partResvs[name], ri)
			}
		}
	}
	return ix
}

// nodeUsable tells whether a node can take a job now (for a job outside any
// reservation): not down, drained, failing, unresponsive or reserved.
func nodeUsable(n *slurm.Node) bool {
	switch n.State.Base {
	case "DOWN", "FUTURE", "UNKNOWN", "ERROR":
		return false
	}
	for _, f := range []string{"DRAIN", "DRAINING", "DRAINED", "FAIL", "NOT_RESPONDING", "RESERVED", "MAINTENANCE", "POWERING_DOWN", "REBOOT_REQUESTED", "REBOOT_ISSUED"} {
		if n.State.Has(f) {
			return false
		}
	}
	return true
}

func (ix *Index) indexPartitions() {
	for i := range ix.c.Partitions {
		p := &ix.c.Partitions[i]
		ix.parts[p.Name] = &partInfo{p: p, facts: PartitionFacts{
			Name: p.Name, State: p.State, MaxTime: p.MaxTime, MaxNodes: p.MaxNodes, NodesWithRoom: -1,
		}}
		ix.features[p.Name] = map[string]bool{}
	}
	for i := range ix.c.Nodes {
		n := &ix.c.Nodes[i]
		for _, name := range n.Partitions {
			pi := ix.parts[name]
			if pi == nil {
				continue
			}
			pi.nodes = append(pi.nodes, n)
			f := &pi.facts
			f.Nodes++
			f.TotalCPUs += n.CPUs
			f.TotalGPUs += n.GPUs
			f.MaxCPUsPerNode = max(f.MaxCPUsPerNode, n.CPUs)
			f.MaxGPUsPerNode = max(f.MaxGPUsPerNode, n.GPUs)
			f.MaxMemPerNodeMB = max(f.MaxMemPerNodeMB, n.MemoryMB)
			for _, feat := range n.Features {
				ix.features[name][feat] = true
			}
			if nodeUsable(n) {
				f.UsableNodes++
				f.IdleCPUs += max(n.CPUs-n.CPUsAllocated, 0)
				f.IdleGPUs += max(n.GPUs-n.GPUsAllocated, 0)
				f.FreeMemoryMB += max(n.MemoryMB-n.MemoryAllocMB, 0)
			}
		}
	}
	// A partition's own per-node CPU cap lowers what any node offers a job.
	for _, pi := range ix.parts {
		if v, ok := pi.p.MaxCPUsPerNode.Get(); ok && v > 0 && v < pi.facts.MaxCPUsPerNode {
			pi.facts.MaxCPUsPerNode = v
		}
	}
}

// lookup finds a job by squeue's id or Slurm's numeric id.
func (ix *Index) lookup(id string) (int, bool) {
	if i, ok := ix.byID[id]; ok {
		return i, true
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return 0, false
	}
	i, ok := ix.byNum[n]
	return i, ok
}

func jobPartitions(j *slurm.Job) []string {
	if !strings.Contains(j.Partition, ",") {
		return []string{j.Partition}
	}
	return strings.Split(j.Partition, ",")
}

func (ix *Index) indexJobs() {
	now := ix.c.Now
	var keys []usageKey // reused: one job's scopes
	for i := range ix.c.Jobs {
		j := &ix.c.Jobs[i]
		ix.byID[j.ID] = i
		if k := strings.IndexByte(j.ID, '%'); k > 0 && strings.HasSuffix(j.ID, "]") {
			// "12_[3-6%2]" is also found as "12_[3-6]", the form pages and Slurm's commands use.
			ix.byID[j.ID[:k]+"]"] = i
		}
		ix.byNum[j.JobID] = i
		running := j.State.Base == "RUNNING" || j.State.Base == "SUSPENDED"
		pending := j.State.Base == "PENDING"
		if !running && !pending {
			continue
		}
		if running {
			if aj, ok := j.ArrayJobID.Get(); ok {
				ix.arrays[aj]++
			}
		}
		var left int64 // minutes left of a running job's time limit
		if tl, ok := j.TimeLimit.Get(); ok && running && !j.StartTime.IsZero() {
			left = max(int64(j.StartTime.Add(minutes(tl)).Sub(now).Minutes()), 0)
		}
		tres := j.TRESAllocated
		if len(tres) == 0 {
			tres = j.TRESRequested
		}
		keys = ix.usageKeys(j, keys[:0])
		for _, k := range keys {
			u := ix.usage[k]
			if u == nil {
				u = &usage{tres: map[string]int64{}, runMins: map[string]int64{}}
				ix.usage[k] = u
			}
			u.submitted++
			if !running {
				continue
			}
			u.running++
			for key, v := range tres {
				u.tres[key] += v
				u.runMins[key] += v * left
			}
		}
	}
}

// usageKeys lists every scope a job's usage counts in.
func (ix *Index) usageKeys(j *slurm.Job, keys []usageKey) []usageKey {
	keys = append(keys,
		usageKey{"qos", j.QOS, ""}, usageKey{"qosuser", j.QOS, j.User}, usageKey{"qosacct", j.QOS, j.Account},
		usageKey{"acctuser", j.Account, j.User})
	// Accounts nest a few levels; the bound stops a cycle in bad data.
	for a, depth := j.Account, 0; a != "" && depth < 32; a, depth = ix.parent[a], depth+1 {
		keys = append(keys, usageKey{"acct", a, ""})
		if ix.parent[a] == a {
			break
		}
	}
	return keys
}

// competing tells whether a pending job competes for its partition's
// resources now: jobs held, waiting on dependencies, limits or reservations
// are not ranked, since they do not stand in anyone's way.
func competing(j *slurm.Job) bool {
	if j.State.Base != "PENDING" {
		return false
	}
	r, _ := LookupReason(j.Reason)
	return r.Category == Resources || r.Category == Priority
}

func (ix *Index) indexQueues() {
	queues := map[string][]int{}
	for i := range ix.c.Jobs {
		j := &ix.c.Jobs[i]
		if !competing(j) {
			continue
		}
		for _, p := range jobPartitions(j) {
			queues[p] = append(queues[p], i)
		}
	}
	ix.queuePos = make(map[int]QueueFact)
	for part, q := range queues {
		jobs := ix.c.Jobs
		slices.SortStableFunc(q, func(a, b int) int {
			pa, _ := jobs[a].Priority.Get()
			pb, _ := jobs[b].Priority.Get()
			if c := cmp.Compare(pb, pa); c != 0 {
				return c
			}
			if c := jobs[a].SubmitTime.Compare(jobs[b].SubmitTime); c != 0 {
				return c
			}
			return cmp.Compare(jobs[a].JobID, jobs[b].JobID)
		})
		var aheadGPUJobs, aheadCPUJobs int
		var gpuJobsCPUs, gpuJobsGPUs, cpuJobsCPUs int64
		for rank, i := range q {
			j := &jobs[i]
			cpus, _ := j.CPUs.Get()
			qf := QueueFact{Rank: rank + 1, Of: len(q), Priority: j.Priority}
			if j.GPUsRequested > 0 {
				qf.Kind, qf.AheadSame, qf.AheadCPUs, qf.AheadGPUs = "GPUs", aheadGPUJobs, gpuJobsCPUs, gpuJobsGPUs
				aheadGPUJobs++
				gpuJobsCPUs += cpus
				gpuJobsGPUs += j.GPUsRequested
			} else {
				qf.Kind, qf.AheadSame, qf.AheadCPUs = "CPUs", aheadCPUJobs, cpuJobsCPUs
				aheadCPUJobs++
				cpuJobsCPUs += cpus
			}
			// A job queued in several partitions is ranked in its first one.
			if _, done := ix.queuePos[i]; !done && jobPartitions(j)[0] == part {
				ix.queuePos[i] = qf
			}
		}
	}
}

// SetShares gives the index the fair-share tree, read only by the queue
// facts of Explain (the list does not show fair-share factors, so it does
// not make the plugin fetch shares).
func (ix *Index) SetShares(shares []slurm.Share) { ix.c.Shares = shares }
