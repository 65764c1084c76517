package plugin

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/config"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/actions"
)

// testJWTKey is the HS256 key of the act-as-the-Grafana-user fixtures.
const testJWTKey = "0123456789abcdef0123456789abcdef-actions"

var (
	viewer = &backend.User{Login: "vic", Role: "Viewer"}
	editor = &backend.User{Login: "alice", Email: "alice@example.org", Role: "Editor"}
	admin  = &backend.User{Login: "alice", Email: "alice@example.org", Role: "Admin"}
)

// actingFixture is a data source whose actions run as the Grafana user's
// own Slurm user (alice → alice), with tokens minted from a key the
// server checks like slurmctld.
func actingFixture(t *testing.T, release, version string, jsonData map[string]any) *fixture {
	t.Helper()
	srv := clustertest.Start(t, release, version)
	srv.SetJWTKey([]byte(testJWTKey))
	jd := map[string]any{"authMode": "jwtKey", "actionIdentity": "grafanaUser"}
	for k, v := range jsonData {
		jd[k] = v
	}
	return newFixtureFrom(t, srv, version, jd, map[string]string{"jwtKey": testJWTKey})
}

// actionCall is one resource request and its answer.
type actionCall struct {
	status int
	header http.Header
	body   actionAnswer
	raw    string
}

// act sends a resource request the way Grafana does (the SDK's request
// type, the plugin context with the user and Grafana's config).
func (f *fixture) act(t *testing.T, method, path, body string, user *backend.User, grafana *config.GrafanaCfg) actionCall {
	t.Helper()
	pc := f.pluginContext()
	pc.User, pc.GrafanaConfig = user, grafana
	return callAction(t, f.ds, pc, method, path, body)
}

// callAction sends one resource request to d with the plugin context pc.
func callAction(t *testing.T, d *Datasource, pc backend.PluginContext, method, path, body string) actionCall {
	t.Helper()
	req := &backend.CallResourceRequest{PluginContext: pc, Path: path, Method: method, URL: path, Body: []byte(body)}
	var got *backend.CallResourceResponse
	err := d.CallResource(context.Background(), req, backend.CallResourceResponseSenderFunc(func(r *backend.CallResourceResponse) error {
		got = r
		return nil
	}))
	if err != nil || got == nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	c := actionCall{status: got.Status, header: got.Headers, raw: string(got.Body)}
	_ = json.Unmarshal(got.Body, &c.body)
	return c
}

// fakeGrafanaAPI stands in for Grafana's HTTP API (no Grafana runs here):
// it records annotations and grants RBAC actions per login as the app's
// plugin.json roles grant them to basic roles by default.
type fakeGrafanaAPI struct {
	*httptest.Server
	mu          sync.Mutex
	annotations []map[string]any
	actions     map[string][]string // login → RBAC actions
}

const grafanaSAToken = "glsa_fake-service-account-token-0001"

func newFakeGrafanaAPI(t *testing.T) *fakeGrafanaAPI {
	g := &fakeGrafanaAPI{actions: map[string][]string{"alice": {actions.RBACJobActions, actions.RBACNodeAction}}}
	ids := map[string]int{"alice": 2, "vic": 3, "eve": 4}
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+grafanaSAToken {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		g.mu.Lock()
		defer g.mu.Unlock()
		switch r.URL.Path {
		case "/api/annotations":
			var a map[string]any
			_ = json.NewDecoder(r.Body).Decode(&a)
			g.annotations = append(g.annotations, a)
			_, _ = w.Write([]byte(`{"id":1}`))
		case "/api/org/users/lookup":
			login := r.URL.Query().Get("query")
			_ = json.NewEncoder(w).Encode([]map[string]any{{"userId": ids[login], "login": login}})
		case "/api/access-control/users/permissions/search":
			id := strings.TrimPrefix(r.URL.Query().Get("namespacedId"), "user:")
			perms := map[string][]string{}
			for login, n := range ids {
				if id == jsonNumber(n) {
					for _, a := range g.actions[login] {
						perms[a] = []string{}
					}
				}
			}
			_ = json.NewEncoder(w).Encode(map[string]any{id: perms})
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	t.Cleanup(g.Close)
	return g
}

func jsonNumber(n int) string { b, _ := json.Marshal(n); return string(b) }

func (g *fakeGrafanaAPI) config() *config.GrafanaCfg {
	return config.NewGrafanaCfg(map[string]string{config.AppURL: g.URL, config.AppClientSecret: grafanaSAToken})
}

func (g *fakeGrafanaAPI) annotationTexts() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []string
	for _, a := range g.annotations {
		tags, _ := json.Marshal(a["tags"])
		out = append(out, a["text"].(string)+" "+string(tags))
	}
	return out
}

// A Viewer and a request without a user reach no mutating route, and
// slurmrestd sees no call at all.
func TestActionsRefuseViewersAndRequestsWithoutAUser(t *testing.T) {
	f := newFixture(t, "26.05.3", "v0.0.45", nil, nil)
	for _, tc := range []struct {
		user   *backend.User
		status int
		code   string
	}{{viewer, 403, "role"}, {nil, 403, "no-user"}, {&backend.User{Role: "Admin"}, 403, "no-user"}} {
		for _, path := range []string{"actions/jobs/5029/cancel", "actions/jobs/5029/hold", "actions/nodes/node04/resume"} {
			c := f.act(t, http.MethodPost, path, "", tc.user, nil)
			if c.status != tc.status || c.body.Code != tc.code {
				t.Errorf("%v %s: %d %s", tc.user, path, c.status, c.raw)
			}
		}
		c := f.act(t, http.MethodPost, "actions/jobs/bulk", `{"action":"cancel","jobs":["5029"]}`, tc.user, nil)
		if c.status != tc.status {
			t.Errorf("%v bulk: %d %s", tc.user, c.status, c.raw)
		}
	}
	// An Editor may act on jobs, not on nodes (Admin by default).
	c := f.act(t, http.MethodPost, "actions/nodes/node04/drain", `{"reason":"fan"}`, editor, nil)
	if c.status != 403 || !strings.Contains(c.body.Error, "Admin") {
		t.Errorf("editor drain: %d %s", c.status, c.raw)
	}
	if n := f.srv.Total(); n != 0 {
		t.Errorf("slurmrestd got %d calls from refused requests", n)
	}
}

// As the data source's own user: the recorded answers of 26.05 (v0.0.45)
// to root's cancel and drain are success; the snapshot is asked to refresh.
func TestActionsAsTheDataSourceUser(t *testing.T) {
	f := newFixture(t, "26.05.3", "v0.0.45", nil, nil)
	c := f.act(t, http.MethodPost, "actions/jobs/5029/cancel", "", editor, nil)
	if c.status != 200 || c.body.SlurmUser != clustertest.User || len(c.body.Results) != 1 || c.body.Results[0].Result != actions.ResultDone {
		t.Fatalf("cancel: %d %s", c.status, c.raw)
	}
	c = f.act(t, http.MethodPost, "actions/nodes/node04/drain", `{"reason":"test"}`, admin, nil)
	if c.status != 200 || c.body.Results[0].Result != actions.ResultDone {
		t.Fatalf("drain: %d %s", c.status, c.raw)
	}
	if c.body.Audit.Annotations || !strings.Contains(c.body.Audit.Note, "externalServiceAccounts") {
		t.Errorf("without a service account the answer says no annotation was made: %+v", c.body.Audit)
	}
	logs := f.logs.text()
	for _, want := range []string{"slurm operator action", "action cancel", "target 5029", "result done", "grafanaUser alice", "annotation unavailable"} {
		if !strings.Contains(logs, want) {
			t.Errorf("audit log lacks %q", want)
		}
	}
}

// As the Grafana user's own Slurm user (alice, token minted for her):
// Slurm itself refuses her cancel of bob's job and her drain, and accepts
// the cancel of her own job; every attempt is one annotation.
func TestActionsAsTheGrafanaUsersSlurmUser(t *testing.T) {
	f := actingFixture(t, "26.05.3", "v0.0.45", nil)
	g := newFakeGrafanaAPI(t)
	own := f.act(t, http.MethodPost, "actions/jobs/5031/cancel", "", editor, g.config())
	if own.status != 200 || own.body.SlurmUser != "alice" || own.body.Results[0].Result != actions.ResultDone {
		t.Fatalf("own cancel: %d %s", own.status, own.raw)
	}
	other := f.act(t, http.MethodPost, "actions/jobs/5030/cancel", "", editor, g.config())
	if other.status != 409 || other.body.Results[0].Result != actions.ResultRefused ||
		!strings.Contains(other.body.Results[0].Message, "Access/permission denied") {
		t.Fatalf("bob's job: %d %s", other.status, other.raw)
	}
	drain := f.act(t, http.MethodPost, "actions/nodes/node04/drain", `{"reason":"test"}`, admin, g.config())
	if drain.status != 409 || !strings.Contains(drain.body.Results[0].Message, "Invalid user id") {
		t.Fatalf("alice's drain (26.05: 422, error 2010): %d %s", drain.status, drain.raw)
	}
	texts := g.annotationTexts()
	if len(texts) != 3 || !own.body.Audit.Annotations {
		t.Fatalf("annotations %q, audit %+v", texts, own.body.Audit)
	}
	for i, want := range []string{
		`alice (Editor): cancel job 5031 as Slurm user alice — done ["slurm-action","job:5031","action:cancel","result:done"]`,
		`alice (Editor): cancel job 5030 as Slurm user alice — refused: Slurm: 2002: Access/permission denied: job 5030 ["slurm-action","job:5030","action:cancel","result:refused"]`,
		`alice (Admin): drain node node04 as Slurm user alice — refused: Slurm: 2010: Invalid user id: Failure to update node node04 (reason: test) ["slurm-action","node:node04","action:drain","result:refused"]`,
	} {
		if texts[i] != want {
			t.Errorf("annotation %d: %q\nwant %q", i, texts[i], want)
		}
	}
	if strings.Contains(f.logs.text(), grafanaSAToken) {
		t.Error("the service account token reached the log")
	}
}

// RBAC: with a service account the backend asks Grafana for the app's
// action; a user who lacks it is refused before Slurm is called.
func TestActionsCheckGrafanasRBACWhenItCan(t *testing.T) {
	f := newFixture(t, "26.05.3", "v0.0.45", nil, nil)
	g := newFakeGrafanaAPI(t)
	g.actions["alice"] = nil
	c := f.act(t, http.MethodPost, "actions/jobs/5029/cancel", "", editor, g.config())
	if c.status != 403 || c.body.Code != "rbac" || !strings.Contains(c.body.Error, actions.RBACJobActions) {
		t.Fatalf("%d %s", c.status, c.raw)
	}
	if f.srv.Total() != 0 {
		t.Error("slurmrestd was called")
	}
}

// A mapping that points at root, the SlurmUser, a deny-listed or an
// unmapped user mints no token and calls nothing mutating.
func TestActionsNeverMintForPrivilegedOrUnmappedUsers(t *testing.T) {
	f := actingFixture(t, "26.05.3", "v0.0.45", map[string]any{
		"actionUserMap": map[string]string{"ops": "root", "svc": "slurm"}, "actionDenyUsers": []string{"bob"},
	})
	for login, code := range map[string]string{"ops": "denied-identity", "svc": "denied-identity", "bob": "denied-identity", "mallory": "unmapped", "Not A User": "unmapped"} {
		c := f.act(t, http.MethodPost, "actions/jobs/5031/cancel", "", &backend.User{Login: login, Role: "Editor"}, nil)
		if c.status != 403 || c.body.Code != code {
			t.Errorf("%s: %d %s", login, c.status, c.raw)
		}
	}
	if f.srv.ActionCount() != 0 {
		t.Errorf("%d action calls reached slurmrestd", f.srv.ActionCount())
	}
}

// Node actions on v0.0.38 and requeue before v0.0.45 are unavailable,
// said with the API version, and never attempted.
func TestUnavailableActionsAreNotAttempted(t *testing.T) {
	f := newFixture(t, "23.11.11", "v0.0.38", nil, nil)
	c := f.act(t, http.MethodPost, "actions/nodes/node04/drain", `{"reason":"fan"}`, admin, nil)
	if c.status != 422 || !strings.Contains(c.body.Error, "unavailable on API v0.0.38") {
		t.Fatalf("%d %s", c.status, c.raw)
	}
	c = f.act(t, http.MethodPost, "actions/jobs/3020/requeue", "", editor, nil)
	if c.status != 422 || !strings.Contains(c.body.Error, "requeue is unavailable on API v0.0.38") || !strings.Contains(c.body.Error, "v0.0.45") {
		t.Fatalf("%d %s", c.status, c.raw)
	}
	if f.srv.Total() != 0 {
		t.Errorf("%d calls reached slurmrestd", f.srv.Total())
	}
}

// Bulk requests answer per target.
func TestBulkJobActions(t *testing.T) {
	f := actingFixture(t, "26.05.3", "v0.0.45", nil)
	c := f.act(t, http.MethodPost, "actions/jobs/bulk", `{"action":"cancel","jobs":["5031","5030"]}`, editor, nil)
	if c.status != 200 || len(c.body.Results) != 2 || c.body.Results[0].Result != actions.ResultDone || c.body.Results[1].Result != actions.ResultRefused {
		t.Fatalf("%d %s", c.status, c.raw)
	}
}

// After an action Slurm did, the snapshot is fetched again at once (the
// poller's clock does not move), so the change shows within one refresh;
// a refused action fetches nothing.
func TestActionRefreshesTheSnapshotAtOnce(t *testing.T) {
	f := actingFixture(t, "26.05.3", "v0.0.45", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := f.ds.poller.Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal(err)
	}
	jobs := f.srv.Count("jobs")
	c := f.act(t, http.MethodPost, "actions/jobs/5030/cancel", "", editor, nil) // refused by Slurm
	if c.status != 409 {
		t.Fatalf("%d %s", c.status, c.raw)
	}
	c = f.act(t, http.MethodPost, "actions/jobs/5031/cancel", "", editor, nil)
	if c.status != 200 {
		t.Fatalf("%d %s", c.status, c.raw)
	}
	clustertest.Within(t, 10*time.Second, "the refresh after the action", func() {
		for f.srv.Count("jobs") == jobs {
			<-f.srv.Started()
		}
	})
	if got := f.srv.Count("jobs"); got != jobs+1 {
		t.Errorf("jobs fetched %d more times after one done and one refused action, want 1", got-jobs)
	}
}
