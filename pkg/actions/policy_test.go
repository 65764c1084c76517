package actions

import (
	"strings"
	"testing"
)

func TestCheckRole(t *testing.T) {
	cases := []struct {
		name   string
		caller *Caller
		family Family
		status int
		code   string
	}{
		{"no user (alerting, background)", nil, FamilyJobs, 403, "no-user"},
		{"user without login (anonymous)", &Caller{Role: RoleAdmin}, FamilyJobs, 403, "no-user"},
		{"viewer on jobs", &Caller{Login: "v", Role: RoleViewer}, FamilyJobs, 403, "role"},
		{"editor on jobs", &Caller{Login: "e", Role: RoleEditor}, FamilyJobs, 0, ""},
		{"editor on nodes", &Caller{Login: "e", Role: RoleEditor}, FamilyNodes, 403, "role"},
		{"admin on nodes", &Caller{Login: "a", Role: RoleAdmin}, FamilyNodes, 0, ""},
		{"unknown role", &Caller{Login: "x", Role: ParseRole("Superuser")}, FamilyJobs, 403, "role"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := CheckRole(tc.caller, tc.family, DefaultRoles)
			if tc.status == 0 {
				if d != nil {
					t.Fatalf("refused: %v", d)
				}
				return
			}
			if d == nil || d.Status != tc.status || d.Code != tc.code {
				t.Fatalf("got %+v, want %d %s", d, tc.status, tc.code)
			}
		})
	}
	d := CheckRole(&Caller{Login: "vic", Role: RoleViewer}, FamilyJobs, DefaultRoles)
	if !strings.Contains(d.Reason, "Editor") || !strings.Contains(d.Reason, "vic has Viewer") {
		t.Errorf("reason %q does not say which role is needed and which the user has", d.Reason)
	}
}

func TestParseMinRole(t *testing.T) {
	for in, want := range map[string]Role{"": RoleEditor, "Editor": RoleEditor, "admin": RoleAdmin} {
		if got, err := ParseMinRole("f", in, RoleEditor); err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	for _, bad := range []string{"Viewer", "None", "root"} {
		if _, err := ParseMinRole("jsonData.actionMinRoleJobs", bad, RoleEditor); err == nil || !strings.Contains(err.Error(), "jsonData.actionMinRoleJobs") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestFamilyOf(t *testing.T) {
	for _, a := range JobActions {
		if f, ok := FamilyOf(a); !ok || f != FamilyJobs {
			t.Errorf("%s: %s", a, f)
		}
	}
	for _, a := range NodeActions {
		if f, ok := FamilyOf(a); !ok || f != FamilyNodes {
			t.Errorf("%s: %s", a, f)
		}
	}
	if _, ok := FamilyOf("suspend"); ok {
		t.Error("suspend is not an action")
	}
}
