package pending

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

func isMaintenance(r *slurm.Reservation) bool {
	return slices.ContainsFunc(r.Flags, func(f string) bool { return strings.EqualFold(f, "MAINT") })
}

// reservationFact finds the reservation that matters to the job: the one it
// asked for, else the earliest reservation on its partition's nodes that is
// active or starts before the job's time limit would end (a maintenance
// reservation first, since slurmctld holds jobs that would cross one).
func (ix *Index) reservationFact(j *slurm.Job, r Request) *ReservationFact {
	now := ix.c.Now
	var pick *resvInfo
	if r.Reservation != "" {
		for i := range ix.resvs {
			if ix.resvs[i].r.Name == r.Reservation {
				pick = &ix.resvs[i]
			}
		}
		if pick == nil {
			return &ReservationFact{Name: r.Reservation, Text: "It asks for reservation " + r.Reservation + ", which slurmctld does not list."}
		}
	} else {
		pi := ix.parts[jobPartitions(j)[0]]
		if pi == nil {
			return nil
		}
		tl, tlOK := r.TimeLimit.Get()
		end := now.Add(minutes(tl))
		for _, ri := range ix.partResvs[pi.facts.Name] {
			if !ri.r.EndTime.IsZero() && !ri.r.EndTime.After(now) {
				continue
			}
			if tlOK && ri.r.StartTime.After(end) {
				continue
			}
			better := pick == nil ||
				(isMaintenance(ri.r) && !isMaintenance(pick.r)) ||
				(isMaintenance(ri.r) == isMaintenance(pick.r) && ri.r.StartTime.Before(pick.r.StartTime))
			if better {
				pick = ri
			}
		}
		if pick == nil {
			return nil
		}
	}
	res := pick.r
	f := &ReservationFact{Name: res.Name, Start: res.StartTime, End: res.EndTime, Nodes: res.Nodes, Flags: res.Flags,
		Maintenance: isMaintenance(res), Active: !res.StartTime.After(now) && (res.EndTime.IsZero() || res.EndTime.After(now))}
	kind := "Reservation"
	if f.Maintenance {
		kind = "Maintenance reservation"
	}
	if f.Active {
		f.Text = fmt.Sprintf("%s %s holds %s now, until %s.", kind, res.Name, res.Nodes, stamp(res.EndTime))
		if r.Reservation == "" {
			f.Text += " Jobs outside it cannot use those nodes."
		}
		return f
	}
	f.FitsBefore = int64(res.StartTime.Sub(now).Minutes())
	f.Text = fmt.Sprintf("%s %s starts %s (in %s) on %s and ends %s.", kind, res.Name, stamp(res.StartTime), duration(f.FitsBefore), res.Nodes, stamp(res.EndTime))
	if tl, ok := r.TimeLimit.Get(); ok && r.Reservation == "" {
		f.CrossesStart = tl > f.FitsBefore
		if f.CrossesStart {
			f.Text += fmt.Sprintf(" The job's time limit of %s, counted from now, runs past its start.", duration(tl))
		} else {
			f.Text += fmt.Sprintf(" The job's time limit of %s ends before it starts.", duration(tl))
		}
	} else if r.TimeLimit.IsUnlimited() && r.Reservation == "" {
		f.CrossesStart = true
		f.Text += " The job has no time limit, so it would run past its start."
	}
	return f
}
