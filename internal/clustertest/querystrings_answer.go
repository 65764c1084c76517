package clustertest

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// CheckQuery answers r the way the recorded slurmrestd of release and
// version would, when its query string is refused or would kill it; a query
// the real server answers wrongly without an error fails the test t. It
// returns the body to serve otherwise: body itself, or for slurmdb jobs the
// rows the query selects. dir holds the served version's recordings.
func CheckQuery(t testing.TB, w http.ResponseWriter, r *http.Request, release, version, dir string, body []byte) ([]byte, bool) {
	t.Helper()
	rules, err := LoadRules(FixturesRoot(t))
	if err != nil {
		// Not Fatal: this runs in the server's goroutine.
		t.Errorf("clustertest: reading the recorded query-string answers: %v", err)
		w.WriteHeader(http.StatusInternalServerError)
		return nil, true
	}
	d := rules.Decide(release, version, r.URL.Path, r.URL.RawQuery)
	endpoint := endpointOfPath(r.URL.Path, version)
	listKey := map[string]string{"slurmdb/jobs": "jobs", "slurm/jobs": "jobs", "slurm/nodes": "nodes"}[endpoint]
	switch d.Verdict {
	case Fatal:
		t.Errorf("clustertest: %s %s?%s would make slurmrestd %s (%s) exit: %s", r.Method, r.URL.Path, r.URL.RawQuery, release, version, d.Note)
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return nil, true
			}
		}
		w.WriteHeader(http.StatusBadGateway)
		return nil, true
	case Refused:
		if d.Text != "" || (d.Body != nil && !json.Valid(d.Body)) {
			text := d.Text
			if d.Body != nil {
				text = string(d.Body)
			}
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(d.Status)
			_, _ = w.Write([]byte(text))
			return nil, true
		}
		writeBody(w, d.Status, d.JSONBody(listKey, nil))
		return nil, true
	case Failed:
		writeBody(w, d.Status, d.JSONBody(listKey, listOf(body, listKey)))
		return nil, true
	case Wrong:
		t.Errorf("clustertest: slurmrestd %s (%s) answers %s?%s wrongly without an error: %s (%s)",
			release, version, r.URL.Path, r.URL.RawQuery, d.Note, d.Param)
		if listKey == "" {
			return body, false
		}
		return withList(body, listKey, json.RawMessage(map[bool]string{true: "null", false: "[]"}[listKey == "nodes"])), false
	}
	if endpoint == "slurmdb/jobs" {
		return filterDBJobs(t, body, d, dir), false
	}
	return body, false
}

func listOf(body []byte, key string) json.RawMessage {
	var top map[string]json.RawMessage
	if key == "" || json.Unmarshal(body, &top) != nil {
		return nil
	}
	return top[key]
}

func withList(body []byte, key string, list json.RawMessage) []byte {
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil {
		return body
	}
	top[key] = list
	out, err := json.Marshal(top)
	if err != nil {
		return body
	}
	return out
}

// dbJobRow is what the filters read of one slurmdb job (every version).
type dbJobRow struct {
	JobID     int64  `json:"job_id"`
	Name      string `json:"name"`
	User      string `json:"user"`
	Account   string `json:"account"`
	Partition string `json:"partition"`
	QOS       string `json:"qos"`
	State     struct {
		Current json.RawMessage `json:"current"` // "FAILED" (v0.0.38/39) or ["FAILED"]
	} `json:"state"`
}

func (j dbJobRow) state() string {
	var s string
	if json.Unmarshal(j.State.Current, &s) == nil {
		return s
	}
	var list []string
	if json.Unmarshal(j.State.Current, &list) == nil && len(list) > 0 {
		return list[0]
	}
	return ""
}

// filterDBJobs keeps the jobs an accepted query selects, as slurmdbd would:
// users, account, partition, job_name, step (job ids), qos (numeric ids)
// and state (the final state; sent with a window). The window itself is not
// applied (every recorded job is inside the recording day).
func filterDBJobs(t testing.TB, body []byte, d Decision, dir string) []byte {
	var top map[string]json.RawMessage
	var jobs []json.RawMessage
	if json.Unmarshal(body, &top) != nil || json.Unmarshal(top["jobs"], &jobs) != nil {
		return body
	}
	qosIDs := qosNames(t, dir)
	in := func(key, v string) bool {
		vals := d.Query.Values(key)
		return len(vals) == 0 || slices.ContainsFunc(vals, func(w string) bool { return strings.EqualFold(w, v) })
	}
	kept := []json.RawMessage{}
	for _, raw := range jobs {
		var j dbJobRow
		if json.Unmarshal(raw, &j) != nil {
			kept = append(kept, raw)
			continue
		}
		qos := d.Query.Values("qos")
		if in("users", j.User) && in("account", j.Account) && in("partition", j.Partition) && in("job_name", j.Name) &&
			in("step", strconv.FormatInt(j.JobID, 10)) && in("state", j.state()) &&
			(len(qos) == 0 || slices.ContainsFunc(qos, func(id string) bool { return qosIDs[id] == j.QOS })) {
			kept = append(kept, raw)
		}
	}
	list, err := json.Marshal(kept)
	if err != nil {
		return body
	}
	return withList(body, "jobs", list)
}

// qosNames maps QOS ids to names from the version's recorded slurmdb qos.
func qosNames(t testing.TB, dir string) map[string]string {
	b, err := os.ReadFile(filepath.Join(dir, "slurmdb_qos.json"))
	if err != nil {
		t.Errorf("clustertest: the qos filter needs %s/slurmdb_qos.json: %v", dir, err)
		return nil
	}
	var doc map[string][]struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}
	_ = json.Unmarshal(b, &doc)
	out := map[string]string{}
	for _, list := range doc {
		for _, q := range list {
			out[strconv.FormatInt(q.ID, 10)] = q.Name
		}
	}
	return out
}

var relativeRE = regexp.MustCompile(`^now(?:([+-])([0-9]+))?$`)

// UpdateTimeOf reads an update_time value as slurmrestd does: Unix seconds,
// or a "now±N" Slurm time string (N seconds) on the server's clock now.
func UpdateTimeOf(v string, now time.Time) (int64, bool) {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n, true
	}
	m := relativeRE.FindStringSubmatch(v)
	if m == nil {
		return 0, false
	}
	n, _ := strconv.ParseInt(m[2], 10, 64)
	if m[1] == "-" {
		n = -n
	}
	return now.Unix() + n, true
}
