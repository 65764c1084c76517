package deploy

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
)

// The compose file must load with compose-go, the library `docker compose` itself uses: the
// Compose Specification's JSON schema, interpolation and path resolution. A typo in a key, a
// wrong type or an unknown service option fails here rather than on a user's first
// `docker compose up`.
func TestComposeFileLoadsWithTheComposeSpecLoader(t *testing.T) {
	root := RepoRoot()
	opts, err := cli.NewProjectOptions([]string{filepath.Join(root, composePath)},
		cli.WithWorkingDirectory(root), cli.WithName("hpc-slurm-demo"))
	if err != nil {
		t.Fatal(err)
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatalf("%s does not load as a Compose project: %v", composePath, err)
	}
	for _, want := range []string{"grafana", "slurm", "prometheus", "node-exporter", "simulator", "alertmanager"} {
		if _, err := project.GetService(want); err != nil {
			t.Errorf("service %q: %v", want, err)
		}
	}
	grafana, err := project.GetService("grafana")
	if err != nil {
		t.Fatal(err)
	}
	if dep, ok := grafana.DependsOn["slurm"]; !ok || dep.Condition != "service_healthy" {
		t.Errorf("grafana must wait for a healthy slurm service (it reads the JWT key the slurm service shares), got %+v", grafana.DependsOn)
	}
}
