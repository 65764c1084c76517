//go:build integration

package plugin

import (
	"encoding/json"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/hpc-slurm/hpc-slurm-app/internal/stacktest"
)

// stackEnv reads the stack's stack.env, failing when the stack is not up.
func stackEnv(t *testing.T) map[string]string { return stacktest.Env(t) }

// stackInstanceSettings builds the data source settings Grafana would send
// for a data source provisioned against the live stack, with the HS256 key
// read from the stack's key file exactly as slurmctld reads it.
func stackInstanceSettings(t *testing.T, env map[string]string, jsonData map[string]any) backend.DataSourceInstanceSettings {
	t.Helper()
	key := stacktest.JWTKey(t, env)
	jd := map[string]any{"authMode": "jwtKey", "slurmUser": env["SLURM_API_USER"], "apiVersion": "auto"}
	for k, v := range jsonData {
		jd[k] = v
	}
	raw, err := json.Marshal(jd)
	if err != nil {
		t.Fatal(err)
	}
	return backend.DataSourceInstanceSettings{
		UID:                     "stack-slurm",
		Name:                    "Slurm (local stack)",
		Type:                    PluginID,
		URL:                     env["SLURMRESTD_URL"],
		JSONData:                raw,
		DecryptedSecureJSONData: map[string]string{"jwtKey": string(key)},
	}
}

// pluginContext is what Grafana attaches to every call.
func pluginContext(ds backend.DataSourceInstanceSettings) backend.PluginContext {
	return backend.PluginContext{PluginID: PluginID, DataSourceInstanceSettings: &ds}
}
