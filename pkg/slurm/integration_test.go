//go:build integration

package slurm

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hpc-slurm/hpc-slurm-app/internal/stacktest"
)

// Integration tests against the live local stack (stack/up). They read
// $HPC_STACK_DIR/stack.env (default /var/lib/hpc-slurm-stack/stack.env) and
// fail when it is missing: run stack/up first.

// stackEnv reads the live stack's stack.env, failing when the stack is not up.
func stackEnv(t *testing.T) map[string]string { return stacktest.Env(t) }

// liveClient mints JWTs from the stack's HS256 key (the file's bytes are the
// key, as slurmctld and slurmrestd read it).
func liveClient(t *testing.T, logBuf *bytes.Buffer) (*Client, map[string]string, []byte) {
	t.Helper()
	env := stackEnv(t)
	key := stacktest.JWTKey(t, env)
	key = bytes.TrimSpace(key)
	cfg := Config{URL: env["SLURMRESTD_URL"], User: env["SLURM_API_USER"], JWTKey: key, JWTLifespan: 300 * time.Second}
	if logBuf != nil {
		cfg.Logger = slog.New(slog.NewTextHandler(logBuf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c, env, key
}

func TestLiveStack(t *testing.T) {
	var logs bytes.Buffer
	c, env, key := liveClient(t, &logs)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	v, err := c.Version(ctx)
	if err != nil {
		t.Fatalf("negotiate: %v", err)
	}
	if v != "v0.0.38" {
		t.Errorf("negotiated %s; Slurm 22.05 serves v0.0.38 at most", v)
	}

	p, err := c.Ping(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Controllers) == 0 || !p.Controllers[0].Responding {
		t.Errorf("ping: %+v", p)
	}
	if !strings.HasPrefix(p.SlurmVersion, "22.05") {
		t.Errorf("slurm version %q", p.SlurmVersion)
	}

	nodes, err := c.Nodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(nodes) < 6 {
		t.Errorf("%d nodes, want at least 6", len(nodes))
	}
	gpus := int64(0)
	for _, n := range nodes {
		if n.State.Base == "" {
			t.Errorf("node %s without base state", n.Name)
		}
		gpus += n.GPUs
	}
	if gpus == 0 {
		t.Error("no GPUs found on any node (gres gpu expected on the gpu partition)")
	}

	parts, err := c.Partitions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]Partition{}
	for _, p := range parts {
		names[p.Name] = p
	}
	for _, want := range []string{"cpu", "gpu"} {
		if names[want].Name == "" {
			t.Errorf("partition %s missing (have %v)", want, parts)
		} else if names[want].State != "UP" {
			t.Errorf("partition %s state %q", want, names[want].State)
		}
	}

	ans, err := c.Jobs(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if ans.Unchanged || len(ans.Jobs) == 0 {
		t.Fatalf("jobs: unchanged=%v n=%d", ans.Unchanged, len(ans.Jobs))
	}
	states := map[string]int{}
	for _, j := range ans.Jobs {
		states[j.State.Base]++
	}
	t.Logf("live job states: %v", states)
	// v0.0.38 ping does not name the cluster; after a jobs answer Ping does.
	if p.ClusterName != "" {
		t.Errorf("v0.0.38 ping named the cluster %q before any jobs answer", p.ClusterName)
	}
	if ans.Cluster == "" {
		t.Error("jobs answer names no cluster")
	} else if p2, err := c.Ping(ctx); err != nil {
		t.Fatal(err)
	} else if p2.ClusterName != ans.Cluster {
		t.Errorf("ping after jobs: cluster %q, want %q", p2.ClusterName, ans.Cluster)
	}
	checkSeededJobs(ctx, t, c, env)

	if _, err := c.Diag(ctx); err != nil {
		t.Errorf("diag: %v", err)
	}
	if _, err := c.Reservations(ctx); err != nil {
		t.Errorf("reservations: %v", err)
	}
	if _, err := c.Licenses(ctx); err != nil {
		t.Errorf("licenses: %v", err)
	}

	// update_time: asking again with the newest time must not be read as "no jobs".
	again, err := c.Jobs(ctx, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatalf("jobs with update_time: %v", err)
	}
	if !again.Unchanged && len(again.Jobs) == 0 {
		t.Errorf("an update_time answer without jobs was not marked unchanged: %+v", again)
	}

	// Node update does not exist in v0.0.38.
	if err := c.UpdateNode(ctx, "node01", NodeUpdate{State: "DRAIN", Reason: "x"}, ""); KindOf(err) != UnsupportedVersion {
		t.Errorf("node update on v0.0.38: %v", err)
	}

	// The key must never appear in the logs.
	if bytes.Contains(logs.Bytes(), key) {
		t.Error("JWT key found in the debug log")
	}
	tok, _ := c.auth.token(env["SLURM_API_USER"])
	if bytes.Contains(logs.Bytes(), []byte(tok)) {
		t.Error("token found in the debug log")
	}
}

func TestLiveStackRejectsBadToken(t *testing.T) {
	env := stackEnv(t)
	c, err := New(Config{URL: env["SLURMRESTD_URL"], User: env["SLURM_API_USER"], APIVersion: "v0.0.38", Token: "not-a-valid-token"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Nodes(context.Background())
	if err == nil {
		t.Fatal("a garbage token was accepted")
	}
	t.Logf("bad token → %v", err)
	if strings.Contains(err.Error(), "not-a-valid-token") {
		t.Error("token echoed in the error")
	}
}

// checkSeededJobs asserts the states of the jobs stack/seed submitted (the
// recorded answers' job table), allowing for what time changes (a job with
// --time=1 is RUNNING for a minute, then TIMEOUT).
func checkSeededJobs(ctx context.Context, t *testing.T, c *Client, env map[string]string) {
	t.Helper()
	path := filepath.Join(env["HPC_STACK_DIR"], "seeded.jobs")
	seeded, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("stack/seed writes %s: %v", path, err)
	}
	want := map[string][]string{ // name → allowed "STATE/Reason"
		"hello_done":  {"COMPLETED/None"},
		"crash_test":  {"FAILED/NonZeroExitCode"},
		"too_long":    {"RUNNING/None", "TIMEOUT/TimeLimit"},
		"cancel_me":   {"CANCELLED/None"},
		"held_job":    {"PENDING/JobHeldUser"},
		"begin_later": {"PENDING/BeginTime"},
		"big_mpi":     {"PENDING/Resources", "PENDING/Priority", "RUNNING/None", "COMPLETED/None"},
	}
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(string(seeded)), "\n") {
		name, id, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		j, err := c.Job(ctx, id)
		if err != nil {
			t.Errorf("seeded job %s (%s): %v", name, id, err)
			continue
		}
		if j.Name != name {
			t.Errorf("job %s is named %q, want %q", id, j.Name, name)
		}
		got := j.State.Base + "/" + j.Reason
		if allowed, ok := want[name]; ok {
			seen++
			match := false
			for _, a := range allowed {
				match = match || a == got
			}
			if !match {
				t.Errorf("%s (%s): %s, want one of %v", name, id, got, allowed)
			}
		}
		switch name {
		case "crash_test":
			checkExitFailed(t, j.Extra().ExitCode)
		case "train_big":
			if j.State.Base == "RUNNING" && (j.GPUsAllocated != 2 || j.GPUsRequested != 2) {
				t.Errorf("train_big GPUs %d/%d, want 2/2", j.GPUsRequested, j.GPUsAllocated)
			}
		case "sweep":
			if !strings.HasPrefix(j.ID, id+"_") {
				t.Errorf("sweep id %q, want %s_…", j.ID, id)
			}
		}
	}
	if seen != len(want) {
		t.Errorf("checked %d of %d seeded jobs", seen, len(want))
	}
}
