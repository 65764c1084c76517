package actions

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// No Grafana server runs here: this stands in for the three endpoints of
// Grafana's HTTP API the plugin calls, answering as Grafana 12 documents
// them (bodies of /api/org/users/lookup and
// /api/access-control/users/permissions/search as Grafana's own handlers
// build them), and refusing a request without the service account token.
type fakeGrafana struct {
	*httptest.Server
	annotations []map[string]any
	perms       map[string]map[string][]string
}

const saToken = "glsa_service-account-token-never-shown"

func newFakeGrafana(t *testing.T) *fakeGrafana {
	g := &fakeGrafana{perms: map[string]map[string][]string{
		"7": {RBACJobActions: {}},
	}}
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+saToken {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/api/annotations":
			var a map[string]any
			b, _ := io.ReadAll(r.Body)
			if err := json.Unmarshal(b, &a); err != nil {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
			g.annotations = append(g.annotations, a)
			_, _ = w.Write([]byte(`{"id":1,"message":"Annotation added"}`))
		case r.URL.Path == "/api/org/users/lookup":
			_, _ = w.Write([]byte(`[{"uid":"u7","userId":7,"login":"alice","avatarUrl":""},{"uid":"u8","userId":8,"login":"alice2","avatarUrl":""}]`))
		case r.URL.Path == "/api/access-control/users/permissions/search":
			if r.URL.Query().Get("actionPrefix") != RBACPrefix {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
			id := strings.TrimPrefix(r.URL.Query().Get("namespacedId"), "user:")
			_ = json.NewEncoder(w).Encode(map[string]map[string][]string{id: g.perms[id]})
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	t.Cleanup(g.Close)
	return g
}

func TestAnnotate(t *testing.T) {
	g := newFakeGrafana(t)
	api := GrafanaAPI{URL: g.URL + "/", Token: saToken}
	r := Record{Time: time.UnixMilli(1_795_000_000_123), GrafanaUser: "alice", Role: RoleEditor, SlurmUser: "alice",
		Action: Hold, Family: FamilyJobs, Target: "7015", Result: ResultDone}
	if err := api.Annotate(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	if len(g.annotations) != 1 {
		t.Fatalf("%d annotations", len(g.annotations))
	}
	a := g.annotations[0]
	if a["time"] != float64(1_795_000_000_123) || a["text"] != r.Text() {
		t.Errorf("annotation %v", a)
	}
	if tags, _ := json.Marshal(a["tags"]); string(tags) != `["slurm-action","job:7015","action:hold","result:done"]` {
		t.Errorf("tags %s", tags)
	}
	if _, ok := a["dashboardUID"]; ok {
		t.Error("an organisation annotation names no dashboard")
	}
}

func TestHasAction(t *testing.T) {
	g := newFakeGrafana(t)
	api := GrafanaAPI{URL: g.URL, Token: saToken}
	ok, err := api.HasAction(context.Background(), "alice", RBACJobActions)
	if err != nil || !ok {
		t.Fatalf("alice holds the job action: %v %v", ok, err)
	}
	ok, err = api.HasAction(context.Background(), "alice", RBACNodeAction)
	if err != nil || ok {
		t.Fatalf("alice does not hold the node action: %v %v", ok, err)
	}
	if _, err := api.HasAction(context.Background(), "mallory", RBACJobActions); err == nil {
		t.Error("an unknown login is an error, not a no")
	}
}

func TestGrafanaAPIErrorsNeverShowTheToken(t *testing.T) {
	g := newFakeGrafana(t)
	wrong := GrafanaAPI{URL: g.URL, Token: saToken + "-wrong"}
	err := wrong.Annotate(context.Background(), Record{Action: Cancel, Target: "1"})
	if err == nil || !strings.Contains(err.Error(), "HTTP 401") || strings.Contains(err.Error(), saToken) {
		t.Errorf("got %v", err)
	}
	if err := (GrafanaAPI{URL: g.URL}).Annotate(context.Background(), Record{}); !errors.Is(err, ErrNoGrafanaAPI) {
		t.Errorf("without a token: %v", err)
	}
	down := GrafanaAPI{URL: "http://127.0.0.1:1", Token: saToken}
	if err := down.Annotate(context.Background(), Record{}); err == nil || strings.Contains(err.Error(), saToken) {
		t.Errorf("unreachable: %v", err)
	}
}
