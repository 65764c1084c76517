// Package stacktest reads what stack/up wrote about the live local stack, for
// the integration tests of every package (pkg/slurm, pkg/cluster, pkg/plugin).
// It imports nothing of the project, so any package's tests may use it.
package stacktest

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Env reads $HPC_STACK_DIR/stack.env (default
// /var/lib/hpc-slurm-stack/stack.env), written by stack/up. A missing file
// fails the test with what to do: integration tests never skip.
func Env(t testing.TB) map[string]string {
	t.Helper()
	dir := os.Getenv("HPC_STACK_DIR")
	if dir == "" {
		dir = "/var/lib/hpc-slurm-stack"
	}
	path := filepath.Join(dir, "stack.env")
	f, err := os.Open(path) // #nosec G304 G703 -- the test runner's own HPC_STACK_DIR, in tests only
	if err != nil {
		t.Fatalf("the local Slurm stack is not up: cannot read %s (%v). Start it with stack/up and stack/seed, or set HPC_STACK_DIR.", path, err)
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
			t.Fatalf("%s has no %s: was it written by stack/up?", path, k)
		}
	}
	if env["SLURM_API_USER"] == "" {
		env["SLURM_API_USER"] = "grafana"
	}
	return env
}

// JWTKey reads the stack's HS256 key exactly as slurmctld reads it.
func JWTKey(t testing.TB, env map[string]string) []byte {
	t.Helper()
	key, err := os.ReadFile(env["SLURM_JWT_KEY_FILE"])
	if err != nil {
		t.Fatalf("reading the stack's JWT key %s: %v", env["SLURM_JWT_KEY_FILE"], err)
	}
	return key
}
