//go:build integration

package plugin

import (
	"encoding/base64"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/hpc-slurm/hpc-slurm-app/internal/stacktest"
)

// The stack's key file entered the way the editor's help says for Slurm's
// binary key files ("base64:" + base64 -w0 of the file) gives the same key
// bytes slurmctld reads: live slurmctld accepts the minted tokens.
func TestIntegrationHealthWithTheKeyFileInBase64(t *testing.T) {
	env := stackEnv(t)
	settings := stackInstanceSettings(t, env, nil)
	settings.DecryptedSecureJSONData = map[string]string{
		"jwtKey": "base64:" + base64.StdEncoding.EncodeToString(stacktest.JWTKey(t, env)),
	}
	d := newStackDatasource(t, settings)
	res, _ := checkHealth(t, d, settings)
	if res.Status != backend.HealthStatusOk {
		t.Fatalf("health with the base64 key: %s: %s", res.Status, res.Message)
	}
}
