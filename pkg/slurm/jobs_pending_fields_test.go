package slurm

import "testing"

// The fields the pending-job explainer reads beyond the list columns
// (dependency, licenses, the array's running-task limit, constraints,
// reservation, required nodes) decode the same in every recorded version.
func TestPendingJobFieldsInEveryVersion(t *testing.T) {
	for _, d := range allFixtureDirs(t) {
		t.Run(d.Release+"/"+d.Version, func(t *testing.T) {
			ans, err := DecodeJobs(d.Version, d.body(t, "jobs"))
			if err != nil {
				t.Fatal(err)
			}
			e := recordedExpect(d)
			if d.Release == "22.05.8" {
				e = expect{idBase: 1000}
			}
			after := jobByName(t, ans.Jobs, "after_md")
			eq(t, "after_md dependency", after.Extra().Dependency, "afterok:"+e.id(5)+"(unfulfilled)")
			begin := jobByName(t, ans.Jobs, "begin_later")
			eq(t, "begin_later licenses", begin.Extra().Licenses, "ansys:1")
			eq(t, "begin_later has no dependency", begin.Extra().Dependency, "")
			var sweep *Job
			for i := range ans.Jobs {
				if ans.Jobs[i].Name == "sweep" && ans.Jobs[i].State.Base == "PENDING" {
					sweep = &ans.Jobs[i]
				}
			}
			if sweep == nil {
				t.Fatal("no pending sweep remainder")
			}
			eq(t, "sweep array limit", sweep.ArrayMaxTasks, Val(2))
			for _, j := range ans.Jobs {
				if x := j.Extra(); x.Features != "" || x.Reservation != "" || x.RequiredNodes != "" {
					t.Errorf("job %s: features %q, reservation %q, nodelist %q: the recorded jobs ask for none",
						j.ID, x.Features, x.Reservation, x.RequiredNodes)
				}
			}
		})
	}
}

// The jobs of an answer whose extras are equal share one copy of them (the
// recorded queues: 7 distinct sets among their jobs), and a job never holds
// empty extras: a large queue pays for extras once per distinct set, not
// once per job.
func TestJobExtrasAreShared(t *testing.T) {
	for _, d := range allFixtureDirs(t) {
		t.Run(d.Release+"/"+d.Version, func(t *testing.T) {
			ans, err := DecodeJobs(d.Version, d.body(t, "jobs"))
			if err != nil {
				t.Fatal(err)
			}
			seen := map[JobExtras]*JobExtras{}
			for _, j := range ans.Jobs {
				if j.Extras == nil {
					continue
				}
				if *j.Extras == (JobExtras{}) {
					t.Errorf("job %s holds empty extras instead of none", j.ID)
				}
				if p, ok := seen[*j.Extras]; ok && p != j.Extras {
					t.Errorf("job %s has its own copy of extras another job shares", j.ID)
				}
				seen[*j.Extras] = j.Extras
			}
			if len(seen) == 0 || len(seen) >= len(ans.Jobs) {
				t.Errorf("%d distinct extras among %d jobs: the recorded jobs share theirs", len(seen), len(ans.Jobs))
			}
		})
	}
}

func TestInternerSharesEqualExtras(t *testing.T) {
	in := newInterner()
	a := in.extras(JobExtras{Dependency: "afterok:7(unfulfilled)"})
	b := in.extras(JobExtras{Dependency: "afterok:7(unfulfilled)"})
	c := in.extras(JobExtras{Dependency: "afterok:8(unfulfilled)"})
	if a == nil || a != b || a == c || in.extras(JobExtras{}) != nil {
		t.Errorf("equal extras %p %p, other %p, empty %p: want one shared copy, another for other, nil for empty",
			a, b, c, in.extras(JobExtras{}))
	}
}
