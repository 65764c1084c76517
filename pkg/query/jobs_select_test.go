package query

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// mixedJobs have ties in every sortable column and every label, and jobs
// pending in two partitions.
func mixedJobs(n int) []slurm.Job {
	rng := rand.New(rand.NewPCG(9, 9)) // #nosec G404 -- test data
	states := []string{"RUNNING", "PENDING", "PENDING", "COMPLETED", "FAILED"}
	jobs := make([]slurm.Job, n)
	for i := range jobs {
		j := &jobs[i]
		j.JobID = int64(100 + i)
		j.ID = fmt.Sprint(j.JobID)
		j.Name = fmt.Sprintf("job%d", rng.IntN(6))
		j.User = fmt.Sprintf("user%d", rng.IntN(4))
		j.Account = fmt.Sprintf("acct%d", rng.IntN(3))
		j.Partition = []string{"cpu", "gpu", "gpu,cpu"}[rng.IntN(3)]
		j.QOS = []string{"normal", "high"}[rng.IntN(2)]
		j.State = slurm.State{Base: states[rng.IntN(len(states))]}
		if rng.IntN(8) == 0 {
			j.State.Flags = []string{"COMPLETING"}
		}
		j.Reason = []string{"None", "Priority", "Resources"}[rng.IntN(3)]
		j.Priority = slurm.Val(int64(rng.IntN(15)))
		if rng.IntN(4) > 0 {
			j.SubmitTime = time.Unix(1795900000+int64(rng.IntN(40)), 0)
		}
		if j.State.Base == "RUNNING" {
			j.NodeList = fmt.Sprintf("node[%02d-%02d]", rng.IntN(10), 10+rng.IntN(10))
		}
	}
	return jobs
}

// reference is the jobs query the plain way: every matching job, a stable
// sort, then the page.
func reference(q Jobs, jobs []slurm.Job) ([]string, int) {
	var sel []*slurm.Job
	for i := range jobs {
		if q.Match(&jobs[i]) {
			sel = append(sel, &jobs[i])
		}
	}
	if q.Sort != nil && q.Sort.Field != "" {
		o, _ := cluster.JobOrderNamed(q.Sort.Field)
		slices.SortStableFunc(sel, func(a, b *slurm.Job) int {
			if q.Sort.Desc {
				return o.Compare(b, a)
			}
			return o.Compare(a, b)
		})
	}
	var ids []string
	for _, j := range pageOf(sel, q.Page) {
		ids = append(ids, j.ID)
	}
	return ids, len(sel)
}

// The index's walk gives exactly what filtering, sorting and paging every
// job gives, for label-only filters (counted by class) and the others.
func TestJobsSelectEqualsFilterSortPage(t *testing.T) {
	jobs := mixedJobs(2000)
	x := cluster.NewJobIndex(jobs)
	filters := []string{`{}`, `"states":"PENDING"`, `"states":["COMPLETING","FAILED"],"users":["user1","user2"]`,
		`"partitions":"cpu"`, `"reasons":"priority","qos":"high"`, `"accounts":"acct9"`,
		`"nameRegex":"job[12]"`, `"nameRegex":"job[12]","states":"PENDING","partitions":"gpu"`, `"nodes":"node12","states":"RUNNING"`, `"jobIds":["150","1999","2050"]`}
	sorts := []string{``, `"sort":{"field":"priority","desc":true}`, `"sort":{"field":"submit_time"}`, `"sort":{"field":"name","desc":true}`, `"sort":{"field":"state"}`}
	pages := []string{`"limit":1`, `"limit":50,"offset":30`, `"limit":5000`, `"limit":10,"offset":1990`, `"limit":3,"offset":5000`}
	for _, f := range filters {
		for _, s := range sorts {
			for _, p := range pages {
				parts := []string{p}
				if f != `{}` {
					parts = append(parts, f)
				}
				if s != "" {
					parts = append(parts, s)
				}
				raw := "{" + strings.Join(parts, ",") + "}"
				q, err := ParseJobs(json.RawMessage(raw), rows(10000))
				if err != nil {
					t.Fatalf("%s: %v", raw, err)
				}
				page, matched := q.Select(x)
				var got []string
				for _, j := range page {
					got = append(got, j.ID)
				}
				want, wantMatched := reference(q, jobs)
				if !slices.Equal(got, want) || matched != wantMatched {
					t.Errorf("%s: %d of %d jobs, want %d of %d", raw, len(got), matched, len(want), wantMatched)
				}
			}
		}
	}
}

// Counting by class equals counting every job.
func TestJobCountsByClassEqualJobByJob(t *testing.T) {
	jobs := mixedJobs(3000)
	x := cluster.NewJobIndex(jobs)
	for _, raw := range []string{`{}`, `{"groupBy":["state"]}`, `{"states":["PENDING","COMPLETING"],"groupBy":["partition","reason"]}`,
		`{"partitions":"gpu","groupBy":["partition","user"]}`, `{"users":["user0","user3"],"groupBy":["account","qos","state"]}`} {
		q, err := ParseJobCounts(json.RawMessage(raw), testRequest)
		if err != nil {
			t.Fatal(err)
		}
		want := newCounter(q.GroupBy)
		for i := range jobs {
			if q.Match(&jobs[i]) {
				want.add(q.groupValues(&jobs[i]))
			}
		}
		got := q.Frame(x, nil)
		if g, w := longRows(t, got), longRows(t, want.frame("job_counts", "jobs")); g != w {
			t.Errorf("%s: by class %s, job by job %s", raw, g, w)
		}
	}
}
