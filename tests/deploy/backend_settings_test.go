package deploy

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/plugin"
)

// The provisioned Slurm data source must be accepted by the real backend: its settings go through
// the same ParseSettings that Grafana's plugin process runs, with the environment variables
// replaced as Grafana's provisioning would (the demo's values; a dummy key of the stack's format).
func TestProvisionedSlurmDatasourceIsAcceptedByTheBackend(t *testing.T) {
	p := loadProvisioning(t)
	g := loadCompose(t).Services["grafana"]
	env := map[string]string{}
	for k, v := range g.Environment {
		env[k] = v
	}
	env["HPC_SLURM_JWT_KEY"] = strings.Repeat("ab", 32) // 64 hex characters, like stack/ writes
	expand := func(s string) string { return os.Expand(s, func(k string) string { return env[k] }) }

	ds, ok := p.datasources["slurm"]
	if !ok {
		t.Fatal("no Slurm data source provisioned")
	}
	jsonData, err := json.Marshal(ds.JSONData)
	if err != nil {
		t.Fatal(err)
	}
	secure := map[string]string{}
	for k, v := range ds.SecureJSONData {
		secure[k] = expand(v)
	}
	settings, err := plugin.ParseSettings(backend.DataSourceInstanceSettings{
		UID:                     ds.UID,
		Name:                    ds.Name,
		URL:                     expand(ds.URL),
		JSONData:                jsonData,
		DecryptedSecureJSONData: secure,
	})
	if err != nil {
		t.Fatalf("the backend rejects the provisioned settings: %v", err)
	}
	if settings.URL != "http://slurm:6820" || settings.AuthMode != "jwtKey" || settings.SlurmUser != "grafana" {
		t.Errorf("unexpected settings after parsing: %s", settings)
	}
	if string(settings.JWTKey) != env["HPC_SLURM_JWT_KEY"] {
		t.Error("the JWT key did not reach the backend unchanged")
	}
}
