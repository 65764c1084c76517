package plugin

import (
	"strings"
	"testing"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/actions"
)

func TestActionSettingsDefaults(t *testing.T) {
	s, err := ParseSettings(instanceSettings(t, "http://127.0.0.1:6820", map[string]any{"slurmUser": "grafana"}, map[string]string{"token": settingsSecret}))
	if err != nil {
		t.Fatal(err)
	}
	a := s.Actions
	if a.Identity.Mode != actions.IdentityDataSource || a.Identity.From != actions.MapLogin || !a.Identity.DenySlurmAdmins ||
		a.Identity.ClusterSlurmUser != "slurm" || a.Identity.DataSourceUser != "grafana" ||
		a.Roles != actions.DefaultRoles || a.MaxTargets != actions.DefaultMaxHost {
		t.Errorf("defaults %+v", a)
	}
}

func TestActionSettingsReadEveryField(t *testing.T) {
	s, err := ParseSettings(instanceSettings(t, "http://127.0.0.1:6820", map[string]any{
		"slurmUser": "grafana", "authMode": "jwtKey",
		"actionIdentity": "grafanaUser", "actionUserMapping": "emailLocalPart",
		"actionUserMap": map[string]string{"Alice.Smith": "alice"}, "actionDenyUsers": "bob, carol",
		"actionDenySlurmAdmins": false, "clusterSlurmUser": "slurmsvc",
		"actionMinRoleJobs": "Admin", "actionMinRoleNodes": "Admin", "maxHostlistExpansion": "32",
	}, map[string]string{"jwtKey": "0123456789abcdef0123456789abcdef"}))
	if err != nil {
		t.Fatal(err)
	}
	a := s.Actions
	if a.Identity.Mode != actions.IdentityGrafanaUser || a.Identity.From != actions.MapEmailLocalPart ||
		a.Identity.Table["Alice.Smith"] != "alice" || strings.Join(a.Identity.Deny, ",") != "bob,carol" ||
		a.Identity.DenySlurmAdmins || a.Identity.ClusterSlurmUser != "slurmsvc" ||
		a.Roles.Jobs != actions.RoleAdmin || a.MaxTargets != 32 {
		t.Errorf("got %+v", a)
	}
}

func TestActionSettingsNameTheBadField(t *testing.T) {
	cases := map[string]struct {
		jsonData map[string]any
		field    string
	}{
		"grafanaUser with a static token": {map[string]any{"actionIdentity": "grafanaUser"}, "jsonData.actionIdentity"},
		"unknown identity":                {map[string]any{"actionIdentity": "root"}, "jsonData.actionIdentity"},
		"unknown mapping":                 {map[string]any{"actionUserMapping": "uid"}, "jsonData.actionUserMapping"},
		"Viewer may not act":              {map[string]any{"actionMinRoleJobs": "Viewer"}, "jsonData.actionMinRoleJobs"},
		"node role":                       {map[string]any{"actionMinRoleNodes": "Owner"}, "jsonData.actionMinRoleNodes"},
		"hostlist bound":                  {map[string]any{"maxHostlistExpansion": 0}, "jsonData.maxHostlistExpansion"},
		"hostlist bound too high":         {map[string]any{"maxHostlistExpansion": 100000}, "jsonData.maxHostlistExpansion"},
		"map entry without Slurm user":    {map[string]any{"actionUserMap": map[string]string{"alice": " "}}, "jsonData.actionUserMap"},
		"deny list of numbers":            {map[string]any{"actionDenyUsers": []int{1}}, "jsonData.actionDenyUsers"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			jd := map[string]any{"slurmUser": "grafana"}
			for k, v := range tc.jsonData {
				jd[k] = v
			}
			_, err := ParseSettings(instanceSettings(t, "http://127.0.0.1:6820", jd, map[string]string{"token": settingsSecret}))
			if err == nil || !strings.Contains(err.Error(), tc.field) {
				t.Fatalf("got %v, want an error naming %s", err, tc.field)
			}
		})
	}
}
