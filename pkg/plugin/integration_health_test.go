//go:build integration

package plugin

import (
	"context"
	"encoding/json"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// newStackDatasource builds an instance the way Grafana does, through the
// exported factory.
func newStackDatasource(t *testing.T, settings backend.DataSourceInstanceSettings) *Datasource {
	t.Helper()
	inst, err := NewDatasource(context.Background(), settings)
	if err != nil {
		t.Fatalf("NewDatasource: %v", err)
	}
	d := inst.(*Datasource)
	t.Cleanup(d.Dispose)
	return d
}

func checkHealth(t *testing.T, d *Datasource, settings backend.DataSourceInstanceSettings) (*backend.CheckHealthResult, time.Duration) {
	t.Helper()
	start := time.Now()
	res, err := d.CheckHealth(context.Background(), &backend.CheckHealthRequest{PluginContext: pluginContext(settings)})
	took := time.Since(start)
	if err != nil {
		t.Fatalf("CheckHealth returned a Go error instead of a result: %v", err)
	}
	if took > 5*time.Second {
		t.Errorf("CheckHealth took %s, want within 5 s", took)
	}
	return res, took
}

// TestIntegrationHealth is the CI smoke test: the data source, configured
// with the stack's JWT key, reports OK with the detected API version and the
// node count of the live cluster.
func TestIntegrationHealth(t *testing.T) {
	env := stackEnv(t)
	settings := stackInstanceSettings(t, env, nil)
	d := newStackDatasource(t, settings)
	res, took := checkHealth(t, d, settings)
	t.Logf("health in %s: %s: %s", took.Round(time.Millisecond), res.Status, res.Message)
	if res.Status != backend.HealthStatusOk {
		t.Fatalf("health: %s: %s", res.Status, res.Message)
	}
	var details healthDetails
	if err := json.Unmarshal(res.JSONDetails, &details); err != nil {
		t.Fatalf("JSONDetails: %v (%s)", err, res.JSONDetails)
	}
	if details.APIVersion != "v0.0.38" {
		t.Errorf("detected API version %q, want v0.0.38 (Slurm 22.05)", details.APIVersion)
	}
	if details.NodeCount < 6 {
		t.Errorf("node count %d, want at least 6", details.NodeCount)
	}
	if !strings.HasPrefix(details.SlurmVersion, "22.05") {
		t.Errorf("Slurm version %q, want 22.05.x", details.SlurmVersion)
	}
	if !strings.Contains(res.Message, "Connected to cluster") || !strings.Contains(res.Message, "API v0.0.38") {
		t.Errorf("message %q", res.Message)
	}
}

func TestIntegrationHealthWrongToken(t *testing.T) {
	env := stackEnv(t)
	settings := stackInstanceSettings(t, env, map[string]any{"authMode": "token"})
	const wrong = "eyJhbGciOiJIUzI1NiJ9.eyJzdW4iOiJncmFmYW5hIn0.not-a-valid-signature-000"
	settings.DecryptedSecureJSONData = map[string]string{"token": wrong}
	d := newStackDatasource(t, settings)
	res, _ := checkHealth(t, d, settings)
	t.Logf("wrong token: %s: %s", res.Status, res.Message)
	if res.Status != backend.HealthStatusError {
		t.Fatalf("health with a wrong token: %s: %s", res.Status, res.Message)
	}
	if !strings.Contains(res.Message, "rejected the token") {
		t.Errorf("message %q does not say the token was rejected", res.Message)
	}
	if strings.Contains(res.Message, wrong) || strings.Contains(string(res.JSONDetails), wrong) {
		t.Error("the token appeared in the health result")
	}
}

func TestIntegrationHealthWrongJWTKey(t *testing.T) {
	env := stackEnv(t)
	settings := stackInstanceSettings(t, env, nil)
	const wrongKey = "0000000000000000000000000000000000000000000000000000000000000000"
	settings.DecryptedSecureJSONData = map[string]string{"jwtKey": wrongKey}
	d := newStackDatasource(t, settings)
	res, _ := checkHealth(t, d, settings)
	t.Logf("wrong JWT key: %s: %s", res.Status, res.Message)
	if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "rejected the token") {
		t.Errorf("health with a wrong key: %s: %s", res.Status, res.Message)
	}
	if strings.Contains(res.Message, wrongKey) {
		t.Error("the key appeared in the health result")
	}
}

func TestIntegrationHealthClosedPort(t *testing.T) {
	env := stackEnv(t)
	// A port that was just free: nothing listens there.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	settings := stackInstanceSettings(t, env, nil)
	settings.URL = "http://" + addr
	d := newStackDatasource(t, settings)
	res, _ := checkHealth(t, d, settings)
	t.Logf("closed port: %s: %s", res.Status, res.Message)
	if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "unreachable") || !strings.Contains(res.Message, addr) {
		t.Errorf("health against a closed port: %s: %s", res.Status, res.Message)
	}
}
