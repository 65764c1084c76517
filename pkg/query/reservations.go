package query

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// TypeReservations lists the advance reservations.
const TypeReservations = "reservations"

func init() {
	register(Type{Name: TypeReservations,
		Frame:    "table: name, state (PLANNED/ACTIVE/ENDED), start/end, nodes, counts, users, accounts, flags",
		Examples: []string{`{"nameRegex":"maint.*"}`},
	}, ParseReservations)
}

// Reservations is the "reservations" query: the controller's reservations
// from the snapshot, like `scontrol show res`.
type Reservations struct {
	Name string    `json:"nameRegex"`
	now  time.Time // PLANNED, ACTIVE or ENDED as of now
}

// ParseReservations reads and validates a reservations query.
func ParseReservations(raw json.RawMessage, r Request) (Reservations, error) {
	q := Reservations{now: r.Now}
	if err := decode(raw, &q); err != nil {
		return Reservations{}, err
	}
	if _, err := compileNamePattern("nameRegex", q.Name); err != nil {
		return Reservations{}, err
	}
	return q, nil
}

// Needs reads the snapshot's reservations.
func (q Reservations) Needs() Needs { return Needs{Kinds: []cluster.Kind{cluster.KindReservations}} }

// Frames answers with the reservations table, states as of the request.
func (q Reservations) Frames(d Data) (data.Frames, error) {
	return one(q.Frame(d.Snapshot.Reservations, q.now))
}

// Frame builds the reservations table.
func (q Reservations) Frame(res []slurm.Reservation, now time.Time) *data.Frame {
	re, _ := compileNamePattern("nameRegex", q.Name) // validated by Parse
	var sel []slurm.Reservation
	for _, r := range res {
		if re == nil || re.MatchString(r.Name) {
			sel = append(sel, r)
		}
	}
	n := len(sel)
	name, nodes, users, accounts, partition, flags, state := col[string](n), col[string](n), col[string](n), col[string](n), col[string](n), col[string](n), col[string](n)
	start, end := col[*time.Time](n), col[*time.Time](n)
	nodeCount, cores := col[int64](n), col[int64](n)
	for i, r := range sel {
		name[i], nodes[i], users[i], accounts[i], partition[i] = r.Name, r.Nodes, r.Users, r.Accounts, r.Partition
		flags[i], start[i], end[i], nodeCount[i], cores[i] = strings.Join(r.Flags, ","), timeOrNil(r.StartTime), timeOrNil(r.EndTime), r.NodeCount, r.CoreCount
		switch {
		case !r.StartTime.IsZero() && now.Before(r.StartTime):
			state[i] = "PLANNED"
		case !r.EndTime.IsZero() && !now.Before(r.EndTime):
			state[i] = "ENDED"
		default:
			state[i] = "ACTIVE"
		}
	}
	return data.NewFrame("reservations",
		withConfig(data.NewField("name", nil, name), "Reservation", ""),
		withConfig(data.NewField("state", nil, state), "State", ""),
		withConfig(data.NewField("start_time", nil, start), "Starts", ""),
		withConfig(data.NewField("end_time", nil, end), "Ends", ""),
		withConfig(data.NewField("nodes", nil, nodes), "Nodes", ""),
		withConfig(data.NewField("node_count", nil, nodeCount), "Node count", "none"),
		withConfig(data.NewField("core_count", nil, cores), "Cores", "none"),
		withConfig(data.NewField("users", nil, users), "Users", ""),
		withConfig(data.NewField("accounts", nil, accounts), "Accounts", ""),
		withConfig(data.NewField("partition", nil, partition), "Partition", ""),
		withConfig(data.NewField("flags", nil, flags), "Flags", ""),
	)
}
