package query

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

func TestEfficiencies(t *testing.T) {
	j := slurm.AccountingJob{
		Elapsed: 100 * time.Second, CPUTime: 200 * time.Second, MaxRSSMB: 500,
		TRESAllocated: slurm.TRES{"cpu": 4}, TRESRequested: slurm.TRES{"cpu": 4, "mem": 2000},
	}
	if v := CPUEfficiency(&j); v == nil || *v != 0.5 {
		t.Errorf("cpu efficiency %v, want 200/(100×4) = 0.5", v)
	}
	if v := MemEfficiency(&j); v == nil || *v != 0.25 {
		t.Errorf("mem efficiency %v, want 500/2000 = 0.25", v)
	}
	for name, broken := range map[string]slurm.AccountingJob{
		"no elapsed":  {CPUTime: time.Second, TRESAllocated: slurm.TRES{"cpu": 1}},
		"no cpus":     {Elapsed: time.Second, CPUTime: time.Second},
		"no cpu time": {Elapsed: time.Second, TRESAllocated: slurm.TRES{"cpu": 1}},
	} {
		if v := CPUEfficiency(&broken); v != nil {
			t.Errorf("%s: cpu efficiency %v, want null", name, *v)
		}
		if v := MemEfficiency(&broken); v != nil {
			t.Errorf("%s: mem efficiency %v, want null", name, *v)
		}
	}
}

func TestAccountingQueriesRejectBadInput(t *testing.T) {
	for name, c := range map[string]struct {
		parse func(json.RawMessage) error
		raw   string
	}{
		"negative limit":  {func(r json.RawMessage) error { _, err := ParseJobHistory(r, rows(100)); return err }, `{"limit":-1}`},
		"limit over max":  {func(r json.RawMessage) error { _, err := ParseJobHistory(r, rows(100)); return err }, `{"limit":101}`},
		"user name":       {func(r json.RawMessage) error { _, err := ParseJobHistory(r, rows(100)); return err }, `{"users":["bob; rm"]}`},
		"series account":  {func(r json.RawMessage) error { _, err := ParseHistorySeries(r, testRequest); return err }, `{"accounts":["a b"]}`},
		"usage partition": {func(r json.RawMessage) error { _, err := ParseUsage(r, testRequest); return err }, `{"partitions":["gpu&x=1"]}`},
		"annotation user": {func(r json.RawMessage) error { _, err := ParseAnnotations(r, testRequest); return err }, `{"users":["al ice"]}`},
		"unknown state":   {func(r json.RawMessage) error { _, err := ParseJobHistory(r, rows(100)); return err }, `{"states":["FINISHED"]}`},
		"negative offset": {func(r json.RawMessage) error { _, err := ParseJobHistory(r, rows(100)); return err }, `{"offset":-5}`},
		"metric":          {func(r json.RawMessage) error { _, err := ParseHistorySeries(r, testRequest); return err }, `{"metric":"bogus"}`},
		"series groupBy":  {func(r json.RawMessage) error { _, err := ParseHistorySeries(r, testRequest); return err }, `{"groupBy":["user"]}`},
		"tres":            {func(r json.RawMessage) error { _, err := ParseUsage(r, testRequest); return err }, `{"tres":"disk"}`},
		"usage groupBy":   {func(r json.RawMessage) error { _, err := ParseUsage(r, testRequest); return err }, `{"groupBy":"qos"}`},
		"format":          {func(r json.RawMessage) error { _, err := ParseUsage(r, testRequest); return err }, `{"format":"csv"}`},
		"kind":            {func(r json.RawMessage) error { _, err := ParseAnnotations(r, testRequest); return err }, `{"kind":"alerts"}`},
		"job id":          {func(r json.RawMessage) error { _, err := ParseAnnotations(r, testRequest); return err }, `{"jobIds":["12; rm"]}`},
		"regex":           {func(r json.RawMessage) error { _, err := ParseReservations(r, testRequest); return err }, `{"nameRegex":"(["}`},
	} {
		if err := c.parse(json.RawMessage(c.raw)); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %s gave %v, want an invalid-query error", name, c.raw, err)
		}
	}
}

// slurmdbd is asked for the request's range with the query's filters.
func TestJobHistoryNeedsTheRangesAccounting(t *testing.T) {
	frames := answer(t, TypeJobHistory, `{"users":"bob","states":["failed"]}`, testRequest,
		Needs{Accounting: &slurm.AccountingFilter{Start: testRequest.From, End: testRequest.To, Users: []string{"bob"}, States: []string{"FAILED"}}},
		Data{Accounting: []slurm.AccountingJob{{JobID: 9, User: "bob", State: slurm.State{Base: "FAILED"}}, {JobID: 10, User: "alice", State: slurm.State{Base: "FAILED"}}}})
	if frames[0].Rows() != 1 {
		t.Errorf("bob's failed jobs: %d rows", frames[0].Rows())
	}
}
