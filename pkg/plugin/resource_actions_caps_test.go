package plugin

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

func (f *fixture) capabilities(t *testing.T, user *backend.User, g *fakeGrafanaAPI) actionCapabilities {
	t.Helper()
	var c actionCall
	if g != nil {
		c = f.act(t, http.MethodGet, "actions/capabilities", "", user, g.config())
	} else {
		c = f.act(t, http.MethodGet, "actions/capabilities", "", user, nil)
	}
	if c.status != 200 {
		t.Fatalf("capabilities: %d %s", c.status, c.raw)
	}
	var caps actionCapabilities
	if err := json.Unmarshal([]byte(c.raw), &caps); err != nil {
		t.Fatal(err)
	}
	return caps
}

// The capabilities say, per action, whether this user may act and why not:
// role, API version, identity; and they change nothing.
func TestActionCapabilities(t *testing.T) {
	f := newFixture(t, "23.11.11", "v0.0.38", nil, nil)
	caps := f.capabilities(t, viewer, nil)
	if caps.APIVersion != "v0.0.38" || caps.User == nil || caps.User.Role != "Viewer" || len(caps.Actions) != 6 {
		t.Fatalf("%+v", caps)
	}
	for name, c := range caps.Actions {
		if c.Allowed || c.Code != "role" {
			t.Errorf("viewer %s: %+v", name, c)
		}
	}
	caps = f.capabilities(t, editor, nil)
	want := map[string]string{"cancel": "", "hold": "", "release": "", "requeue": "unsupported", "drain": "role", "resume": "role"}
	for name, code := range want {
		if c := caps.Actions[name]; c.Allowed != (code == "") || c.Code != code {
			t.Errorf("editor %s: %+v", name, c)
		}
	}
	caps = f.capabilities(t, admin, nil)
	if c := caps.Actions["drain"]; c.Allowed || !strings.Contains(c.Reason, "unavailable on API v0.0.38") || !c.NeedsReason || c.Since != "v0.0.39" {
		t.Errorf("admin drain on v0.0.38: %+v", c)
	}
	if caps.RBAC.Checked || caps.Audit.Annotations || caps.Audit.Note == "" || caps.MaxTargets != 128 || caps.Identity.SlurmUser != "grafana" {
		t.Errorf("%+v", caps)
	}
	if none := f.capabilities(t, nil, nil); none.User != nil || none.Actions["cancel"].Code != "no-user" {
		t.Errorf("without a user: %+v", none)
	}
	if f.srv.ActionCount() != 0 {
		t.Error("capabilities made an action call")
	}
}

// In act-as-user mode an unmapped user's buttons say so.
func TestActionCapabilitiesSayUnmapped(t *testing.T) {
	f := actingFixture(t, "26.05.3", "v0.0.45", map[string]any{"actionUserMapping": "table", "actionUserMap": map[string]string{"alice": "alice"}})
	g := newFakeGrafanaAPI(t)
	caps := f.capabilities(t, &backend.User{Login: "eve", Role: "Admin"}, g)
	if c := caps.Actions["cancel"]; c.Allowed || c.Code != "rbac" {
		t.Errorf("eve lacks the RBAC action: %+v", c)
	}
	g.actions["eve"] = g.actions["alice"]
	caps = f.capabilities(t, &backend.User{Login: "eve", Role: "Admin"}, g)
	if c := caps.Actions["cancel"]; c.Allowed || c.Code != "unmapped" || !strings.Contains(c.Reason, "mapping table") {
		t.Errorf("eve is unmapped: %+v", c)
	}
	caps = f.capabilities(t, admin, g)
	if !caps.Actions["requeue"].Allowed || !caps.Actions["drain"].Allowed || caps.Identity.SlurmUser != "alice" || !caps.RBAC.Checked || !caps.Audit.Annotations {
		t.Errorf("alice: %+v", caps)
	}
}
