package actions

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// levels is slurmdbd's users as the local stack has them (root
// Administrator, grafana Operator, the rest None).
func levels(context.Context) (map[string]string, error) {
	return map[string]string{"root": "Administrator", "grafana": "Operator", "alice": "None", "bob": "None", "carol": "None", "slurm": "None"}, nil
}

func TestResolveIdentity(t *testing.T) {
	base := Identity{Mode: IdentityGrafanaUser, From: MapLogin, DenySlurmAdmins: true, ClusterSlurmUser: "slurm", DataSourceUser: "grafana",
		Table: map[string]string{"Alice.Smith": "alice", "ops@example.org": "carol", "evil": "root"}, Deny: []string{"bob"}}
	cases := []struct {
		name   string
		id     func(Identity) Identity
		caller Caller
		want   string
		code   string
	}{
		{"data source mode acts as the data source user", func(i Identity) Identity { i.Mode = IdentityDataSource; return i }, Caller{Login: "anyone"}, "grafana", ""},
		{"login", nil, Caller{Login: "carol"}, "carol", ""},
		{"table by login wins", nil, Caller{Login: "Alice.Smith"}, "alice", ""},
		{"table by e-mail", nil, Caller{Login: "ops", Email: "ops@example.org"}, "carol", ""},
		{"e-mail local part", func(i Identity) Identity { i.From = MapEmailLocalPart; return i }, Caller{Login: "A. Smith", Email: "alice@example.org"}, "alice", ""},
		{"no e-mail", func(i Identity) Identity { i.From = MapEmailLocalPart; return i }, Caller{Login: "nomail"}, "", "unmapped"},
		{"table only, not in it", func(i Identity) Identity { i.From = MapTableOnly; return i }, Caller{Login: "carol"}, "", "unmapped"},
		{"login not a Slurm name", nil, Caller{Login: "admin@localhost"}, "", "unmapped"},
		{"unknown to slurmdbd", nil, Caller{Login: "mallory"}, "", "unmapped"},
		{"root by the table", nil, Caller{Login: "evil"}, "", "denied-identity"},
		{"root by login", nil, Caller{Login: "root"}, "", "denied-identity"},
		{"the SlurmUser", nil, Caller{Login: "slurm"}, "", "denied-identity"},
		{"deny list", nil, Caller{Login: "bob"}, "", "denied-identity"},
		{"Slurm operator", nil, Caller{Login: "grafana"}, "", "denied-identity"},
		{"Slurm operator allowed when admins are not denied", func(i Identity) Identity { i.DenySlurmAdmins = false; return i }, Caller{Login: "grafana"}, "grafana", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id := base
			if tc.id != nil {
				id = tc.id(base)
			}
			got, d := id.Resolve(context.Background(), &tc.caller, levels)
			if tc.code != "" {
				if d == nil || d.Code != tc.code || d.Status != 403 {
					t.Fatalf("got %+v %v, want a 403 %s", got, d, tc.code)
				}
				if !strings.Contains(d.Reason, tc.caller.Login) {
					t.Errorf("reason %q does not name the Grafana user", d.Reason)
				}
				return
			}
			if d != nil || got.SlurmUser != tc.want || got.Minted != (id.Mode == IdentityGrafanaUser) {
				t.Fatalf("got %+v %v, want %s", got, d, tc.want)
			}
		})
	}
}

// When slurmdbd cannot say who is an operator, no token is minted.
func TestResolveFailsClosedWithoutAdminLevels(t *testing.T) {
	id := Identity{Mode: IdentityGrafanaUser, From: MapLogin, DenySlurmAdmins: true}
	_, d := id.Resolve(context.Background(), &Caller{Login: "alice"}, func(context.Context) (map[string]string, error) {
		return nil, errors.New("slurmdbd unreachable")
	})
	if d == nil || d.Status != 503 || !strings.Contains(d.Reason, "slurmdbd unreachable") {
		t.Fatalf("got %+v", d)
	}
}
