package deploy

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"gopkg.in/yaml.v3"
)

func sortStrings(s []string) { sort.Strings(s) }

// readYAML decodes a repository file (path relative to the root) into v, failing the test with the
// file name on any error.
func readYAML(t *testing.T, relPath string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(RepoRoot(), relPath))
	if err != nil {
		t.Fatalf("%s: %v", relPath, err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: not valid YAML: %v", relPath, err)
	}
}
