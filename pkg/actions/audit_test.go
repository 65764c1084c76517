package actions

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestRecordTextAndTags(t *testing.T) {
	r := Record{Time: time.Unix(1, 0), GrafanaUser: "alice", Role: RoleEditor, SlurmUser: "alice", Minted: true,
		Action: Cancel, Family: FamilyJobs, Target: "123_4", Result: ResultRefused, Message: "Access/permission denied"}
	eq := func(what, got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("%s: %q, want %q", what, got, want)
		}
	}
	eq("text", r.Text(), "alice (Editor): cancel job 123_4 as Slurm user alice — refused: Access/permission denied")
	eq("tags", strings.Join(r.Tags(), " "), "slurm-action job:123_4 job:123 action:cancel result:refused")
	n := Record{Action: Drain, Family: FamilyNodes, Target: "node01", Result: ResultRefused, Reason: "fan"}
	eq("no user", n.Text(), "a request without a Grafana user: drain node node01 — refused (reason: fan)")
	eq("node tags", strings.Join(n.Tags(), " "), "slurm-action node:node01 action:drain result:refused")
	args := n.LogArgs()
	if i := slices.Index(args, any("grafanaUser")); i < 0 || args[i+1] != "(none)" {
		t.Errorf("log args %v", args)
	}
}
