package deploy

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

// The CI e2e matrix (.github/workflows/ci.yml) runs the demo with each resolved Grafana image
// through this override. No Docker engine runs here, so it is loaded as `docker compose -f
// docker-compose.yaml -f <override>` would load it.
const e2eOverridePath = ".github/e2e/grafana-image.compose.yaml"

func loadE2EProject(t *testing.T, env map[string]string) (*types.Project, error) {
	t.Helper()
	root := RepoRoot()
	var envList []string
	for k, v := range env {
		envList = append(envList, k+"="+v)
	}
	opts, err := cli.NewProjectOptions(
		[]string{filepath.Join(root, composePath), filepath.Join(root, e2eOverridePath)},
		cli.WithWorkingDirectory(root), cli.WithName("hpc-slurm-e2e"), cli.WithEnv(envList))
	if err != nil {
		t.Fatal(err)
	}
	return opts.LoadProject(context.Background())
}

func TestE2EOverrideRunsTheMatrixGrafanaImageWithTheBuiltPlugin(t *testing.T) {
	project, err := loadE2EProject(t, map[string]string{"GRAFANA_IMAGE": "grafana-enterprise", "GRAFANA_VERSION": "12.4.10"})
	if err != nil {
		t.Fatalf("%s with %s does not load as a Compose project: %v", composePath, e2eOverridePath, err)
	}
	grafana, err := project.GetService("grafana")
	if err != nil {
		t.Fatal(err)
	}
	if grafana.Build != nil {
		t.Errorf("grafana still builds the demo image (%s); the override must run the matrix image", grafana.Build.Dockerfile)
	}
	if want := "grafana/grafana-enterprise:12.4.10"; grafana.Image != want {
		t.Errorf("grafana image = %q, want %q", grafana.Image, want)
	}
	// The demo image's entry point, mounted where the Dockerfile copies it: it waits for the Slurm
	// JWT key and hands it to provisioning.
	if want := []string{"/bin/sh", "/usr/local/bin/hpc-grafana-start"}; !slices.Equal(grafana.Entrypoint, want) {
		t.Errorf("grafana entrypoint = %q, want %q", grafana.Entrypoint, want)
	}
	mounts := map[string]string{}
	for _, v := range grafana.Volumes {
		mounts[v.Target] = v.Source
	}
	root := RepoRoot()
	for target, source := range map[string]string{
		"/var/lib/grafana/plugins/hpc-slurm-app": filepath.Join(root, "dist"),
		"/usr/local/bin/hpc-grafana-start":       filepath.Join(root, "docker", "grafana", "start.sh"),
		// The demo's own mounts stay.
		"/etc/grafana/provisioning": filepath.Join(root, "provisioning"),
	} {
		if mounts[target] != source {
			t.Errorf("grafana mounts %q at %s, want %q", mounts[target], target, source)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "docker", "grafana", "start.sh")); err != nil {
		t.Errorf("the entry point the override mounts is missing: %v", err)
	}
	// The rest of the demo is unchanged: Slurm and Prometheus still come up beside Grafana.
	for _, name := range []string{"slurm", "prometheus", "alertmanager"} {
		if _, err := project.GetService(name); err != nil {
			t.Errorf("service %q: %v", name, err)
		}
	}
}

func TestE2EOverrideNamesTheMissingGrafanaImage(t *testing.T) {
	_, err := loadE2EProject(t, map[string]string{"GRAFANA_VERSION": "12.4.10"})
	if err == nil || !strings.Contains(err.Error(), "GRAFANA_IMAGE") {
		t.Fatalf("loading without GRAFANA_IMAGE: err = %v, want one naming GRAFANA_IMAGE", err)
	}
}
