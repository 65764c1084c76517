package plugin

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func (f *fixture) variable(t *testing.T, path string) (int, string) {
	t.Helper()
	r := f.resource(t, http.MethodGet, path)
	if r.Status != http.StatusOK {
		return r.Status, string(r.Body)
	}
	var opts []variableOption
	if err := json.Unmarshal(r.Body, &opts); err != nil {
		t.Fatalf("%s: %v: %s", path, err, r.Body)
	}
	var values []string
	for _, o := range opts {
		if o.Text != o.Value {
			t.Errorf("%s: text %q != value %q", path, o.Text, o.Value)
		}
		values = append(values, o.Value)
	}
	return r.Status, strings.Join(values, ",")
}

func TestVariablesComeFromTheSnapshot(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.41", nil, nil)
	cases := map[string]string{
		"variables/partitions":            "cpu,gpu",
		"variables/nodes":                 "node01,node02,node03,node04,node05,node06",
		"variables/nodes?partition=gpu":   "node05,node06",
		"variables/nodes?state=allocated": "node02,node03,node04",
		"variables/users":                 "alice,bob,carol",
		"variables/accounts":              "chemistry,physics",
		"variables/qos":                   "high,normal",
		"variables/reservations":          "gpu_workshop,maint_window",
		"variables/features":              "cpu,gpu",
		"variables/states?of=nodes":       "ALLOCATED,MIXED,PLANNED,RESERVED",
		"variables/states?of=jobs":        "CANCELLED,COMPLETED,FAILED,PENDING,RUNNING,TIMEOUT",
	}
	for path, want := range cases {
		status, got := f.variable(t, path)
		if status != http.StatusOK || got != want {
			t.Errorf("%s: %d %q, want %q", path, status, got, want)
		}
	}
	_, reasons := f.variable(t, "variables/reasons")
	for _, want := range []string{"Resources", "Priority", "Dependency", "JobHeldUser"} {
		if !strings.Contains(reasons, want) {
			t.Errorf("reasons %q lack %s", reasons, want)
		}
	}
	if status, body := f.variable(t, "variables/colours"); status != http.StatusNotFound || !strings.Contains(body, `unknown variable kind \"colours\"`) {
		t.Errorf("unknown kind: %d %s", status, body)
	}
}

func TestSnapshotStatusCarriesCountsForTheBanner(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.41", nil, nil)
	var st snapshotStatus
	if err := json.Unmarshal(f.resource(t, http.MethodGet, "snapshot/status").Body, &st); err != nil {
		t.Fatal(err)
	}
	if st.Counts["jobs"] != 19 || st.Counts["nodes"] != 6 || st.Counts["partitions"] != 2 || st.Counts["reservations"] != 2 {
		t.Errorf("counts %v", st.Counts)
	}
}

func TestVariablesThroughQueryData(t *testing.T) {
	f := newFixture(t, "26.05.3", "v0.0.44", nil, nil)
	frame := singleFrame(t, f.query(t, "variables", map[string]any{"kind": "nodes", "partition": "gpu"}))
	if got := strings.Join(cells(t, frame, "value"), ","); got != "node05,node06" {
		t.Errorf("gpu nodes %s", got)
	}
	if got := strings.Join(cells(t, frame, "text"), ","); got != "node05,node06" {
		t.Errorf("gpu node texts %s", got)
	}
	r := f.query(t, "variables", map[string]any{"kind": "colours"})
	if r.Error == nil || r.Status != backend.StatusBadRequest || !strings.Contains(r.Error.Error(), "partitions") {
		t.Errorf("unknown kind: %d %v", r.Status, r.Error)
	}
}
