package query

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

func TestSchedulerFrameCarriesUnits(t *testing.T) {
	q, err := ParseScheduler(json.RawMessage(`{"refId":"A"}`), testRequest)
	if err != nil {
		t.Fatal(err)
	}
	f := q.Frame(&slurm.SchedulerStats{ScheduleCycleMax: 1303, JobsRunning: 8})
	field, _ := f.FieldByName("schedule_cycle_max")
	if v, _ := field.ConcreteAt(0); v != int64(1303) || field.Config == nil || field.Config.Unit != "µs" {
		t.Errorf("schedule_cycle_max %v %+v", v, field.Config)
	}
	if f := q.Frame(nil); f == nil {
		t.Error("no frame for a missing diag")
	}
}

func TestSchedulerNumericFormat(t *testing.T) {
	stats := &slurm.SchedulerStats{ScheduleCycleLast: 5200, BFCycleLast: 91000, JobsPending: 3, BFActive: true}
	q, err := ParseScheduler(json.RawMessage(`{"format":"numeric"}`), testRequest)
	if err != nil {
		t.Fatal(err)
	}
	rows := longRows(t, q.Frame(stats))
	for _, want := range []string{"schedule_cycle_last_us 5200", "backfill_cycle_last_us 91000", "jobs_pending 3", "backfill_active 1"} {
		if !strings.Contains(rows, want) {
			t.Errorf("numeric rows %q lack %q", rows, want)
		}
	}
	f := q.Frame(stats)
	if len(f.Fields) != 2 || f.Fields[0].Name != "stat" || f.Fields[0].Type() != data.FieldTypeString ||
		f.Fields[1].Name != "value" || !f.Fields[1].Type().Numeric() {
		t.Errorf("fields %v: want stat (string) and value (number)", f.Fields)
	}
	if n, _ := f.RowLen(); n != len(SchedulerStatNames()) {
		t.Errorf("%d rows, want one per statistic (%d)", n, len(SchedulerStatNames()))
	}

	q, err = ParseScheduler(json.RawMessage(`{"format":"numeric","statistics":["schedule_cycle_last_us","backfill_cycle_last_us"]}`), testRequest)
	if err != nil {
		t.Fatal(err)
	}
	if got := longRows(t, q.Frame(stats)); got != "schedule_cycle_last_us 5200; backfill_cycle_last_us 91000" {
		t.Errorf("statistics filter: got %q", got)
	}
	if got := longRows(t, q.Frame(nil)); got != "schedule_cycle_last_us 0; backfill_cycle_last_us 0" {
		t.Errorf("missing diag: got %q", got)
	}

	// The default stays the wide row, and statistics leave it alone.
	for _, in := range []string{`{}`, `{"format":"wide","statistics":"jobs_pending"}`} {
		q, err := ParseScheduler(json.RawMessage(in), testRequest)
		if err != nil {
			t.Fatal(err)
		}
		f := q.Frame(stats)
		if f.Meta != nil || len(f.Fields) != 23 {
			t.Errorf("%s: not the wide row: %d fields, meta %+v", in, len(f.Fields), f.Meta)
		}
		if field, _ := f.FieldByName("backfill_active"); field == nil || field.Type() != data.FieldTypeBool {
			t.Errorf("%s: backfill_active is not the wide row's bool", in)
		}
	}
}

func TestSchedulerRejectsBadFormatAndStats(t *testing.T) {
	cases := []struct{ in, want string }{
		{`{"format":"long"}`, `format is "long": use wide or numeric`},
		{`{"format":7}`, "format"},
		{`{"format":"numeric","statistics":["main_cycle"]}`, `statistics has "main_cycle": choose among server_thread_count`},
	}
	for _, c := range cases {
		_, err := ParseScheduler(json.RawMessage(c.in), testRequest)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an invalid-query error containing %q", c.in, err, c.want)
		}
	}
}

func TestSchedulerReadsTheSnapshotsDiag(t *testing.T) {
	snap := &cluster.Snapshot{Diag: &slurm.SchedulerStats{ScheduleCycleLast: 42}}
	frames := answer(t, TypeScheduler, `{"format":"numeric","statistics":["schedule_cycle_last_us"]}`, testRequest,
		kinds(cluster.KindDiag), Data{Snapshot: snap})
	if len(frames) != 1 || longRows(t, frames[0]) != "schedule_cycle_last_us 42" {
		t.Errorf("diag: %s", longRows(t, frames[0]))
	}
}
