//go:build integration

package plugin

import (
	"context"
	"net/http"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// mutatingRPCs are the slurmctld RPCs an operator action makes (sdiag
// counts each message type); the simulator and the poller only read.
var mutatingRPCs = []string{"REQUEST_KILL_JOB", "REQUEST_CANCEL_JOB_STEP", "REQUEST_UPDATE_JOB", "REQUEST_UPDATE_NODE", "REQUEST_JOB_REQUEUE", "REQUEST_SUSPEND"}

var sdiagLine = regexp.MustCompile(`^\s*(REQUEST_[A-Z_]+)\s+\(\s*\d+\)\s+count:(\d+)`)

// rpcCounts reads slurmctld's RPC counts by message type (sdiag).
func rpcCounts(t *testing.T, env map[string]string) map[string]int {
	t.Helper()
	out, err := exec.Command("env", "SLURM_CONF="+env["SLURM_CONF"], "sdiag").CombinedOutput()
	if err != nil {
		t.Fatalf("sdiag: %v: %s", err, out)
	}
	counts := map[string]int{}
	for _, line := range strings.Split(string(out), "\n") {
		if m := sdiagLine.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[2])
			counts[m[1]] += n
		}
	}
	return counts
}

func mutating(c map[string]int) int {
	n := 0
	for _, k := range mutatingRPCs {
		n += c[k]
	}
	return n
}

// submitHeld submits a held job as user that cannot start for an hour
// (--begin), so releasing it leaves it pending; it is cancelled at the end.
func submitHeld(t *testing.T, env map[string]string, user string) string {
	t.Helper()
	out, err := exec.Command("runuser", "-u", user, "--", "env", "SLURM_CONF="+env["SLURM_CONF"],
		"sbatch", "--parsable", "-H", "--begin=now+1hour", "--job-name=i11_action_"+user, "--output=/dev/null",
		"--chdir=/tmp", "--time=10", "--wrap=sleep 600").CombinedOutput()
	if err != nil {
		t.Fatalf("sbatch as %s: %v: %s", user, err, out)
	}
	id := strings.TrimSpace(strings.Split(string(out), ";")[0])
	t.Cleanup(func() {
		_ = exec.Command("env", "SLURM_CONF="+env["SLURM_CONF"], "scancel", id).Run()
	})
	return id
}

// jobState reads a job's state and reason through the data source's client.
func jobState(t *testing.T, d *Datasource, id string) (string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	j, err := d.client.Job(ctx, id)
	if err != nil {
		t.Fatalf("job %s: %v", id, err)
	}
	return j.State.Base, j.Reason
}

// On the live 22.05 stack (API v0.0.38) with the Grafana user's own Slurm
// identity: a Viewer and requests without a user change nothing (sdiag
// counts no mutating RPC); an Editor mapped to alice releases, holds and
// cancels her own job, requeue and node actions are unavailable on
// v0.0.38 without a call, alice cancelling bob's job is refused by Slurm
// and bob's job stays; as the data source's own user (a Slurm operator)
// the same cancel works.
func TestIntegrationOperatorActions(t *testing.T) {
	env := stackEnv(t)
	settings := stackInstanceSettings(t, env, map[string]any{"actionIdentity": "grafanaUser"})
	d := newStackDatasource(t, settings)
	pc := pluginContext(settings)
	as := func(u *backend.User) backend.PluginContext { c := pc; c.User = u; return c }
	alice := &backend.User{Login: "alice", Role: "Editor"}
	aliceAdmin := &backend.User{Login: "alice", Role: "Admin"}

	aliceJob, bobJob := submitHeld(t, env, "alice"), submitHeld(t, env, "bob")

	before := rpcCounts(t, env)
	for _, path := range []string{"actions/jobs/" + bobJob + "/cancel", "actions/jobs/" + aliceJob + "/hold", "actions/jobs/" + aliceJob + "/release"} {
		if c := callAction(t, d, as(viewer), http.MethodPost, path, ""); c.status != 403 {
			t.Errorf("viewer %s: %d %s", path, c.status, c.raw)
		}
		if c := callAction(t, d, as(nil), http.MethodPost, path, ""); c.status != 403 || c.body.Code != "no-user" {
			t.Errorf("no user %s: %d %s", path, c.status, c.raw)
		}
	}
	if c := callAction(t, d, as(nil), http.MethodPost, "actions/nodes/bulk", `{"action":"drain","nodes":"node[01-06]","reason":"x"}`); c.status != 403 || c.body.Code != "no-user" {
		t.Errorf("no user bulk drain: %d %s", c.status, c.raw)
	}
	for _, tc := range hostileActionCases() {
		if c := callAction(t, d, as(aliceAdmin), tc.method, tc.path, tc.body); c.status != tc.status || !strings.Contains(c.raw, tc.says) {
			t.Errorf("hostile %s: %d %s", tc.name, c.status, c.raw)
		}
	}
	drain := callAction(t, d, as(aliceAdmin), http.MethodPost, "actions/nodes/node01/drain", `{"reason":"fan failure"}`)
	if drain.status != 422 || !strings.Contains(drain.body.Error, "unavailable on API v0.0.38") {
		t.Errorf("drain on 22.05: %d %s", drain.status, drain.raw)
	}
	requeue := callAction(t, d, as(alice), http.MethodPost, "actions/jobs/"+aliceJob+"/requeue", "")
	if requeue.status != 422 || !strings.Contains(requeue.body.Error, "v0.0.45") {
		t.Errorf("requeue on 22.05: %d %s", requeue.status, requeue.raw)
	}
	after := rpcCounts(t, env)
	if mutating(after) != mutating(before) {
		t.Fatalf("refused requests made %d mutating slurmctld RPCs", mutating(after)-mutating(before))
	}
	t.Logf("refused requests: 0 mutating RPCs (sdiag: %d before, %d after)", mutating(before), mutating(after))

	// alice releases, holds and cancels her own job as Slurm user alice.
	// Released, the job waits for its begin time (slurmctld says "None" until
	// its next scheduling pass looks at it); held, it is JobHeldUser.
	for _, step := range []struct{ action, state, reason string }{
		{"release", "PENDING", "not held"}, {"hold", "PENDING", "JobHeldUser"}, {"cancel", "CANCELLED", ""},
	} {
		c := callAction(t, d, as(alice), http.MethodPost, "actions/jobs/"+aliceJob+"/"+step.action, "")
		if c.status != 200 || c.body.SlurmUser != "alice" || c.body.Results[0].Result != "done" {
			t.Fatalf("alice %s: %d %s", step.action, c.status, c.raw)
		}
		state, reason := jobState(t, d, aliceJob)
		held := strings.HasPrefix(reason, "JobHeld")
		if state != step.state || (step.reason == "not held" && held) || (step.reason == "JobHeldUser" && reason != step.reason) {
			t.Errorf("after %s: %s %s, want %s %s", step.action, state, reason, step.state, step.reason)
		}
	}
	own := rpcCounts(t, env)
	if got := own["REQUEST_UPDATE_JOB"] - after["REQUEST_UPDATE_JOB"]; got != 2 {
		t.Errorf("release + hold made %d REQUEST_UPDATE_JOB", got)
	}

	// alice may not cancel bob's job: Slurm says so, and it stays.
	c := callAction(t, d, as(alice), http.MethodPost, "actions/jobs/"+bobJob+"/cancel", "")
	if c.status != 409 || c.body.Results[0].Result != "refused" || !strings.Contains(c.body.Results[0].Message, "Access/permission denied") {
		t.Fatalf("alice cancels bob's job: %d %s", c.status, c.raw)
	}
	if state, reason := jobState(t, d, bobJob); state != "PENDING" || reason != "JobHeldUser" {
		t.Errorf("bob's job after alice's cancel: %s %s", state, reason)
	}

	// The data source's own user (grafana, a Slurm Operator) may.
	dsMode := stackInstanceSettings(t, env, nil)
	ds := newStackDatasource(t, dsMode)
	dpc := pluginContext(dsMode)
	dpc.User = alice
	c = callAction(t, ds, dpc, http.MethodPost, "actions/jobs/"+bobJob+"/cancel", "")
	if c.status != 200 || c.body.SlurmUser != env["SLURM_API_USER"] {
		t.Fatalf("cancel as the data source's user: %d %s", c.status, c.raw)
	}
	if state, _ := jobState(t, ds, bobJob); state != "CANCELLED" {
		t.Errorf("bob's job after the operator's cancel: %s", state)
	}
}
