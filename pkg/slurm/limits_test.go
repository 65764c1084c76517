package slurm

import (
	"encoding/json"
	"reflect"
	"testing"
)

// noLimitsBut fails for every Number limit that is set and finite and every
// non-empty TRES limit of v (a QOSLimits or AssocLimits) except the fields
// named in allowed: the recorded clusters configure only those.
func noLimitsBut(t *testing.T, what string, v any, allowed ...string) {
	t.Helper()
	rv := reflect.ValueOf(v)
	ok := map[string]bool{}
	for _, a := range allowed {
		ok[a] = true
	}
	for i := 0; i < rv.NumField(); i++ {
		name := rv.Type().Field(i).Name
		if ok[name] {
			continue
		}
		switch f := rv.Field(i).Interface().(type) {
		case Number:
			if _, set := f.Get(); set {
				t.Errorf("%s %s = %s, want unset or unlimited", what, name, f)
			}
		case TRES:
			if len(f) > 0 {
				t.Errorf("%s %s = %v, want none", what, name, f)
			}
		}
	}
}

// The recorded clusters set QOS high MaxWall=2-00:00:00 and account physics
// GrpTRES=cpu=32, nothing else; every version must decode exactly those.
func TestRecordedQOSAndAssociationLimits(t *testing.T) {
	for _, d := range allFixtureDirs(t) {
		t.Run(d.Release+"/"+d.Version, func(t *testing.T) {
			a := adapterFor(d.Version)
			qs, _, err := a.qos(d.body(t, "slurmdb_qos"))
			if err != nil {
				t.Fatal(err)
			}
			if len(qs) != 2 {
				t.Fatalf("%d QOS, want normal and high", len(qs))
			}
			for _, q := range qs {
				switch q.Name {
				case "high":
					eq(t, "high MaxWallPerJob", q.Limits.MaxWallPerJob, Val(2880))
					noLimitsBut(t, "high", q.Limits, "MaxWallPerJob")
				case "normal":
					noLimitsBut(t, "normal", q.Limits)
				default:
					t.Errorf("unexpected QOS %q", q.Name)
				}
			}
			as, _, err := a.assocs(d.body(t, "slurmdb_associations"))
			if err != nil {
				t.Fatal(err)
			}
			seen := false
			for _, as := range as {
				if as.Account == "physics" && as.User == "" {
					seen = true
					eq(t, "physics GrpTRES cpu", as.Limits.GrpTRES["cpu"], int64(32))
					eq(t, "physics GrpTRES entries", len(as.Limits.GrpTRES), 1)
					noLimitsBut(t, "physics", as.Limits, "GrpTRES")
					continue
				}
				noLimitsBut(t, as.Account+"/"+as.User, as.Limits)
			}
			if !seen {
				t.Fatal("no physics account association")
			}
		})
	}
}

// setPath writes value at the JSON path of every element of list (decoded
// generic JSON), creating objects on the way.
func setPath(elem map[string]any, value any, path ...string) {
	for _, p := range path[:len(path)-1] {
		next, ok := elem[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			elem[p] = next
		}
		elem = next
	}
	elem[path[len(path)-1]] = value
}

// The recordings configure few limits, so these tests write limits into a
// recorded answer in each number shape (plain on v0.0.38, objects later) and
// check that every path lands in its setting.
func TestQOSLimitsWrittenIntoRecordedAnswers(t *testing.T) {
	cases := []struct{ dir, version, key string }{
		{"testdata/22.05.8", "v0.0.38", "QOS"},
		{"testdata/slurmrestd/23.11.11", "v0.0.39", "qos"},
		{"testdata/slurmrestd/26.05.3", "v0.0.45", "qos"},
	}
	for _, c := range cases {
		t.Run(c.version, func(t *testing.T) {
			var d fixtureDir
			for _, fd := range fixtureDirsUnder(t, c.dir) {
				if fd.Version == c.version {
					d = fd
				}
			}
			var doc map[string]any
			if err := json.Unmarshal(d.body(t, "slurmdb_qos"), &doc); err != nil {
				t.Fatal(err)
			}
			n := func(v int64) any {
				if c.version == "v0.0.38" {
					return v
				}
				return map[string]any{"set": true, "infinite": false, "number": v}
			}
			tres := func(typ, name string, count int64) any {
				return []any{map[string]any{"type": typ, "name": name, "id": 1, "count": count}}
			}
			normal := doc[c.key].([]any)[0].(map[string]any)
			lim := normal["limits"].(map[string]any)
			setPath(lim, tres("cpu", "", 2), "max", "tres", "per", "user")
			setPath(lim, tres("gres", "gpu", 4), "max", "tres", "per", "job")
			setPath(lim, tres("mem", "", 64000), "max", "tres", "total")
			setPath(lim, tres("node", "", 1), "max", "tres", "per", "node")
			setPath(lim, tres("cpu", "", 6000), "max", "tres", "minutes", "per", "qos")
			setPath(lim, tres("cpu", "", 2), "min", "tres", "per", "job")
			setPath(lim, n(1), "max", "jobs", "active_jobs", "per", "user")
			setPath(lim, n(3), "max", "jobs", "active_jobs", "per", "account")
			setPath(lim, n(5), "max", "jobs", "per", "user")
			setPath(lim, n(7), "max", "active_jobs", "count")
			setPath(lim, n(90), "max", "wall_clock", "per", "qos")
			body, _ := json.Marshal(doc)
			qs, _, err := adapterFor(c.version).qos(body)
			if err != nil {
				t.Fatal(err)
			}
			got := qs[0].Limits
			eq(t, "MaxTRESPerUser cpu", got.MaxTRESPerUser["cpu"], int64(2))
			eq(t, "MaxTRESPerJob gpu", got.MaxTRESPerJob["gres/gpu"], int64(4))
			eq(t, "GrpTRES mem", got.GrpTRES["mem"], int64(64000))
			eq(t, "MaxTRESPerNode node", got.MaxTRESPerNode["node"], int64(1))
			eq(t, "GrpTRESRunMins cpu", got.GrpTRESRunMins["cpu"], int64(6000))
			eq(t, "MinTRESPerJob cpu", got.MinTRESPerJob["cpu"], int64(2))
			eq(t, "MaxJobsPerUser", got.MaxJobsPerUser, Val(1))
			eq(t, "MaxJobsPerAccount", got.MaxJobsPerAccount, Val(3))
			eq(t, "MaxSubmitJobsPerUser", got.MaxSubmitJobsPerUser, Val(5))
			eq(t, "GrpJobs", got.GrpJobs, Val(7))
			eq(t, "GrpWall", got.GrpWall, Val(90))
		})
	}
}

func TestAssociationLimitsWrittenIntoRecordedAnswers(t *testing.T) {
	for _, c := range []struct{ dir, version string }{
		{"testdata/22.05.8", "v0.0.38"},
		{"testdata/slurmrestd/26.05.3", "v0.0.45"},
	} {
		t.Run(c.version, func(t *testing.T) {
			d := fixtureDirsUnder(t, c.dir)[0]
			for _, fd := range fixtureDirsUnder(t, c.dir) {
				if fd.Version == c.version {
					d = fd
				}
			}
			var doc map[string]any
			if err := json.Unmarshal(d.body(t, "slurmdb_associations"), &doc); err != nil {
				t.Fatal(err)
			}
			n := func(v int64) any {
				if c.version == "v0.0.38" {
					return v
				}
				return map[string]any{"set": true, "infinite": false, "number": v}
			}
			first := doc["associations"].([]any)[0].(map[string]any)
			mx := first["max"].(map[string]any)
			setPath(mx, n(2), "jobs", "active")
			setPath(mx, n(9), "jobs", "total")
			setPath(mx, n(4), "jobs", "per", "count")
			setPath(mx, n(8), "jobs", "per", "submitted")
			setPath(mx, n(120), "jobs", "per", "wall_clock")
			setPath(mx, n(600), "per", "account", "wall_clock")
			setPath(mx, []any{map[string]any{"type": "gres", "name": "gpu", "id": 1001, "count": 2}}, "tres", "per", "job")
			setPath(mx, []any{map[string]any{"type": "cpu", "name": "", "id": 1, "count": 3000}}, "tres", "group", "active")
			body, _ := json.Marshal(doc)
			as, _, err := adapterFor(c.version).assocs(body)
			if err != nil {
				t.Fatal(err)
			}
			got := as[0].Limits
			eq(t, "MaxJobs", got.MaxJobs, Val(2))
			eq(t, "MaxSubmitJobs", got.MaxSubmitJobs, Val(9))
			eq(t, "GrpJobs", got.GrpJobs, Val(4))
			eq(t, "GrpSubmitJobs", got.GrpSubmitJobs, Val(8))
			eq(t, "MaxWallPerJob", got.MaxWallPerJob, Val(120))
			eq(t, "GrpWall", got.GrpWall, Val(600))
			eq(t, "MaxTRESPerJob gpu", got.MaxTRESPerJob["gres/gpu"], int64(2))
			eq(t, "GrpTRESRunMins cpu", got.GrpTRESRunMins["cpu"], int64(3000))
		})
	}
}
