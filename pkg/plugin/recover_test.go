package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// A broken instance (here: no client, no poller) must answer errors, never
// panic the plugin process.
func TestHandlersRecoverFromPanics(t *testing.T) {
	rec := newRecordingLogger()
	d := &Datasource{logger: rec}
	d.routes = d.newResourceRoutes()

	raw, _ := json.Marshal(map[string]any{"queryType": "nodes"})
	resp, err := d.QueryData(context.Background(), &backend.QueryDataRequest{Queries: []backend.DataQuery{{RefID: "A", QueryType: "nodes", JSON: raw}}})
	if err != nil {
		t.Fatal(err)
	}
	if r := resp.Responses["A"]; r.Status != backend.StatusInternal || !strings.Contains(r.Error.Error(), "internal error in the Slurm data source") {
		t.Errorf("query: %s %v", r.Status, r.Error)
	}

	res, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if err != nil || res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "internal error") {
		t.Errorf("health: %v %+v", err, res)
	}

	var got *backend.CallResourceResponse
	err = d.CallResource(context.Background(), &backend.CallResourceRequest{Method: http.MethodGet, Path: "snapshot/status", URL: "snapshot/status"},
		backend.CallResourceResponseSenderFunc(func(r *backend.CallResourceResponse) error { got = r; return nil }))
	if err != nil || got == nil || got.Status != http.StatusInternalServerError {
		t.Errorf("resource: %v %+v", err, got)
	}
	if !strings.Contains(rec.text(), "recovered from a panic") {
		t.Error("the panic was not logged")
	}
}
