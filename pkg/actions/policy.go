// Package actions decides whether an operator action may happen and leaves
// its audit record: which Grafana role each action family needs, which Slurm
// identity acts (the data source's own user, or the Grafana user's mapped
// Slurm user with a short-lived token), what a valid target and reason are,
// and what an audit line and annotation say. It imports no Grafana SDK: the
// plugin hands it the caller as plain values.
package actions

import (
	"fmt"
	"strings"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// Role is a Grafana organisation role, ordered by what it may do.
type Role int

// The Grafana organisation roles.
const (
	RoleNone Role = iota
	RoleViewer
	RoleEditor
	RoleAdmin
)

var roleNames = map[Role]string{RoleNone: "None", RoleViewer: "Viewer", RoleEditor: "Editor", RoleAdmin: "Admin"}

func (r Role) String() string { return roleNames[r] }

// ParseRole reads Grafana's role names (backend.User.Role); anything else is
// RoleNone, which no action accepts.
func ParseRole(s string) Role {
	for r, name := range roleNames {
		if strings.EqualFold(strings.TrimSpace(s), name) {
			return r
		}
	}
	return RoleNone
}

// Family groups the actions that share a minimum role.
type Family string

// The action families.
const (
	FamilyJobs  Family = "jobs"
	FamilyNodes Family = "nodes"
)

// Action is one operator action, named as Slurm's commands name it.
type Action string

// The actions.
const (
	Cancel  = Action(slurm.JobCancel)
	Hold    = Action(slurm.JobHold)
	Release = Action(slurm.JobRelease)
	Requeue = Action(slurm.JobRequeue)
	Drain   = Action(slurm.NodeDrain)
	Resume  = Action(slurm.NodeResume)
)

// JobActions and NodeActions list the actions of each family.
var (
	JobActions  = []Action{Cancel, Hold, Release, Requeue}
	NodeActions = []Action{Drain, Resume}
)

// FamilyOf returns an action's family; ok is false for an unknown action.
func FamilyOf(a Action) (Family, bool) {
	for _, x := range JobActions {
		if x == a {
			return FamilyJobs, true
		}
	}
	for _, x := range NodeActions {
		if x == a {
			return FamilyNodes, true
		}
	}
	return "", false
}

// Caller is the Grafana user behind a request, as the plugin context says
// (nil when there is none: alerting, background work, anonymous access).
type Caller struct {
	Login string
	Email string
	Role  Role
}

// Denial is why an action may not happen, for the answer and the audit.
type Denial struct {
	Status int    // HTTP status of the answer: 403, 503
	Code   string // stable, for the UI: no-user, role, rbac, unmapped, denied-identity, identity-unknown
	Reason string // for people
}

func (d *Denial) Error() string { return d.Reason }

// Roles is the minimum role of each family. Viewer is never enough: the
// budget is that Viewers get 403 on every mutating route.
type Roles struct {
	Jobs  Role
	Nodes Role
}

// DefaultRoles: job actions Editor, node actions Admin.
var DefaultRoles = Roles{Jobs: RoleEditor, Nodes: RoleAdmin}

// Of returns the minimum role of a family.
func (r Roles) Of(f Family) Role {
	if f == FamilyNodes {
		return r.Nodes
	}
	return r.Jobs
}

// ParseMinRole reads a configured minimum role: Editor or Admin.
func ParseMinRole(field, s string, def Role) (Role, error) {
	if strings.TrimSpace(s) == "" {
		return def, nil
	}
	r := ParseRole(s)
	if r != RoleEditor && r != RoleAdmin {
		return def, fmt.Errorf("%s %q must be Editor or Admin (a Viewer never acts on the cluster)", field, s)
	}
	return r, nil
}

// CheckRole refuses a request without a signed-in user or whose role is
// below the family's minimum.
func CheckRole(c *Caller, f Family, roles Roles) *Denial {
	if c == nil || c.Login == "" {
		// 403, not 401: Grafana's frontend takes a 401 for its own session
		// having ended; the request is refused, the session is fine.
		return &Denial{Status: 403, Code: "no-user",
			Reason: "operator actions need a signed-in Grafana user; requests without one (alerting, background work, anonymous access) cannot act on the cluster"}
	}
	if need := roles.Of(f); c.Role < need {
		return &Denial{Status: 403, Code: "role",
			Reason: fmt.Sprintf("%s actions need the Grafana role %s or higher; %s has %s", strings.TrimSuffix(string(f), "s"), need, c.Login, c.Role)}
	}
	return nil
}
