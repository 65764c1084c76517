package slurm

import (
	"net/http"
	"strconv"
	"testing"
	"time"
)

// The jobs request asks only for what the model needs, and an "unchanged"
// answer is never read as "zero jobs".

func TestJobsUnchanged(t *testing.T) {
	since := time.Unix(1795915101, 0)
	emptyWith := func(lastUpdate int64) string {
		return `{"jobs":[],"last_update":{"set":true,"infinite":false,"number":` + strconv.FormatInt(lastUpdate, 10) + `},"errors":[],"warnings":[]}`
	}
	for _, tc := range []struct {
		name      string
		status    int
		body      string
		since     time.Time
		unchanged bool
		jobs      int
	}{
		{"304 from 22.05", http.StatusNotModified, "", since, true, 0},
		{"warning from data_parser versions", http.StatusOK,
			`{"jobs":[],"errors":[],"warnings":[{"description":"No job changes since update_time=1795915101","source":"_op_handler_jobs"}]}`, since, true, 0},
		{"empty list, table older than since", http.StatusOK, emptyWith(1795915000), since, true, 0},
		{"empty list, table newer than since: really no jobs", http.StatusOK, emptyWith(1795916000), since, false, 0},
		{"empty list without since: really no jobs", http.StatusOK, emptyWith(1795915000), time.Time{}, false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newPlainServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			})
			c := testClient(t, srv.URL, "v0.0.45")
			ans := must(c.Jobs(ctx, tc.since))(t)
			eq(t, "unchanged", ans.Unchanged, tc.unchanged)
			eq(t, "jobs", len(ans.Jobs), tc.jobs)
			if ans.Unchanged && ans.Jobs != nil {
				t.Error("an unchanged answer carries a job list")
			}
		})
	}
}

func TestJobAndNodeInputValidation(t *testing.T) {
	srv := newPlainServer(t, func(w http.ResponseWriter, r *http.Request) { t.Errorf("request sent for invalid input: %s", r.URL) })
	c := testClient(t, srv.URL, "v0.0.45")
	for _, id := range []string{"", "abc", "12;3", "1_", "_1", "1_2_3", "../x", "123456789012345678901234567890123"} {
		_, err := c.Job(ctx, id)
		wantKind(t, err, InvalidInput, 0)
	}
	for _, n := range []string{"", "node 1", "node/../x", "n?x"} {
		_, err := c.Node(ctx, n)
		wantKind(t, err, InvalidInput, 0)
	}
	err := c.UpdateNode(ctx, "node01", NodeUpdate{State: "DRAIN"}, "")
	wantKind(t, err, InvalidInput, 0) // drain needs a reason
	err = c.UpdateNode(ctx, "node01", NodeUpdate{State: "EXPLODE", Reason: "x"}, "")
	wantKind(t, err, InvalidInput, 0)
	_, err = c.AccountingJobs(ctx, AccountingFilter{Start: time.Unix(2, 0), End: time.Unix(1, 0)})
	wantKind(t, err, InvalidInput, 0)
}

// v0.0.38 has no users filter: the client filters.
func TestAccountingUsersFilteredClientSide(t *testing.T) {
	d := fixtureDirFor(t, "23.11.11", "v0.0.38")
	fs := newFixtureServer(t)
	fs.serve(d, "slurmdb_jobs")
	c := testClient(t, fs.URL, "v0.0.38")
	jobs := must(c.AccountingJobs(ctx, AccountingFilter{Users: []string{"carol"}}))(t)
	if len(jobs) == 0 {
		t.Fatal("no carol jobs")
	}
	for _, j := range jobs {
		eq(t, "user", j.User, "carol")
	}
}

// v0.0.38/39 ping does not name the cluster; the jobs answer the poller
// fetches anyway does, so Ping reports it after one, with no extra request.
// v0.0.40+ ping names it itself.
func TestPingClusterNameFromJobsAnswer(t *testing.T) {
	requireDir(t, ownFixtures, "the project's own slurmrestd 22.05.8 recordings")
	dirs := append(fixtureDirsUnder(t, ownFixtures), fixtureDirFor(t, "23.11.11", "v0.0.39"), fixtureDirFor(t, "23.11.11", "v0.0.40"))
	for _, d := range dirs {
		t.Run(d.Release+"/"+d.Version, func(t *testing.T) {
			fs := newFixtureServer(t)
			fs.serve(d, "ping")
			fs.serve(d, "jobs")
			c := testClient(t, fs.URL, d.Version)
			before := must(c.Ping(ctx))(t).ClusterName
			if d.Version == "v0.0.40" {
				eq(t, "ping's own cluster name", before, "demo")
			} else {
				eq(t, "cluster name before any jobs answer", before, "")
			}
			ans := must(c.Jobs(ctx, time.Time{}))(t)
			eq(t, "jobs answer cluster", ans.Cluster, "demo")
			eq(t, "cluster name after a jobs answer", must(c.Ping(ctx))(t).ClusterName, "demo")
			fs.mu.Lock()
			eq(t, "requests (ping, jobs, ping)", len(fs.requests), 3)
			fs.mu.Unlock()
		})
	}
}
