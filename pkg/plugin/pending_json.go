package plugin

import (
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/pending"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/query"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// pendingAnswer is the body of GET pending/{jobId} (src/api reads it).
type pendingAnswer struct {
	Explanation        pendingJSON `json:"explanation"`
	Warnings           []string    `json:"warnings"`
	SnapshotAgeSeconds float64     `json:"snapshotAgeSeconds"`
}

type pendingJSON struct {
	JobID         string           `json:"jobId"`
	Name          string           `json:"name"`
	User          string           `json:"user"`
	Reason        string           `json:"reason"`
	Detail        string           `json:"detail,omitempty"`
	Category      string           `json:"category"`
	CategoryTitle string           `json:"categoryTitle"`
	Meaning       string           `json:"meaning"`
	Summary       string           `json:"summary"`
	CanEverStart  bool             `json:"canEverStart"`
	Blockers      []string         `json:"blockers"`
	Request       requestJSON      `json:"request"`
	Partition     *partitionJSON   `json:"partition"`
	Limit         *limitJSON       `json:"limit"`
	Dependencies  []dependencyJSON `json:"dependencies"`
	Reservation   *reservationJSON `json:"reservation"`
	Queue         *queueJSON       `json:"queue"`
	ExpectedStart *time.Time       `json:"expectedStart"`
	Help          []string         `json:"help"`
	Notes         []string         `json:"notes"`
}

type requestJSON struct {
	Partition        string `json:"partition"`
	QOS              string `json:"qos"`
	Account          string `json:"account"`
	Nodes            int64  `json:"nodes"`
	CPUs             int64  `json:"cpus"`
	CPUsPerNode      int64  `json:"cpusPerNode"`
	MemoryMB         int64  `json:"memoryMB"`
	MemoryPerNodeMB  int64  `json:"memoryPerNodeMB"`
	GPUs             int64  `json:"gpus"`
	GPUsPerNode      int64  `json:"gpusPerNode"`
	TimeLimitMinutes *int64 `json:"timeLimitMinutes"` // null: unset or unlimited (see timeLimitUnlimited)
	TimeUnlimited    bool   `json:"timeLimitUnlimited"`
	Features         string `json:"features"`
	Licenses         string `json:"licenses"`
	Reservation      string `json:"reservation"`
	RequiredNodes    string `json:"requiredNodes"`
}

type partitionJSON struct {
	Name            string `json:"name"`
	State           string `json:"state"`
	Nodes           int64  `json:"nodes"`
	UsableNodes     int64  `json:"usableNodes"`
	NodesWithRoom   int64  `json:"nodesWithRoom"`
	IdleCPUs        int64  `json:"idleCPUs"`
	IdleGPUs        int64  `json:"idleGPUs"`
	FreeMemoryMB    int64  `json:"freeMemoryMB"`
	TotalCPUs       int64  `json:"totalCPUs"`
	TotalGPUs       int64  `json:"totalGPUs"`
	MaxCPUsPerNode  int64  `json:"maxCPUsPerNode"`
	MaxGPUsPerNode  int64  `json:"maxGPUsPerNode"`
	MaxMemPerNodeMB int64  `json:"maxMemoryPerNodeMB"`
	MaxTimeMinutes  *int64 `json:"maxTimeMinutes"`
}

type limitJSON struct {
	Label     string `json:"label"`
	Scope     string `json:"scope"`
	Owner     string `json:"owner"`
	Setting   string `json:"setting"`
	TRES      string `json:"tres"`
	Unit      string `json:"unit"`
	Value     *int64 `json:"value"`
	Used      *int64 `json:"used"`
	Requested int64  `json:"requested"`
	UsedBy    string `json:"usedBy"`
	Text      string `json:"text"`
}

type dependencyJSON struct {
	Type   string `json:"type"`
	JobID  string `json:"jobId"`
	Status string `json:"status"`
	Name   string `json:"name"`
	State  string `json:"state"`
	Text   string `json:"text"`
}

type reservationJSON struct {
	Name              string     `json:"name"`
	Start             *time.Time `json:"start"`
	End               *time.Time `json:"end"`
	Nodes             string     `json:"nodes"`
	Maintenance       bool       `json:"maintenance"`
	Active            bool       `json:"active"`
	CrossesStart      bool       `json:"crossesStart"`
	FitsBeforeMinutes int64      `json:"fitsBeforeMinutes"`
	Text              string     `json:"text"`
}

type queueJSON struct {
	Rank      int      `json:"rank"`
	Of        int      `json:"of"`
	Kind      string   `json:"kind"`
	AheadSame int      `json:"aheadSameKind"`
	AheadCPUs int64    `json:"aheadCPUs"`
	AheadGPUs int64    `json:"aheadGPUs"`
	Priority  *int64   `json:"priority"`
	FairShare *float64 `json:"fairShare"`
	Text      string   `json:"text"`
}

func numPtr(n slurm.Number) *int64 {
	if v, ok := n.Get(); ok {
		return &v
	}
	return nil
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func newPendingJSON(e *pending.Explanation) pendingJSON {
	r := e.Request
	out := pendingJSON{
		JobID: e.JobID, Name: e.Name, User: e.User, Reason: e.Reason, Detail: e.Detail,
		Category: string(e.Category), CategoryTitle: e.Category.Title(), Meaning: e.Meaning, Summary: e.Summary,
		CanEverStart: e.CanEverStart, Blockers: orEmpty(e.Blockers), ExpectedStart: timePtr(e.ExpectedStart),
		Help: orEmpty(e.Help), Notes: orEmpty(e.Notes), Dependencies: []dependencyJSON{},
		Request: requestJSON{Partition: r.Partition, QOS: r.QOS, Account: r.Account, Nodes: r.Nodes, CPUs: r.CPUs,
			CPUsPerNode: r.CPUsPerNode, MemoryMB: r.MemoryMB, MemoryPerNodeMB: r.MemoryPerNode, GPUs: r.GPUs,
			GPUsPerNode: r.GPUsPerNode, TimeLimitMinutes: numPtr(r.TimeLimit), TimeUnlimited: r.TimeLimit.IsUnlimited(),
			Features: r.Features, Licenses: r.Licenses, Reservation: r.Reservation, RequiredNodes: r.RequiredNodes},
	}
	if p := e.Partition; p != nil {
		out.Partition = &partitionJSON{Name: p.Name, State: p.State, Nodes: p.Nodes, UsableNodes: p.UsableNodes,
			NodesWithRoom: p.NodesWithRoom, IdleCPUs: p.IdleCPUs, IdleGPUs: p.IdleGPUs, FreeMemoryMB: p.FreeMemoryMB,
			TotalCPUs: p.TotalCPUs, TotalGPUs: p.TotalGPUs, MaxCPUsPerNode: p.MaxCPUsPerNode, MaxGPUsPerNode: p.MaxGPUsPerNode,
			MaxMemPerNodeMB: p.MaxMemPerNodeMB, MaxTimeMinutes: numPtr(p.MaxTime)}
	}
	if l := e.Limit; l != nil {
		out.Limit = &limitJSON{Label: query.LimitLabel(e), Scope: string(l.Scope), Owner: l.Owner, Setting: l.Setting,
			TRES: l.TRES, Unit: l.Unit, Value: numPtr(l.Limit), Used: numPtr(l.Used), Requested: l.Requested,
			UsedBy: l.UsedBy, Text: l.Text}
	}
	for _, dep := range e.Dependencies {
		out.Dependencies = append(out.Dependencies, dependencyJSON(dep))
	}
	if rf := e.Reservation; rf != nil {
		out.Reservation = &reservationJSON{Name: rf.Name, Start: timePtr(rf.Start), End: timePtr(rf.End), Nodes: rf.Nodes,
			Maintenance: rf.Maintenance, Active: rf.Active, CrossesStart: rf.CrossesStart, FitsBeforeMinutes: rf.FitsBefore, Text: rf.Text}
	}
	if q := e.Queue; q != nil {
		qj := &queueJSON{Rank: q.Rank, Of: q.Of, Kind: q.Kind, AheadSame: q.AheadSame, AheadCPUs: q.AheadCPUs,
			AheadGPUs: q.AheadGPUs, Priority: numPtr(q.Priority), Text: q.Text}
		if f, ok := q.FairShare.Get(); ok {
			qj.FairShare = &f
		}
		out.Queue = qj
	}
	return out
}
