package plugin

import (
	"net/http"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/actions"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// actionCapability is one action's entry in GET actions/capabilities.
type actionCapability struct {
	Family      actions.Family `json:"family"`
	Allowed     bool           `json:"allowed"`
	Code        string         `json:"code,omitempty"`   // why not: no-user, role, rbac, unsupported, unmapped, denied-identity, …
	Reason      string         `json:"reason,omitempty"` // why not, for a tooltip
	MinRole     string         `json:"minRole"`
	Since       string         `json:"since"` // the oldest API version that has it
	NeedsReason bool           `json:"needsReason"`
}

type capabilityUser struct {
	Login string `json:"login"`
	Role  string `json:"role"`
}

type capabilityIdentity struct {
	Mode      actions.IdentityMode `json:"mode"`
	SlurmUser string               `json:"slurmUser,omitempty"`
	Allowed   bool                 `json:"allowed"`
	Reason    string               `json:"reason,omitempty"`
}

type capabilityRBAC struct {
	Checked bool   `json:"checked"`
	Note    string `json:"note"`
}

// actionCapabilities tells the UI what this user may do on this data
// source and why not, before any button is pressed. It changes nothing and
// calls nothing that changes anything.
type actionCapabilities struct {
	APIVersion string                      `json:"apiVersion"`
	User       *capabilityUser             `json:"user"`
	Identity   capabilityIdentity          `json:"identity"`
	RBAC       capabilityRBAC              `json:"rbac"`
	Audit      auditState                  `json:"audit"`
	MaxTargets int                         `json:"maxTargets"`
	Actions    map[string]actionCapability `json:"actions"`
}

const rbacNotChecked = "Grafana gave the data source no service account, so the app's RBAC actions (hpc-slurm-app.jobs:operate, hpc-slurm-app.nodes:operate) are not checked by the backend; the minimum roles are"

func (d *Datasource) handleActionCapabilities(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	caller := callerOf(ctx)
	api := grafanaAPIFrom(ctx)
	caps := actionCapabilities{MaxTargets: d.settings.Actions.MaxTargets, Actions: map[string]actionCapability{},
		Identity: capabilityIdentity{Mode: d.settings.Actions.Identity.Mode},
		RBAC:     capabilityRBAC{Checked: api.Available(), Note: rbacNotChecked},
		Audit:    auditState{Annotations: api.Available()}}
	if api.Available() {
		caps.RBAC.Note = "the backend asks Grafana for the app's RBAC actions (hpc-slurm-app.jobs:operate, hpc-slurm-app.nodes:operate) on every action, besides the minimum roles"
	} else {
		caps.Audit.Note = annotationsUnavailable
	}
	if v, err := d.client.Version(ctx); err == nil {
		caps.APIVersion = v
	}
	var idDenial *actions.Denial
	if caller != nil {
		caps.User = &capabilityUser{Login: caller.Login, Role: caller.Role.String()}
		acting, den := d.settings.Actions.Identity.Resolve(ctx, caller, d.adminLevels)
		caps.Identity.SlurmUser, caps.Identity.Allowed = acting.SlurmUser, den == nil
		if den != nil {
			caps.Identity.Reason, idDenial = den.Reason, den
		}
	}
	rbac := map[actions.Family]*actions.Denial{}
	for _, a := range append(append([]actions.Action{}, actions.JobActions...), actions.NodeActions...) {
		fam, _ := actions.FamilyOf(a)
		c := actionCapability{Family: fam, MinRole: d.settings.Actions.Roles.Of(fam).String(),
			Since: sinceOf(a), NeedsReason: a == actions.Drain}
		den := actions.CheckRole(caller, fam, d.settings.Actions.Roles)
		if den == nil {
			if _, asked := rbac[fam]; !asked {
				rbac[fam] = checkRBAC(ctx, api, caller, fam)
			}
			den = rbac[fam]
		}
		if den == nil {
			if msg, no := d.unsupported(ctx, a); no {
				den = &actions.Denial{Code: "unsupported", Reason: msg}
			}
		}
		if den == nil {
			den = idDenial
		}
		c.Allowed = den == nil
		if den != nil {
			c.Code, c.Reason = den.Code, den.Reason
		}
		caps.Actions[string(a)] = c
	}
	writeJSON(w, http.StatusOK, caps)
}

func sinceOf(a actions.Action) string {
	if f := slurm.ActionFeature(string(a)); f != "" {
		return slurm.Since(f)
	}
	return slurm.SupportedVersions()[0]
}
