package deploy

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The demo's two entry points hand the slurmrestd JWT key from the Slurm container to Grafana.
// They run here with their real shells; only the stack they start is a stand-in, because the
// real stack/up binds fixed ports that the local stack (and CI's integration phase) already use.

const fakeKey = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" // test value

// fakeStack writes a stack/up that behaves like `stack/up --foreground`: it writes the key under
// $HPC_STACK_DIR/etc, then runs until SIGTERM and records that it stopped cleanly.
func fakeStack(t *testing.T, script string) (src, state, share string) {
	t.Helper()
	dir := t.TempDir()
	src, state, share = filepath.Join(dir, "stack"), filepath.Join(dir, "state"), filepath.Join(dir, "share")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "up"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return src, state, share
}

func entrypoint(t *testing.T, src, state, share string, extraEnv ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command("bash", filepath.Join(RepoRoot(), "docker", "slurm", "entrypoint.sh"))
	cmd.Env = append(os.Environ(), "HPC_STACK_SRC="+src, "HPC_STACK_DIR="+state, "HPC_DEMO_SECRETS_DIR="+share)
	cmd.Env = append(cmd.Env, extraEnv...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &out
}

func waitExit(t *testing.T, cmd *exec.Cmd, within time.Duration) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(within):
		_ = cmd.Process.Kill()
		t.Fatalf("entry point still running after %s", within)
		return nil
	}
}

func TestSlurmEntrypointSharesTheKeyAndStopsTheStackOnSIGTERM(t *testing.T) {
	src, state, share := fakeStack(t, `#!/usr/bin/env bash
[[ $1 == --foreground ]] || { echo "expected --foreground, got $*" >&2; exit 2; }
trap 'echo stopped >"$HPC_STACK_DIR/stopped"; exit 0' TERM
mkdir -p "$HPC_STACK_DIR/etc"
sleep 0.3
printf '`+fakeKey+`' >"$HPC_STACK_DIR/etc/jwt_hs256.key"
for _ in $(seq 300); do sleep 0.1; done # bounded: never outlives a failed test by more than 30 s
`)
	cmd, out := entrypoint(t, src, state, share)
	keyPath := filepath.Join(share, "jwt_hs256.key")
	deadline := time.Now().Add(10 * time.Second)
	for {
		if b, err := os.ReadFile(keyPath); err == nil {
			if string(b) != fakeKey {
				t.Fatalf("shared key %q differs from the stack's", b)
			}
			break
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("key not shared after 10s; output:\n%s", out)
		}
		time.Sleep(50 * time.Millisecond)
	}
	st, err := os.Stat(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o444 {
		t.Errorf("shared key mode %v, want 0444 (Grafana runs as another user)", st.Mode().Perm())
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := waitExit(t, cmd, 10*time.Second); err != nil {
		t.Errorf("entry point exited with %v after SIGTERM; output:\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(state, "stopped")); err != nil {
		t.Errorf("the stack was not stopped through SIGTERM; output:\n%s", out)
	}
}

func TestSlurmEntrypointFailsWhenTheStackDiesBeforeTheKey(t *testing.T) {
	src, state, share := fakeStack(t, "#!/usr/bin/env bash\necho 'port 6817 already in use' >&2\nexit 3\n")
	cmd, out := entrypoint(t, src, state, share)
	err := waitExit(t, cmd, 10*time.Second)
	exitErr, ok := err.(*exec.ExitError)
	if !ok || exitErr.ExitCode() != 3 {
		t.Errorf("want the stack's exit code 3, got %v; output:\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(share, "jwt_hs256.key")); err == nil {
		t.Error("a key was shared although the stack never wrote one")
	}
}

func TestGrafanaStartExportsTheSharedKeyOrExplainsWhyNot(t *testing.T) {
	dir := t.TempDir()
	run := filepath.Join(dir, "run.sh")
	if err := os.WriteFile(run, []byte("#!/bin/sh\necho \"key=$HPC_SLURM_JWT_KEY args=$*\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "jwt_hs256.key")
	start := func(wait string) (string, error) {
		cmd := exec.Command("sh", filepath.Join(RepoRoot(), "docker", "grafana", "start.sh"), "--homepath", "/usr/share/grafana")
		cmd.Env = append(os.Environ(), "HPC_GRAFANA_RUN="+run, "HPC_SLURM_JWT_KEY_FILE="+keyFile,
			"HPC_SLURM_JWT_KEY_WAIT_SECONDS="+wait)
		b, err := cmd.CombinedOutput()
		return string(b), err
	}
	out, err := start("1")
	if err == nil || !strings.Contains(out, "no Slurm JWT key at "+keyFile) {
		t.Errorf("without a key: want a failure naming the key file, got %v: %s", err, out)
	}
	if err := os.WriteFile(keyFile, []byte(fakeKey), 0o444); err != nil {
		t.Fatal(err)
	}
	out, err = start("5")
	if err != nil || strings.TrimSpace(out) != "key="+fakeKey+" args=--homepath /usr/share/grafana" {
		t.Errorf("with a key: got %v: %q", err, out)
	}
}
