package query

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

func longRows(t *testing.T, f *data.Frame) string {
	t.Helper()
	if f.Meta == nil || f.Meta.Type != data.FrameTypeNumericLong {
		t.Fatalf("not a numeric long frame: %+v", f.Meta)
	}
	n, _ := f.RowLen()
	var rows []string
	for r := 0; r < n; r++ {
		var cells []string
		for _, field := range f.Fields {
			v, _ := field.ConcreteAt(r)
			cells = append(cells, fmt.Sprint(v))
		}
		rows = append(rows, strings.Join(cells, " "))
	}
	return strings.Join(rows, "; ")
}

var testParts = []slurm.Partition{{Name: "cpu"}, {Name: "gpu"}, {Name: "debug"}}

func TestJobCountsGroupAndZeroFill(t *testing.T) {
	cases := []struct{ query, want string }{
		{`{}`, "5"},
		{`{"states":"SUSPENDED"}`, "0"},
		// Job 3 pends in "gpu,cpu": it counts in both, and debug shows 0.
		{`{"groupBy":"partition","states":"PENDING"}`, "cpu 2; debug 0; gpu 1"},
		{`{"groupBy":"partition","partitions":"gpu"}`, "gpu 3"},
		{`{"groupBy":["account","state"]}`, "chemistry FAILED 1; chemistry PENDING 1; physics PENDING 1; physics RUNNING 2"},
		{`{"groupBy":"qos"}`, "(none) 4; high 1"},
		{`{"groupBy":"state","states":["running","timeout"]}`, "RUNNING 2; TIMEOUT 0"},
	}
	for _, c := range cases {
		q, err := ParseJobCounts(json.RawMessage(c.query))
		if err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		if got := longRows(t, q.Frame(testJobs, testParts)); got != c.want {
			t.Errorf("%s: got %q, want %q", c.query, got, c.want)
		}
	}
}

func TestNodeCountsKeepOperatorFlagsInTheStateLabel(t *testing.T) {
	q, err := ParseNodeCounts(json.RawMessage(`{"groupBy":["state"]}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := longRows(t, q.Frame(testNodes, testParts)); got != "ALLOCATED+DRAIN 1; DOWN+NOT_RESPONDING 1; IDLE 1; MIXED 1" {
		t.Errorf("got %q", got)
	}
	q, _ = ParseNodeCounts(json.RawMessage(`{"groupBy":"partition","states":["DOWN","DRAIN"]}`))
	if got := longRows(t, q.Frame(testNodes, testParts)); got != "cpu 1; debug 0; gpu 1" {
		t.Errorf("got %q", got)
	}
}

func TestNodeCountsPerNodeWithReason(t *testing.T) {
	nodes := append([]slurm.Node(nil), testNodes...)
	nodes[1].Reason = "Kill task failed"
	nodes[3].Reason = "Not responding"
	q, err := ParseNodeCounts(json.RawMessage(`{"states":["DOWN","DRAIN","NOT_RESPONDING"],"groupBy":["node","state","reason"]}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := longRows(t, q.Frame(nodes, testParts)); got != "node02 ALLOCATED+DRAIN Kill task failed 1; node06 DOWN+NOT_RESPONDING Not responding 1" {
		t.Errorf("got %q", got)
	}
	q, _ = ParseNodeCounts(json.RawMessage(`{"groupBy":"reason"}`))
	if got := longRows(t, q.Frame(nodes, testParts)); got != "(none) 2; Kill task failed 1; Not responding 1" {
		t.Errorf("by reason: got %q", got)
	}
	// A node in two partitions is one instance per partition.
	q, _ = ParseNodeCounts(json.RawMessage(`{"groupBy":["node","partition"],"nameRegex":"node05"}`))
	if got := longRows(t, q.Frame(nodes, testParts)); got != "node05 debug 1; node05 gpu 1" {
		t.Errorf("node and partition: got %q", got)
	}
	if _, err := ParseNodeCounts(json.RawMessage(`{"groupBy":["node","user"]}`)); !errors.Is(err, ErrInvalid) ||
		!strings.Contains(err.Error(), "state, partition, node, reason") {
		t.Errorf("groupBy user: %v", err)
	}
}

func TestCountsRejectBadGroupBy(t *testing.T) {
	for _, in := range []string{`{"groupBy":"node"}`, `{"groupBy":["state","colour"]}`, `{"groupBy":7}`} {
		if _, err := ParseJobCounts(json.RawMessage(in)); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "groupBy") {
			t.Errorf("%s: %v", in, err)
		}
	}
}

func TestSchedulerFrameCarriesUnits(t *testing.T) {
	q, err := ParseScheduler(json.RawMessage(`{"refId":"A"}`))
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
	q, err := ParseScheduler(json.RawMessage(`{"format":"numeric"}`))
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

	q, err = ParseScheduler(json.RawMessage(`{"format":"numeric","statistics":["schedule_cycle_last_us","backfill_cycle_last_us"]}`))
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
		q, err := ParseScheduler(json.RawMessage(in))
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
		_, err := ParseScheduler(json.RawMessage(c.in))
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an invalid-query error containing %q", c.in, err, c.want)
		}
	}
}
