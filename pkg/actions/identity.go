package actions

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// IdentityMode says whose Slurm identity performs an action.
type IdentityMode string

// The identity modes.
const (
	// IdentityDataSource: the data source's own Slurm user acts (its token or
	// key); Grafana's roles are the only guard between a user and Slurm.
	IdentityDataSource IdentityMode = "datasource"
	// IdentityGrafanaUser: the Grafana user's mapped Slurm user acts with a
	// token minted for at most 5 minutes (jwtKey mode only), so Slurm itself
	// decides: alice may cancel her jobs and not bob's.
	IdentityGrafanaUser IdentityMode = "grafanaUser"
)

// MapFrom says how a Grafana user becomes a Slurm user name when the
// mapping table has no entry for them.
type MapFrom string

// The mappings.
const (
	MapLogin          MapFrom = "login"          // the Grafana login is the Slurm user name
	MapEmailLocalPart MapFrom = "emailLocalPart" // alice@example.org → alice
	MapTableOnly      MapFrom = "table"          // only the mapping table; anyone else is unmapped
)

// SlurmAdminLevels are the slurmdb administrator levels whose tokens bypass
// Slurm's own checks on other users' jobs and on nodes.
var SlurmAdminLevels = []string{"Operator", "Administrator"}

// Identity is the configured identity policy of a data source.
type Identity struct {
	Mode  IdentityMode
	From  MapFrom
	Table map[string]string // Grafana login or e-mail → Slurm user; wins over From
	// Deny lists Slurm users never acted as, whatever the mapping says; root
	// and ClusterSlurmUser always are.
	Deny []string
	// DenySlurmAdmins also refuses every Slurm user whose slurmdb admin level
	// is Operator or Administrator (the default).
	DenySlurmAdmins  bool
	ClusterSlurmUser string // SlurmUser of slurm.conf (the account slurmctld runs as)
	DataSourceUser   string // the data source's own Slurm user
}

// AdminLevels returns every Slurm user's slurmdb admin level ("None",
// "Operator", "Administrator"); the plugin reads them from slurmdbd.
type AdminLevels func(ctx context.Context) (map[string]string, error)

// Acting is who acts on Slurm for a caller.
type Acting struct {
	SlurmUser string // the Slurm user name the action runs as
	Minted    bool   // a token was (or will be) minted for SlurmUser
}

// Resolve returns the Slurm identity acting for c. In datasource mode it is
// the data source's user; in grafanaUser mode the mapped user, refused when
// unmapped, invalid, denied or (with DenySlurmAdmins) a Slurm operator or
// administrator, or when admin levels cannot be read (fail closed).
func (id Identity) Resolve(ctx context.Context, c *Caller, levels AdminLevels) (Acting, *Denial) {
	if id.Mode != IdentityGrafanaUser {
		return Acting{SlurmUser: id.DataSourceUser}, nil
	}
	name, how := id.mapped(c)
	if name == "" {
		return Acting{}, &Denial{Status: 403, Code: "unmapped", Reason: fmt.Sprintf(
			"Grafana user %s has no Slurm user: %s. An administrator adds them to the data source's user mapping table", c.Login, how)}
	}
	if !validSlurmUser(name) {
		return Acting{}, &Denial{Status: 403, Code: "unmapped", Reason: fmt.Sprintf(
			"Grafana user %s maps to %q (%s), which is not a valid Slurm user name. An administrator adds them to the data source's user mapping table", c.Login, name, how)}
	}
	if why := id.denied(name); why != "" {
		return Acting{}, &Denial{Status: 403, Code: "denied-identity", Reason: fmt.Sprintf(
			"Grafana user %s maps to Slurm user %s, %s: no token is minted for it, since its token would bypass Slurm's own checks", c.Login, name, why)}
	}
	if id.DenySlurmAdmins {
		all, err := levels(ctx)
		if err != nil {
			return Acting{}, &Denial{Status: 503, Code: "identity-unknown", Reason: fmt.Sprintf(
				"cannot tell whether Slurm user %s is a Slurm operator or administrator (reading slurmdbd's users failed: %v), so no token is minted", name, err)}
		}
		level, known := all[name]
		if !known {
			return Acting{}, &Denial{Status: 403, Code: "unmapped", Reason: fmt.Sprintf(
				"Grafana user %s maps to Slurm user %s (%s), which Slurm's accounting does not know. An administrator fixes the data source's user mapping table", c.Login, name, how)}
		}
		if slices.ContainsFunc(SlurmAdminLevels, func(l string) bool { return strings.Contains(level, l) }) {
			return Acting{}, &Denial{Status: 403, Code: "denied-identity", Reason: fmt.Sprintf(
				"Grafana user %s maps to Slurm user %s, a Slurm %s: no token is minted for it, since its token would bypass Slurm's own checks", c.Login, name, level)}
		}
	}
	return Acting{SlurmUser: name, Minted: true}, nil
}

// mapped returns the Slurm user name for c and how it was found (or why not).
func (id Identity) mapped(c *Caller) (string, string) {
	for _, key := range []string{c.Login, c.Email} {
		if key == "" {
			continue
		}
		if v, ok := id.Table[key]; ok {
			return strings.TrimSpace(v), "from the mapping table"
		}
	}
	switch id.From {
	case MapEmailLocalPart:
		local, _, ok := strings.Cut(c.Email, "@")
		if !ok || local == "" {
			return "", "users are mapped by the local part of their e-mail address and this one has none"
		}
		return local, "the local part of their e-mail address"
	case MapTableOnly:
		return "", "users are mapped by the mapping table only and it has no entry for them"
	}
	return c.Login, "their Grafana login"
}

// denied says why a Slurm user is never acted as, or "".
func (id Identity) denied(name string) string {
	switch {
	case name == "root":
		return "root"
	case id.ClusterSlurmUser != "" && name == id.ClusterSlurmUser:
		return "the SlurmUser slurmctld runs as"
	case slices.Contains(id.Deny, name):
		return "on the data source's deny list"
	}
	return ""
}

// validSlurmUser: a POSIX-style user name (what slurmrestd accepts in
// X-SLURM-USER-NAME and a JWT's "sun").
func validSlurmUser(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '_':
		case (r >= '0' && r <= '9') || r == '-' || r == '.':
			if i == 0 {
				return false
			}
		default:
			return false
		}
	}
	return true
}
