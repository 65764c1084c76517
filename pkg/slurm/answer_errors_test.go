package slurm

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Answers whose errors[] is not empty are errors, typed by Slurm's error
// number whatever the HTTP status (the same parse error is 422 on one
// release and 500 on another), and their rows are never used.

const refusalBodies = recordedFixtures + "/query-strings"

// serveBody answers every request with status and body.
func serveBody(t *testing.T, status int, body []byte) string {
	return newPlainServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	}).URL
}

func TestRecordedQueryRefusalsAreTypedByErrorNumber(t *testing.T) {
	for _, tc := range []struct {
		file    string
		status  int
		kind    ErrorKind
		number  int
		version string
		filter  string // the filter whose value Slurm refused ("": how the query was written)
	}{
		{"22.05.8_v0.0.38_slurmdb_jobs_state_escaped-comma_unknown-value.json", 500, InvalidInput, 9000, "v0.0.38", ""},
		{"22.05.8_v0.0.38_slurmdb_jobs_users_single.json", 500, InvalidInput, 9000, "v0.0.38", ""},
		{"23.11.11_v0.0.39_slurmdb_jobs_state_escaped-comma_unknown-value.json", 422, InvalidInput, 9000, "v0.0.39", ""},
		{"23.11.11_v0.0.40_slurmdb_jobs_users_escaped-comma.json", 500, InvalidInput, 2166, "v0.0.40", "users"},
		{"25.05.8_v0.0.43_slurmdb_jobs_users_escaped-comma.json", 422, InvalidInput, 2166, "v0.0.43", "users"},
		{"25.05.8_v0.0.40_slurmdb_jobs_state_escaped-comma.json", 422, InvalidInput, 9207, "v0.0.40", ""},
		{"26.05.3_v0.0.45_slurmdb_jobs_state_escaped-comma.json", 500, InvalidInput, 9207, "v0.0.45", ""},
		{"26.05.3_v0.0.45_slurmdb_jobs_step_escaped-comma.json", 422, InvalidInput, 9000, "v0.0.45", ""},
	} {
		t.Run(tc.file, func(t *testing.T) {
			body := readFixture(t, filepath.Join(refusalBodies, tc.file))
			c := testClient(t, serveBody(t, tc.status, body), tc.version)
			_, err := c.AccountingJobs(ctx, AccountingFilter{})
			se := wantKind(t, err, tc.kind, tc.status)
			eq(t, "first Slurm error", se.SlurmErrors[0].Number, tc.number)
			eq(t, "refused filter", se.RefusedFilter(), tc.filter)
		})
	}
	for _, tc := range []struct {
		file    string
		status  int
		version string
	}{
		{"23.11.11_v0.0.40_slurm_jobs_update_time_unix.json", 500, "v0.0.40"},
		{"25.05.8_v0.0.40_slurm_jobs_update_time_unix.json", 422, "v0.0.40"},
		{"26.05.3_v0.0.45_slurm_jobs_update_time_repeated-key.json", 422, "v0.0.45"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			c := testClient(t, serveBody(t, tc.status, readFixture(t, filepath.Join(refusalBodies, tc.file))), tc.version)
			_, err := c.Jobs(ctx, time.Time{})
			se := wantKind(t, err, InvalidInput, tc.status)
			eq(t, "first Slurm error", se.SlurmErrors[0].Number, 9202)
		})
	}
	t.Run("22.05 refuses a time-string update_time: 400, empty errors[]", func(t *testing.T) {
		body := readFixture(t, filepath.Join(refusalBodies, "22.05.8_v0.0.38_slurm_jobs_update_time_slurm-time-string.json"))
		_, err := testClient(t, serveBody(t, 400, body), "v0.0.38").Jobs(ctx, time.Time{})
		wantKind(t, err, InvalidInput, 400)
	})
	t.Run("v0.0.38 nothing found is an empty result", func(t *testing.T) {
		body := readFixture(t, filepath.Join(refusalBodies, "22.05.8_v0.0.38_slurmdb_jobs_state_single_no-time-window.json"))
		jobs := must(testClient(t, serveBody(t, 200, body), "v0.0.38").AccountingJobs(ctx, AccountingFilter{}))(t)
		eq(t, "jobs", len(jobs), 0)
	})
}

// withRows puts the rows of a recorded unfiltered answer into a recorded
// error body: what 25.05 (v0.0.41+) and 26.05 send for a bad state or flags
// filter (query-strings.md: "body still lists 18 rows, filter not applied").
func withRows(t *testing.T, errBody, listBody []byte, key string) []byte {
	t.Helper()
	var e, l map[string]json.RawMessage
	if err := json.Unmarshal(errBody, &e); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(listBody, &l); err != nil {
		t.Fatal(err)
	}
	e[key] = l[key]
	out, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRowsBesideAnErrorAreNeverUsed(t *testing.T) {
	d := fixtureDirFor(t, "26.05.3", "v0.0.45")
	errBody := readFixture(t, filepath.Join(refusalBodies, "26.05.3_v0.0.45_slurmdb_jobs_state_escaped-comma.json"))
	dbBody := withRows(t, errBody, d.body(t, "slurmdb_jobs"), "jobs")
	jobsBody := withRows(t, errBody, d.body(t, "jobs"), "jobs")
	nodesBody := withRows(t, errBody, d.body(t, "nodes"), "nodes")
	for _, status := range []int{500, 422, 200} {
		c := testClient(t, serveBody(t, status, dbBody), "v0.0.45")
		jobs, err := c.AccountingJobs(ctx, AccountingFilter{})
		if jobs != nil {
			t.Errorf("HTTP %d: %d accounting rows used beside error 9207", status, len(jobs))
		}
		wantKind(t, err, InvalidInput, status)

		ans, err := testClient(t, serveBody(t, status, jobsBody), "v0.0.45").Jobs(ctx, time.Time{})
		if ans != nil {
			t.Errorf("HTTP %d: %d jobs used beside error 9207", status, len(ans.Jobs))
		}
		wantKind(t, err, InvalidInput, status)

		nodes, err := testClient(t, serveBody(t, status, nodesBody), "v0.0.45").Nodes(ctx)
		if nodes != nil {
			t.Errorf("HTTP %d: %d nodes used beside error 9207", status, len(nodes))
		}
		wantKind(t, err, InvalidInput, status)
	}
}

// Every recorded refusal body is typed from its error numbers: none ends
// as a generic server error or, worse, as data.
func TestEveryRecordedRefusalIsAnError(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(refusalBodies, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no recorded refusal bodies: %v", err)
	}
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		env, err := decodeEnvelope(body)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		errs, _ := env.messages()
		if len(errs) == 0 {
			continue // 22.05's empty errors[] and its 9003 "nothing found" are covered above
		}
		if kind := kindOfAnswer(500, errs); kind == Server {
			t.Errorf("%s: errors %v typed as a generic server error", filepath.Base(f), errs)
		}
	}
}

// v0.0.39 names an unknown user with its own number (query-strings.md; the
// refusal body was not kept); a refusal of another kind blames no filter.
func TestRefusedFilterOnlyForUnknownUsers(t *testing.T) {
	for _, c := range []struct {
		err  Error
		want string
	}{
		{Error{Kind: InvalidInput, SlurmErrors: []Message{{Number: 9004, Error: "Missing UNIX user in the system"}}}, "users"},
		{Error{Kind: InvalidInput, SlurmErrors: []Message{{Number: 9000}, {Number: 2166}}}, "users"},
		{Error{Kind: InvalidInput, SlurmErrors: []Message{{Number: 9207}}}, ""},
		{Error{Kind: Refused, SlurmErrors: []Message{{Number: 2166}}}, ""},
		{Error{Kind: InvalidInput}, ""},
	} {
		if got := c.err.RefusedFilter(); got != c.want {
			t.Errorf("%v: %q, want %q", c.err.Error(), got, c.want)
		}
	}
}
