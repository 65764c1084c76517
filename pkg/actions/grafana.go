package actions

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// RBAC actions the app declares in its plugin.json (roles, granted to
// Editor and Admin by default). Grafana shows and assigns them; the backend
// checks them when Grafana lets it (GrafanaAPI.HasAction).
const (
	RBACPrefix     = "hpc-slurm-app."
	RBACJobActions = RBACPrefix + "jobs:operate"
	RBACNodeAction = RBACPrefix + "nodes:operate"
)

// RBACAction is the RBAC action a family needs.
func RBACAction(f Family) string {
	if f == FamilyNodes {
		return RBACNodeAction
	}
	return RBACJobActions
}

// GrafanaAPI calls Grafana's HTTP API with the data source's managed
// service account (plugin.json "iam"; Grafana gives its token to the plugin
// when the externalServiceAccounts feature is on). Token is a secret: it is
// sent in one header and never put into an error or a log.
type GrafanaAPI struct {
	URL   string // Grafana's root URL (the plugin's AppURL)
	Token string
	HTTP  *http.Client // nil: a client with a 5 s timeout
}

// ErrNoGrafanaAPI: Grafana gave the plugin no service account (the
// externalServiceAccounts feature is off, or an older Grafana).
var ErrNoGrafanaAPI = errors.New("the data source has no service account token from Grafana (enable the externalServiceAccounts feature toggle and [auth] managed_service_accounts_enabled)")

// Available tells whether the API can be called at all.
func (g GrafanaAPI) Available() bool { return g.URL != "" && g.Token != "" }

// Annotate creates the record's organisation annotation (no dashboard), so
// every dashboard and page can show it by its tags.
func (g GrafanaAPI) Annotate(ctx context.Context, r Record) error {
	body, err := json.Marshal(map[string]any{
		"time": r.Time.UnixMilli(),
		"tags": r.Tags(),
		"text": r.Text(),
	})
	if err != nil {
		return err
	}
	_, err = g.call(ctx, http.MethodPost, "/api/annotations", nil, body)
	return err
}

// HasAction tells whether the Grafana user with this login holds an RBAC
// action, asking Grafana (the plugin context carries the user's role, not
// their permissions): the user's id by login, then their permissions with
// the app's prefix.
func (g GrafanaAPI) HasAction(ctx context.Context, login, action string) (bool, error) {
	data, err := g.call(ctx, http.MethodGet, "/api/org/users/lookup", url.Values{"query": {login}, "limit": {"100"}}, nil)
	if err != nil {
		return false, err
	}
	var users []struct {
		UserID int64  `json:"userId"`
		Login  string `json:"login"`
	}
	if err := json.Unmarshal(data, &users); err != nil {
		return false, fmt.Errorf("the user lookup of Grafana answered something else than a user list")
	}
	id := int64(-1)
	for _, u := range users {
		if u.Login == login {
			id = u.UserID
		}
	}
	if id < 0 {
		return false, fmt.Errorf("the user lookup of Grafana does not know login %q", login)
	}
	data, err = g.call(ctx, http.MethodGet, "/api/access-control/users/permissions/search",
		url.Values{"namespacedId": {"user:" + strconv.FormatInt(id, 10)}, "actionPrefix": {RBACPrefix}}, nil)
	if err != nil {
		return false, err
	}
	var perms map[string]map[string][]string
	if err := json.Unmarshal(data, &perms); err != nil {
		return false, fmt.Errorf("the permission search of Grafana answered something else than permissions")
	}
	_, ok := perms[strconv.FormatInt(id, 10)][action]
	return ok, nil
}

func (g GrafanaAPI) call(ctx context.Context, method, path string, q url.Values, body []byte) ([]byte, error) {
	if !g.Available() {
		return nil, ErrNoGrafanaAPI
	}
	u := strings.TrimRight(g.URL, "/") + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, u, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("the URL of Grafana %q is not usable", g.URL)
	}
	req.Header.Set("Authorization", "Bearer "+g.Token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	hc := g.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 5 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("%s %s: reading the answer: %w", method, path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, fmt.Errorf("%s %s: Grafana answered HTTP %d (the service account may lack the permission plugin.json's iam section asks for)", method, path, resp.StatusCode)
	}
	return data, nil
}
