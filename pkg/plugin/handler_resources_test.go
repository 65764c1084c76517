package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
)

func (f *fixture) resource(t *testing.T, method, path string) *backend.CallResourceResponse {
	t.Helper()
	var got *backend.CallResourceResponse
	// Grafana sends the path without the query string and the URL with it.
	p, _, _ := strings.Cut(path, "?")
	err := f.ds.CallResource(context.Background(), &backend.CallResourceRequest{
		PluginContext: f.pluginContext(), Method: method, Path: p, URL: path,
	}, backend.CallResourceResponseSenderFunc(func(r *backend.CallResourceResponse) error {
		got = r
		return nil
	}))
	if err != nil {
		t.Fatalf("CallResource: %v", err)
	}
	if got == nil {
		t.Fatal("no response sent")
	}
	return got
}

func TestSnapshotStatusReportsAgeCountsAndErrors(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.41", nil, nil)
	r := f.resource(t, http.MethodGet, "snapshot/status")
	if r.Status != http.StatusOK {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	var st snapshotStatus
	if err := json.Unmarshal(r.Body, &st); err != nil {
		t.Fatalf("%v: %s", err, r.Body)
	}
	if !st.Running || st.RefreshIntervalSeconds != 30 || st.StaleLimitSeconds != 600 {
		t.Errorf("status %+v", st)
	}
	jobs, nodes := st.Kinds["jobs"], st.Kinds["nodes"]
	if jobs.Count != 19 || nodes.Count != 6 || jobs.Stale || jobs.AgeSeconds == nil || *jobs.AgeSeconds > 5 {
		t.Errorf("jobs %+v nodes %+v", jobs, nodes)
	}
	if strings.Contains(string(r.Body), clustertest.Token) {
		t.Error("the token is in the status")
	}
}

func TestSnapshotStatusShowsTheLastErrorWithoutSecrets(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.41", nil, nil)
	f.srv.SetFault(clustertest.BadToken)
	r := f.resource(t, http.MethodGet, "snapshot/status")
	var st snapshotStatus
	if err := json.Unmarshal(r.Body, &st); err != nil {
		t.Fatalf("%v: %s", err, r.Body)
	}
	if st.Usable || !st.Stale || !strings.Contains(st.Kinds["jobs"].LastError, "unauthenticated") || st.Kinds["jobs"].Failures != 1 {
		t.Errorf("status after a rejected token: %s", r.Body)
	}
	if strings.Contains(string(r.Body), clustertest.Token) {
		t.Error("the token is in the status")
	}
}

func TestUnknownRoutesAndMethods(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.41", nil, nil)
	if r := f.resource(t, http.MethodPost, "snapshot/status"); r.Status != http.StatusMethodNotAllowed {
		t.Errorf("POST snapshot/status: %d", r.Status)
	}
	if r := f.resource(t, http.MethodGet, "nope"); r.Status != http.StatusNotFound {
		t.Errorf("GET nope: %d", r.Status)
	}
}
