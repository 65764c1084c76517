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
			eq(t, "after_md dependency", after.Dependency, "afterok:"+e.id(5)+"(unfulfilled)")
			begin := jobByName(t, ans.Jobs, "begin_later")
			eq(t, "begin_later licenses", begin.Licenses, "ansys:1")
			eq(t, "begin_later has no dependency", begin.Dependency, "")
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
				if j.Features != "" || j.Reservation != "" || j.RequiredNodes != "" {
					t.Errorf("job %s: features %q, reservation %q, nodelist %q: the recorded jobs ask for none",
						j.ID, j.Features, j.Reservation, j.RequiredNodes)
				}
			}
		})
	}
}
