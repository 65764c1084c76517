package slurm

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
)

// The query strings per API version, and each of them against what the real
// slurmrestd of every recorded release did with it (query-strings.md).

var (
	// queryNow is the client's clock in these tests; the window ends 100.5 s
	// before it and starts 10100.5 s before it.
	queryNow    = time.Unix(1795920100, 500_000_000)
	queryWindow = [2]time.Time{time.Unix(1795910000, 0), time.Unix(1795920000, 0)}
	// fullFilter uses names the recorded clusters know.
	fullFilter = AccountingFilter{Start: queryWindow[0], End: queryWindow[1],
		Users: []string{"alice", "bob"}, Accounts: []string{"physics", "chemistry"}, Partitions: []string{"cpu", "gpu"},
		States: []string{"FAILED", "timeout"}, JobNames: []string{"hello_done", "crash_test"}, JobIDs: []int64{2001, 2002},
		QOS: []string{"high"}}
)

func TestAccountingQueryStringPerVersion(t *testing.T) {
	const (
		v38 = "account=physics%2Cchemistry&end_time=now-100&job_name=hello_done%2Ccrash_test&partition=cpu%2Cgpu" +
			"&start_time=now-10101&state=FAILED%2CTIMEOUT&step=2001%2C2002"
		v40 = "account=physics%2Cchemistry&end_time=now-100&job_name=hello_done%2Ccrash_test&partition=cpu%2Cgpu" +
			"&start_time=now-10101&state=FAILED&state=TIMEOUT&step=2001&step=2002&users=alice&users=bob"
		v42 = "account=physics%2Cchemistry&end_time=1795920000&job_name=hello_done%2Ccrash_test&partition=cpu%2Cgpu" +
			"&start_time=1795910000&state=FAILED&state=TIMEOUT&step=2001&step=2002&users=alice&users=bob"
	)
	want := map[string]string{
		"v0.0.38": v38, // no users parameter: filtered by the client
		"v0.0.39": v38 + "&users=alice%2Cbob",
		"v0.0.40": v40, "v0.0.41": v40,
		"v0.0.42": v42, "v0.0.43": v42, "v0.0.44": v42, "v0.0.45": v42,
	}
	for _, v := range SupportedVersions() {
		q, err := dbJobsQuery(v, fullFilter, queryNow)
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		eq(t, v+" slurmdb/jobs query", q.Encode(), want[v])
	}
}

func TestJobsQueryStringPerVersion(t *testing.T) {
	since := time.Unix(1795915000, 0)
	sent := queryNow.Add(-12300 * time.Millisecond) // the request that got since left 12.3 s ago
	for _, tc := range []struct {
		version     string
		since, sent time.Time
		want        string
	}{
		{"v0.0.38", time.Time{}, time.Time{}, ""},
		{"v0.0.38", since, sent, "update_time=1795915000"},
		{"v0.0.39", since, sent, "update_time=1795915000"},
		{"v0.0.40", time.Time{}, time.Time{}, "flags=ALL"},
		// Unix seconds are error 9202 on v0.0.40/41: a time string, 12.3 s
		// rounded up plus one second (slurmctld stamps whole seconds).
		{"v0.0.40", since, sent, "flags=ALL&update_time=now-14"},
		{"v0.0.41", since, sent, "flags=ALL&update_time=now-14"},
		// Not knowing when the answer with since was asked for: a full list.
		{"v0.0.41", since, time.Time{}, "flags=ALL"},
		{"v0.0.42", since, sent, "flags=ALL&update_time=1795915000"},
		{"v0.0.45", since, sent, "flags=ALL&update_time=1795915000"},
	} {
		eq(t, tc.version+" slurm/jobs query", jobsQuery(tc.version, tc.since, tc.sent, queryNow).Encode(), tc.want)
	}
}

// Every query the client builds is one the recorded slurmrestd of every
// release answered correctly; and the checker does refuse the encodings the
// client used before (so passing it means something).
func TestQueryStringsAgainstTheRecordedServers(t *testing.T) {
	rules, err := clustertest.LoadRules(clustertest.FixturesRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	covered := rules.Covered()
	if len(covered) != 12 {
		t.Fatalf("recorded release/version pairs: %v", covered)
	}
	filters := []AccountingFilter{
		fullFilter,
		{Start: queryWindow[0], End: queryWindow[1]},
		{States: []string{"FAILED"}, Users: []string{"carol"}}, // no window: state stays on the client
		{Start: queryWindow[0], End: queryWindow[1], States: []string{"COMPLETED"}, JobIDs: []int64{2001}},
	}
	for _, rv := range covered {
		release, v := rv[0], rv[1]
		for _, f := range filters {
			q, err := dbJobsQuery(v, f, queryNow)
			if err != nil {
				t.Fatal(err)
			}
			if d := rules.Decide(release, v, "/slurmdb/"+v+"/jobs", q.Encode()); d.Verdict != clustertest.Accepted {
				t.Errorf("%s %s slurmdb/jobs?%s: %s", release, v, q.Encode(), d)
			}
		}
		for _, since := range []time.Time{{}, time.Unix(1795915000, 0)} {
			q := jobsQuery(v, since, queryNow.Add(-time.Second), queryNow).Encode()
			if d := rules.Decide(release, v, "/slurm/"+v+"/jobs", q); d.Verdict != clustertest.Accepted {
				t.Errorf("%s %s slurm/jobs?%s: %s", release, v, q, d)
			}
		}
		// What the client sent before: %2C for users/state on v0.0.40+,
		// a repeated state key before, Unix update_time on v0.0.40/41.
		old := map[bool]string{true: "users=alice%2Cbob&state=FAILED%2CTIMEOUT&start_time=2026-12-05&end_time=now",
			false: "state=FAILED&state=TIMEOUT&start_time=2026-12-05&end_time=now"}[versionParts(v)[2] >= 40]
		if d := rules.Decide(release, v, "/slurmdb/"+v+"/jobs", old); d.Verdict == clustertest.Accepted {
			t.Errorf("%s %s: the checker accepts %q", release, v, old)
		}
		if n := versionParts(v)[2]; n == 40 || n == 41 {
			if d := rules.Decide(release, v, "/slurm/"+v+"/jobs", "flags=ALL&update_time=1795915000"); d.Verdict != clustertest.Failed || d.Errors[0].Number != 9202 {
				t.Errorf("%s %s: Unix update_time: %s", release, v, d)
			}
		}
	}
}

// State without both window ends matches nothing on every version: the
// client then filters states itself. QOS names are never sent (slurmrestd
// matches numeric ids only); the client filters them too.
func TestStateWithoutWindowAndQOSNamesFilteredByTheClient(t *testing.T) {
	for _, d := range []fixtureDir{fixtureDirFor(t, "23.11.11", "v0.0.39"), fixtureDirFor(t, "26.05.3", "v0.0.45")} {
		t.Run(d.Release+"/"+d.Version, func(t *testing.T) {
			fs := newFixtureServer(t)
			fs.serve(d, "slurmdb_jobs")
			c := testClient(t, fs.URL, d.Version)
			jobs := must(c.AccountingJobs(ctx, AccountingFilter{States: []string{"FAILED"}, QOS: []string{"normal"}}))(t)
			if len(jobs) != 1 || jobs[0].State.Base != "FAILED" || jobs[0].Name != "crash_test" {
				t.Errorf("FAILED jobs of QOS normal: %+v", jobs)
			}
			none := must(c.AccountingJobs(ctx, AccountingFilter{States: []string{"FAILED"}, QOS: []string{"high"}}))(t)
			eq(t, "FAILED jobs of QOS high", len(none), 0)
			fs.mu.Lock()
			defer fs.mu.Unlock()
			for _, q := range fs.queries {
				if strings.Contains(q, "state") || strings.Contains(q, "qos") {
					t.Errorf("sent %q: state without a window, or a QOS name", q)
				}
			}
		})
	}
}

// Values that would change a query's meaning on the wire, and step values
// that are not job ids, never leave the client.
func TestQueryValuesCheckedBeforeSending(t *testing.T) {
	srv := newPlainServer(t, func(w http.ResponseWriter, r *http.Request) { t.Errorf("request sent for invalid input: %s", r.URL) })
	for _, v := range SupportedVersions() {
		c := testClient(t, srv.URL, v)
		for _, f := range []AccountingFilter{
			{Accounts: []string{"physics,chemistry"}}, // one value holding a comma
			{Partitions: []string{""}},
			{JobNames: []string{"a\nb"}},
			{Users: []string{"alice,bob"}},
			{States: []string{"FAILED;DROP"}},
			{Start: queryWindow[0], End: queryWindow[1], States: []string{"nosuch state"}},
			{JobIDs: []int64{2001, -1}},
			{JobIDs: []int64{0}},
		} {
			_, err := c.AccountingJobs(ctx, f)
			wantKind(t, err, InvalidInput, 0)
		}
	}
}

// On v0.0.40/41 the second jobs request asks what changed since the first
// answer, timed on the client's own clock from when the first was sent.
func TestJobsUpdateTimeStringTimedFromTheRequest(t *testing.T) {
	d := fixtureDirFor(t, "25.05.8", "v0.0.41")
	fs := newFixtureServer(t)
	fs.serve(d, "jobs")
	c := testClient(t, fs.URL, "v0.0.41")
	clock := queryNow
	c.jobsMark.now = func() time.Time { return clock }
	first := must(c.Jobs(ctx, time.Time{}))(t)
	if first.LastUpdate.IsZero() || len(first.Jobs) == 0 {
		t.Fatalf("first answer: %d jobs, last_update %v", len(first.Jobs), first.LastUpdate)
	}
	clock = clock.Add(30*time.Second + 200*time.Millisecond)
	must(c.Jobs(ctx, first.LastUpdate))(t)
	must(c.Jobs(ctx, first.LastUpdate.Add(-time.Second)))(t) // not the last answer's time
	fs.mu.Lock()
	defer fs.mu.Unlock()
	eq(t, "first query", fs.queries[0], "flags=ALL")
	eq(t, "second query", fs.queries[1], "flags=ALL&update_time=now-32")
	eq(t, "query for an unknown since", fs.queries[2], "flags=ALL")
}

// slurm/nodes is always asked without a query: on v0.0.39 a time-string
// update_time answers "nodes": null with no error.
func TestNodesSendNoQuery(t *testing.T) {
	for _, v := range SupportedVersions() {
		var got []string
		srv := newPlainServer(t, func(w http.ResponseWriter, r *http.Request) {
			got = append(got, r.URL.RawQuery)
			_, _ = w.Write([]byte(`{"nodes":[],"errors":[],"warnings":[]}`))
		})
		c := testClient(t, srv.URL, v)
		must(c.Nodes(ctx))(t)
		eq(t, v+" nodes query", strings.Join(got, "|"), "")
	}
}

func TestRelativeTimeRounding(t *testing.T) {
	for _, tc := range []struct {
		age  time.Duration
		r    rounding
		want string
	}{
		{10100500 * time.Millisecond, roundEarlier, "now-10101"},
		{100500 * time.Millisecond, roundLater, "now-100"},
		{300 * time.Millisecond, roundLater, "now"},
		{-2500 * time.Millisecond, roundLater, "now+3"},
		{-2500 * time.Millisecond, roundEarlier, "now+2"},
	} {
		eq(t, tc.age.String(), relativeTime(tc.age, tc.r), tc.want)
	}
	// '+' is escaped on the wire (a raw '+' would read as a space).
	eq(t, "future time on the wire", url.Values{"t": {relativeTime(-time.Hour, roundLater)}}.Encode(), "t=now%2B3600")
}
