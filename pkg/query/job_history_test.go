package query

import (
	"encoding/json"
	"errors"
	"slices"
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
		"history job id":  {func(r json.RawMessage) error { _, err := ParseJobHistory(r, rows(100)); return err }, `{"jobIds":["1014_1"]}`},
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

// A job page asks for its own record by id: slurmdbd gets the ids (as
// numbers) and an array job's id selects its tasks, as sacct -j does.
func TestJobHistoryByJobID(t *testing.T) {
	task := func(id, array, idx int64) slurm.AccountingJob {
		return slurm.AccountingJob{JobID: id, ArrayJobID: slurm.Val(array), ArrayTaskID: slurm.Val(idx)}
	}
	jobs := []slurm.AccountingJob{{JobID: 5}, {JobID: 7}, task(21, 20, 1), task(22, 20, 2)}
	for _, c := range []struct {
		model string
		sent  []int64
		want  []string
	}{
		{`{"jobIds":["7","5"]}`, []int64{5, 7}, []string{"5", "7"}},
		{`{"jobIds":"20"}`, []int64{20}, []string{"20_1", "20_2"}},
		{`{"jobIds":["22"]}`, []int64{22}, []string{"20_2"}},
	} {
		frames := answer(t, TypeJobHistory, c.model, testRequest, Needs{Accounting: &slurm.AccountingFilter{
			Start: testRequest.From, End: testRequest.To, JobIDs: c.sent}}, Data{Accounting: jobs})
		ids := frames[0].Fields[0]
		var got []string
		for i := 0; i < ids.Len(); i++ {
			got = append(got, ids.At(i).(string))
		}
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: rows %v, want %v", c.model, got, c.want)
		}
		// Each row also carries its own numeric id (20_2 is job 22): the cgroup exporters' jobid label.
		numeric, _ := frames[0].FieldByName("slurm_job_id")
		for i := 0; numeric != nil && i < numeric.Len(); i++ {
			if want := map[string]int64{"5": 5, "7": 7, "20_1": 21, "20_2": 22}[ids.At(i).(string)]; numeric.At(i) != want {
				t.Errorf("%s: %s has slurm_job_id %v, want %d", c.model, ids.At(i), numeric.At(i), want)
			}
		}
		if numeric == nil {
			t.Fatal("job_history has no slurm_job_id field")
		}
	}
}
