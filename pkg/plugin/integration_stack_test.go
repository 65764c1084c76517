//go:build integration

package plugin

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// stackEnv reads $HPC_STACK_DIR/stack.env (default
// /var/lib/hpc-slurm-stack/stack.env), written by stack/up. A missing file
// fails the test: integration tests never skip.
func stackEnv(t *testing.T) map[string]string {
	t.Helper()
	dir := os.Getenv("HPC_STACK_DIR")
	if dir == "" {
		dir = "/var/lib/hpc-slurm-stack"
	}
	path := filepath.Join(dir, "stack.env")
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("the local Slurm stack is not up: cannot read %s (%v). Start it with stack/up (and stack/seed), or set HPC_STACK_DIR.", path, err)
	}
	defer f.Close()
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		env[strings.TrimPrefix(strings.TrimSpace(key), "export ")] = strings.Trim(strings.TrimSpace(value), `"'`)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	for _, k := range []string{"SLURMRESTD_URL", "SLURM_JWT_KEY_FILE"} {
		if env[k] == "" {
			t.Fatalf("%s has no %s", path, k)
		}
	}
	return env
}

// stackInstanceSettings builds the data source settings Grafana would send
// for a data source provisioned against the live stack, with the HS256 key
// read from the stack's key file exactly as slurmctld reads it.
func stackInstanceSettings(t *testing.T, env map[string]string, jsonData map[string]any) backend.DataSourceInstanceSettings {
	t.Helper()
	key, err := os.ReadFile(env["SLURM_JWT_KEY_FILE"])
	if err != nil {
		t.Fatalf("reading the stack's JWT key %s: %v", env["SLURM_JWT_KEY_FILE"], err)
	}
	user := env["SLURM_API_USER"]
	if user == "" {
		user = "grafana"
	}
	jd := map[string]any{"authMode": "jwtKey", "slurmUser": user, "apiVersion": "auto"}
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
