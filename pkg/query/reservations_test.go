package query

import (
	"testing"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

func TestReservationStatesFollowTheClock(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	res := []slurm.Reservation{
		{Name: "past", StartTime: now.Add(-2 * time.Hour), EndTime: now.Add(-time.Hour)},
		{Name: "now", StartTime: now.Add(-time.Hour), EndTime: now.Add(time.Hour)},
		{Name: "maint", StartTime: now.Add(time.Hour), EndTime: now.Add(2 * time.Hour)},
	}
	q, err := ParseReservations([]byte(`{"nameRegex":"p.*|now|maint"}`), testRequest)
	if err != nil {
		t.Fatal(err)
	}
	f := q.Frame(res, now)
	var got []string
	for i := 0; i < f.Rows(); i++ {
		got = append(got, f.Fields[0].At(i).(string)+"="+f.Fields[1].At(i).(string))
	}
	if len(got) != 3 || got[0] != "past=ENDED" || got[1] != "now=ACTIVE" || got[2] != "maint=PLANNED" {
		t.Errorf("states %v", got)
	}
}
