package plugin

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/actions"
)

// ActionSettings is the operator-action policy of one data source
// (jsonData.action*, clusterSlurmUser, maxHostlistExpansion).
type ActionSettings struct {
	Identity actions.Identity
	Roles    actions.Roles
	// MaxTargets bounds a node list's expansion and a bulk request's targets.
	MaxTargets int
}

// jsonActionSettings mirrors the action keys of jsonData.
type jsonActionSettings struct {
	Identity        string
	Mapping         string
	UserMap         map[string]string
	DenyUsers       stringList
	DenySlurmAdmins *flexBool
	ClusterUser     string
	MinRoleJobs     string
	MinRoleNodes    string
	MaxHostlist     flexInt
}

// targets are the jsonData keys of the action settings.
func (a *jsonActionSettings) targets() map[string]any {
	return map[string]any{
		"actionIdentity":        &a.Identity,
		"actionUserMapping":     &a.Mapping,
		"actionUserMap":         &a.UserMap,
		"actionDenyUsers":       &a.DenyUsers,
		"actionDenySlurmAdmins": &a.DenySlurmAdmins,
		"clusterSlurmUser":      &a.ClusterUser,
		"actionMinRoleJobs":     &a.MinRoleJobs,
		"actionMinRoleNodes":    &a.MinRoleNodes,
		"maxHostlistExpansion":  &a.MaxHostlist,
	}
}

// stringList is a JSON array of strings or one comma-separated string (a
// text input in the config editor).
type stringList []string

func (l *stringList) UnmarshalJSON(b []byte) error {
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		var s string
		if json.Unmarshal(b, &s) != nil {
			return errors.New("must be a list of user names or one comma-separated string")
		}
		list = strings.Split(s, ",")
	}
	*l = (*l)[:0]
	for _, v := range list {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, v)
		}
	}
	return nil
}

// parseActionSettings validates the action settings; every error names its
// jsonData field.
func parseActionSettings(a jsonActionSettings, authMode, slurmUser string) (ActionSettings, []error) {
	var errs []error
	out := ActionSettings{
		Identity: actions.Identity{
			Mode:             actions.IdentityMode(strings.TrimSpace(a.Identity)),
			From:             actions.MapFrom(strings.TrimSpace(a.Mapping)),
			Table:            map[string]string{},
			Deny:             []string(a.DenyUsers),
			DenySlurmAdmins:  true,
			ClusterSlurmUser: strings.TrimSpace(a.ClusterUser),
			DataSourceUser:   slurmUser,
		},
		MaxTargets: actions.DefaultMaxHost,
	}
	switch out.Identity.Mode {
	case "":
		out.Identity.Mode = actions.IdentityDataSource
	case actions.IdentityDataSource:
	case actions.IdentityGrafanaUser:
		if authMode != AuthModeJWTKey {
			errs = append(errs, fmt.Errorf("jsonData.actionIdentity %q needs jsonData.authMode %q: only a JWT key can mint a token for the Grafana user's Slurm user", actions.IdentityGrafanaUser, AuthModeJWTKey))
		}
	default:
		errs = append(errs, fmt.Errorf("jsonData.actionIdentity %q is not supported: use %q (the data source's Slurm user acts) or %q (the Grafana user's own Slurm user acts)",
			a.Identity, actions.IdentityDataSource, actions.IdentityGrafanaUser))
	}
	switch out.Identity.From {
	case "":
		out.Identity.From = actions.MapLogin
	case actions.MapLogin, actions.MapEmailLocalPart, actions.MapTableOnly:
	default:
		errs = append(errs, fmt.Errorf("jsonData.actionUserMapping %q is not supported: use %q, %q or %q", a.Mapping, actions.MapLogin, actions.MapEmailLocalPart, actions.MapTableOnly))
	}
	keys := make([]string, 0, len(a.UserMap))
	for k := range a.UserMap {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		g, s := strings.TrimSpace(k), strings.TrimSpace(a.UserMap[k])
		if g == "" || s == "" || strings.ContainsAny(s, " \t\r\n:") {
			errs = append(errs, fmt.Errorf("jsonData.actionUserMap entry %q → %q: both a Grafana login (or e-mail) and a Slurm user name are required", k, a.UserMap[k]))
			continue
		}
		out.Identity.Table[g] = s
	}
	if a.DenySlurmAdmins != nil {
		out.Identity.DenySlurmAdmins = bool(*a.DenySlurmAdmins)
	}
	if out.Identity.ClusterSlurmUser == "" {
		out.Identity.ClusterSlurmUser = "slurm"
	}
	var err error
	if out.Roles.Jobs, err = actions.ParseMinRole("jsonData.actionMinRoleJobs", a.MinRoleJobs, actions.DefaultRoles.Jobs); err != nil {
		errs = append(errs, err)
	}
	if out.Roles.Nodes, err = actions.ParseMinRole("jsonData.actionMinRoleNodes", a.MinRoleNodes, actions.DefaultRoles.Nodes); err != nil {
		errs = append(errs, err)
	}
	if a.MaxHostlist.set {
		if a.MaxHostlist.value < 1 || a.MaxHostlist.value > actions.MaxMaxHost {
			errs = append(errs, fmt.Errorf("jsonData.maxHostlistExpansion (%d) must be between 1 and %d", a.MaxHostlist.value, actions.MaxMaxHost))
		} else {
			out.MaxTargets = int(a.MaxHostlist.value)
		}
	}
	return out, errs
}
