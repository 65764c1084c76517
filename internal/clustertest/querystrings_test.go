package clustertest

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

// get asks srv like a client would, with the raw query sent byte for byte.
func get(t *testing.T, srv *Server, pathAndQuery string) (int, string, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL()+pathAndQuery, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-SLURM-USER-NAME", User)
	req.Header.Set("X-SLURM-USER-TOKEN", Token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Content-Type"), body
}

func recorded(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(FixturesRoot(t), "query-strings", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func firstError(t *testing.T, body []byte) (int, string) {
	t.Helper()
	var doc struct {
		Errors []struct {
			Number      int    `json:"error_number"`
			Description string `json:"description"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(body, &doc); err != nil || len(doc.Errors) == 0 {
		t.Fatalf("not a JSON answer with errors: %v: %s", err, body)
	}
	return doc.Errors[0].Number, doc.Errors[0].Description
}

// The test server refuses what the recorded real servers refused: status,
// error number, and the verbatim body where one was recorded.
func TestServerRefusesWhatSlurmrestdRefuses(t *testing.T) {
	s2605 := Start(t, "26.05.3", "v0.0.45")
	s2505 := Start(t, "25.05.8", "v0.0.40")
	s2311 := Start(t, "23.11.11", "v0.0.40")

	status, ctype, body := get(t, s2605, "/slurmdb/v0.0.45/jobs?state=FAILED,TIMEOUT")
	if status != 500 || ctype != "text/plain" || string(body) != string(recorded(t, "26.05.3_v0.0.45_slurmdb_jobs_state_raw-comma.txt")) {
		t.Errorf("raw comma on 26.05: %d %s %q", status, ctype, body)
	}
	status, _, body = get(t, s2505, "/slurmdb/v0.0.40/jobs?account=physics,chemistry")
	if status != 400 || string(body) != "Unable to parse query." {
		t.Errorf("raw comma on 25.05: %d %q", status, body)
	}
	status, _, body = get(t, s2605, "/slurmdb/v0.0.45/jobs?users=alice%2Ccarol")
	if status != 422 || string(body) != string(recorded(t, "26.05.3_v0.0.45_slurmdb_jobs_users_escaped-comma.json")) {
		t.Errorf("users %%2C on v0.0.45: %d %s", status, body)
	}
	status, _, body = get(t, s2311, "/slurm/v0.0.40/jobs?flags=ALL&update_time=1796428800")
	if n, _ := firstError(t, body); status != 500 || n != 9202 {
		t.Errorf("Unix update_time on 23.11 v0.0.40: %d %s", status, body)
	}
	status, _, body = get(t, s2505, "/slurm/v0.0.40/jobs?update_time=1796428800")
	if status != 422 || string(body) != string(recorded(t, "25.05.8_v0.0.40_slurm_jobs_update_time_unix.json")) {
		t.Errorf("Unix update_time on 25.05 v0.0.40: %d %s", status, body)
	}
	// Not recorded anywhere: refused like 22.05 refuses an unknown parameter.
	status, _, body = get(t, s2605, "/slurmdb/v0.0.45/jobs?cluster=demo")
	if n, d := firstError(t, body); status != 500 || n != 9000 || d != "Unknown Query field" {
		t.Errorf("unknown parameter: %d %s", status, body)
	}
	status, _, body = get(t, s2605, "/slurm/v0.0.45/nodes?update_time=now-60&flags=NOSUCH")
	if n, _ := firstError(t, body); status != 500 || n != 9207 {
		t.Errorf("unknown flag: %d %s", status, body)
	}
	// The unfiltered list beside the error, as 26.05 sends it.
	var withRows struct {
		Jobs []json.RawMessage `json:"jobs"`
	}
	status, _, body = get(t, s2605, "/slurmdb/v0.0.45/jobs?state=FAILED%2CTIMEOUT&start_time=2026-12-05&end_time=now")
	if err := json.Unmarshal(body, &withRows); err != nil || status != 500 || len(withRows.Jobs) == 0 {
		t.Errorf("state %%2C with a window on 26.05: %d, %d rows (%v)", status, len(withRows.Jobs), err)
	}
	status, _, body = get(t, s2505, "/slurmdb/v0.0.40/jobs?state=FAILED%2CTIMEOUT&start_time=2026-12-05&end_time=now")
	if err := json.Unmarshal(body, &withRows); err != nil || status != 422 || len(withRows.Jobs) != 0 {
		t.Errorf("state %%2C with a window on 25.05 v0.0.40 (no rows there): %d, %d rows", status, len(withRows.Jobs))
	}
}

// The project's own 22.05.8 recordings are served with 22.05's rules: a
// users parameter does not exist, an unescaped ':' is refused.
func TestServer2205Rules(t *testing.T) {
	own := filepath.Join(FixturesRoot(t), "..")
	srv := StartIn(t, own, "22.05.8", "v0.0.38")
	status, _, body := get(t, srv, "/slurmdb/v0.0.38/jobs?users=alice")
	if status != 500 || string(body) != string(recorded(t, "22.05.8_v0.0.38_slurmdb_jobs_users_single.json")) {
		t.Errorf("users on v0.0.38: %d %s", status, body)
	}
	status, _, body = get(t, srv, "/slurmdb/v0.0.38/jobs?start_time=2026-12-05T00:00:00&end_time=now")
	if status != 400 || string(body) != "Unable to parse query." {
		t.Errorf("unescaped ':' on 22.05: %d %q", status, body)
	}
}

// Accepted filters select rows as slurmdbd does.
func TestServerFiltersAcceptedQueries(t *testing.T) {
	srv := Start(t, "26.05.3", "v0.0.45")
	count := func(q string) int {
		status, _, body := get(t, srv, "/slurmdb/v0.0.45/jobs?"+q)
		var doc struct {
			Jobs []dbJobRow `json:"jobs"`
		}
		if err := json.Unmarshal(body, &doc); err != nil || status != 200 {
			t.Fatalf("%s: %d %v", q, status, err)
		}
		for _, j := range doc.Jobs {
			if q == "users=carol" && j.User != "carol" {
				t.Errorf("%s: job of %s", q, j.User)
			}
		}
		return len(doc.Jobs)
	}
	all := count("")
	carol := count("users=carol")
	both := count("users=carol&users=alice")
	failed := count("state=FAILED&state=TIMEOUT&start_time=2026-11-29&end_time=now")
	high := count("qos=2")
	if !(carol > 0 && carol < both && both < all) || failed != 2 || high != 1 {
		t.Errorf("rows: all %d, carol %d, carol+alice %d, FAILED+TIMEOUT %d, qos 2 (high) %d", all, carol, both, failed, high)
	}
}

func TestDecideSilentlyWrongAnswers(t *testing.T) {
	rules, err := LoadRules(FixturesRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ release, version, path, query string }{
		{"23.11.11", "v0.0.39", "/slurmdb/v0.0.39/jobs", "state=FAILED&state=TIMEOUT&start_time=2026-12-05&end_time=now"},
		{"22.05.8", "v0.0.38", "/slurmdb/v0.0.38/jobs", "account=physics&account=chemistry"},
		{"26.05.3", "v0.0.45", "/slurmdb/v0.0.45/jobs", "state=FAILED"},
		{"26.05.3", "v0.0.42", "/slurmdb/v0.0.42/jobs", "qos=normal"},
		{"23.11.11", "v0.0.39", "/slurm/v0.0.39/nodes", "update_time=now-60"},
	} {
		if d := rules.Decide(tc.release, tc.version, tc.path, tc.query); d.Verdict != Wrong {
			t.Errorf("%s %s %s?%s: %s, want wrong", tc.release, tc.version, tc.path, tc.query, d)
		}
	}
	for _, v := range []string{"v0.0.38", "v0.0.39"} {
		if d := rules.Decide("23.11.11", v, "/slurmdb/"+v+"/jobs", "step=nosuch"); d.Verdict != Fatal {
			t.Errorf("23.11.11 %s step=nosuch: %s, want fatal", v, d)
		}
	}
	if d := rules.Decide("26.05.3", "v0.0.45", "/slurmdb/v0.0.45/jobs", "step=nosuch"); d.Verdict != Failed || d.Status != 422 {
		t.Errorf("26.05.3 step=nosuch: %s", d)
	}
}
