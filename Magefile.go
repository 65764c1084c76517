//go:build mage

// Magefile builds the backend of the nested data source hpc-slurm-datasource.
//
// The repository is an app plugin (src/plugin.json, no executable) that nests
// a backend data source (src/datasource/plugin.json, executable gpx_slurm).
// The SDK build package reads the executable name and plugin id from the
// plugin.json in PluginJSONPath and writes binaries under OutputBinaryPath, so
// we point both at the nested data source: binaries land in
// dist/datasource/gpx_slurm_<os>_<arch> and carry the data source's plugin id
// in their build info (the app's id would be wrong there).
//
//	go tool mage -v build:linux build:linuxARM64   # the two Linux binaries
//	go tool mage -v                                # All: every platform we ship
package main

import (
	"github.com/magefile/mage/mg"

	// mage:import
	"github.com/grafana/grafana-plugin-sdk-go/build"
)

const (
	nestedPluginJSONDir = "src/datasource"
	nestedBinaryDir     = "dist/datasource"
)

func init() {
	// SetBeforeBuildCallback never fails; its error return exists for API symmetry.
	_ = build.SetBeforeBuildCallback(func(cfg build.Config) (build.Config, error) {
		cfg.PluginJSONPath = nestedPluginJSONDir
		// The SDK also calls this callback, with an empty Config, when it writes
		// go_plugin_build_manifest. Grafana's plugin validator looks for that
		// manifest at the root of the plugin archive (dist/), so only binary
		// builds (which always carry an OS) are redirected to dist/datasource.
		if cfg.OS != "" {
			cfg.OutputBinaryPath = nestedBinaryDir
		}
		return cfg, nil
	})
}

// All builds the backend for Linux (amd64, arm64), macOS (amd64, arm64) and
// Windows (amd64). It is the SDK's BuildAll without 32-bit ARM: pkg/slurm
// decodes with bytedance/sonic, which does not build for 32-bit targets, and
// Grafana does not need that platform.
func All() {
	b := build.Build{}
	mg.Deps(b.Linux, b.LinuxARM64, b.Darwin, b.DarwinARM64, b.Windows)
}

// Default is what plain `go tool mage -v` runs.
var Default = All
