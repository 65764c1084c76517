package actions

import (
	"fmt"
	"strings"
	"time"
)

// Result is how an attempt ended.
type Result string

// The results.
const (
	ResultDone        Result = "done"        // Slurm did it
	ResultRefused     Result = "refused"     // refused by the plugin (role, identity) or by Slurm
	ResultInvalid     Result = "invalid"     // the request was not acceptable (400): nothing was sent
	ResultUnsupported Result = "unsupported" // the cluster's API version cannot do it: nothing was sent
	ResultFailed      Result = "failed"      // Slurm could not be asked (unreachable, error)
)

// AuditTag is the tag of every action annotation; dashboards and the job and
// node pages query annotations by it.
const AuditTag = "slurm-action"

// Record is one audited attempt: who (Grafana user and role), which Slurm
// identity, what, on which target, and how it ended.
type Record struct {
	Time        time.Time
	Cluster     string // the data source's name or uid
	GrafanaUser string // "" when the request had no user
	Role        Role
	SlurmUser   string // who acted (or would have); "" when not resolved
	Minted      bool   // a short-lived token for SlurmUser
	Action      Action
	Family      Family
	Target      string // job id or node name
	Reason      string // the operator's reason (drain)
	Result      Result
	Message     string // Slurm's message or why refused
}

// LogArgs are the record as structured log key/values (one line per attempt).
func (r Record) LogArgs() []any {
	user := r.GrafanaUser
	if user == "" {
		user = "(none)"
	}
	args := []any{
		"audit", AuditTag,
		"grafanaUser", user,
		"grafanaRole", r.Role.String(),
		"slurmUser", r.SlurmUser,
		"mintedToken", r.Minted,
		"action", string(r.Action),
		"target", r.Target,
		"result", string(r.Result),
	}
	if r.Reason != "" {
		args = append(args, "reason", r.Reason)
	}
	if r.Message != "" {
		args = append(args, "message", r.Message)
	}
	return args
}

// TargetTag is the tag naming a target, so a page shows only its own
// annotations: "job:123", "node:node01". An array task's annotations carry
// both the task and its array ("job:123_4", "job:123").
func TargetTags(f Family, target string) []string {
	if f == FamilyNodes {
		return []string{"node:" + target}
	}
	tags := []string{"job:" + target}
	if array, _, ok := strings.Cut(target, "_"); ok {
		tags = append(tags, "job:"+array)
	}
	return tags
}

// Tags of the record's annotation: slurm-action, the target, the action and
// the result, so a dashboard filters by any of them.
func (r Record) Tags() []string {
	tags := []string{AuditTag}
	tags = append(tags, TargetTags(r.Family, r.Target)...)
	return append(tags, "action:"+string(r.Action), "result:"+string(r.Result))
}

// Text of the record's annotation, one line an operator reads in a tooltip:
// "alice (Editor) cancel job 123 as Slurm user alice: done".
func (r Record) Text() string {
	what := "job"
	if r.Family == FamilyNodes {
		what = "node"
	}
	user := r.GrafanaUser
	if user == "" {
		user = "a request without a Grafana user"
	} else {
		user = fmt.Sprintf("%s (%s)", user, r.Role)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s %s %s", user, r.Action, what, r.Target)
	if r.SlurmUser != "" {
		fmt.Fprintf(&b, " as Slurm user %s", r.SlurmUser)
	}
	fmt.Fprintf(&b, " — %s", r.Result)
	if r.Message != "" {
		fmt.Fprintf(&b, ": %s", r.Message)
	}
	if r.Reason != "" {
		fmt.Fprintf(&b, " (reason: %s)", r.Reason)
	}
	return b.String()
}
