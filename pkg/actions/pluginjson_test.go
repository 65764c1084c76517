package actions

import (
	"encoding/json"
	"os"
	"slices"
	"testing"
)

// The RBAC actions the backend asks Grafana about are the ones the app's
// plugin.json declares, granted by default to the roles the backend requires
// by default; the data source's service account asks for exactly what
// GrafanaAPI calls need.
func TestPluginJSONDeclaresWhatTheBackendUses(t *testing.T) {
	var app struct {
		ID    string `json:"id"`
		Roles []struct {
			Role struct {
				Permissions []struct {
					Action string `json:"action"`
				} `json:"permissions"`
			} `json:"role"`
			Grants []string `json:"grants"`
		} `json:"roles"`
	}
	readJSON(t, "../../src/plugin.json", &app)
	grants := map[string][]string{}
	for _, r := range app.Roles {
		for _, p := range r.Role.Permissions {
			grants[p.Action] = r.Grants
		}
	}
	if app.ID+"." != RBACPrefix {
		t.Errorf("app id %q, RBAC prefix %q", app.ID, RBACPrefix)
	}
	for fam, action := range map[Family]string{FamilyJobs: RBACJobActions, FamilyNodes: RBACNodeAction} {
		if g := grants[action]; len(g) != 1 || g[0] != DefaultRoles.Of(fam).String() {
			t.Errorf("%s is granted to %v, the backend's default minimum role is %s", action, g, DefaultRoles.Of(fam))
		}
	}
	var ds struct {
		IAM struct {
			Permissions []struct {
				Action string `json:"action"`
				Scope  string `json:"scope"`
			} `json:"permissions"`
		} `json:"iam"`
	}
	readJSON(t, "../../src/datasource/plugin.json", &ds)
	var have []string
	for _, p := range ds.IAM.Permissions {
		have = append(have, p.Action+" "+p.Scope)
	}
	for _, need := range []string{"annotations:create annotations:type:organization", "org.users:read users:*", "users.permissions:read users:*"} {
		if !slices.Contains(have, need) {
			t.Errorf("the data source's iam lacks %q (has %v)", need, have)
		}
	}
}

func readJSON(t *testing.T, file string, v any) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}
