package plugin

import (
	"context"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/config"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/actions"
)

// annotationsUnavailable is said in the log and in every action answer
// when Grafana gave the data source no service account: the actions still
// happen, and the log line is their only record.
const annotationsUnavailable = "no Grafana annotation was created: Grafana gave the data source no service account to create it with (Grafana ≥ 12 with the externalServiceAccounts feature toggle and [auth] managed_service_accounts_enabled = true); the audit log line is the record"

// grafanaAPIFrom is Grafana's HTTP API as the plugin context offers it:
// Grafana's URL and the managed service account token of plugin.json's
// "iam" section (both absent when the feature is off).
func grafanaAPIFrom(ctx context.Context) actions.GrafanaAPI {
	cfg := backend.PluginConfigFromContext(ctx).GrafanaConfig
	if cfg == nil {
		cfg = config.GrafanaConfigFromContext(ctx)
	}
	if cfg == nil {
		return actions.GrafanaAPI{}
	}
	url, err := cfg.AppURL()
	if err != nil {
		return actions.GrafanaAPI{}
	}
	token, err := cfg.PluginAppClientSecret()
	if err != nil {
		return actions.GrafanaAPI{}
	}
	return actions.GrafanaAPI{URL: url, Token: token}
}

// auditor leaves one structured log line and one Grafana annotation per
// attempt of one request.
type auditor struct {
	d      *Datasource
	ctx    context.Context
	caller *actions.Caller
	api    actions.GrafanaAPI
	// made counts annotations created; note says why some were not. After
	// the first failure the request stops trying (Grafana is down or the
	// account lacks the permission: every other attempt would wait too).
	made, missed int
	note         string
}

func (d *Datasource) newAuditor(ctx context.Context, c *actions.Caller) *auditor {
	return &auditor{d: d, ctx: ctx, caller: c, api: grafanaAPIFrom(ctx)}
}

func (a *auditor) record(r actions.Record) {
	r.Time = a.d.now()
	r.Cluster = a.d.uid
	annotation := "created"
	switch {
	case !a.api.Available():
		a.note, annotation = annotationsUnavailable, "unavailable"
		a.missed++
	case a.note != "":
		annotation = "skipped after an earlier failure"
		a.missed++
	default:
		if err := a.api.Annotate(context.WithoutCancel(a.ctx), r); err != nil {
			a.note = "the Grafana annotation could not be created: " + a.d.scrub(err.Error()) + "; the audit log line is the record"
			annotation = "failed: " + a.d.scrub(err.Error())
			a.missed++
		} else {
			a.made++
		}
	}
	args := append(r.LogArgs(), "datasource", a.d.uid, "annotation", annotation)
	for i := range args {
		if s, ok := args[i].(string); ok {
			args[i] = a.d.scrub(s)
		}
	}
	a.d.logger.Info("slurm operator action", args...)
}

func (a *auditor) state() auditState {
	return auditState{Annotations: a.missed == 0 && a.made > 0, Note: a.note}
}

// adminLevelsTTL is how long slurmdbd's administrator levels are reused: a
// new operator is refused a minted token within a minute.
const adminLevelsTTL = time.Minute

// adminCache keeps slurmdbd's users' admin levels for the identity check.
type adminCache struct {
	mu     sync.Mutex
	at     time.Time
	levels map[string]string
}

// adminLevels returns every Slurm user's admin level, read from slurmdbd at
// most once a minute (as the data source's own user).
func (d *Datasource) adminLevels(ctx context.Context) (map[string]string, error) {
	d.admins.mu.Lock()
	defer d.admins.mu.Unlock()
	if d.admins.levels != nil && d.now().Sub(d.admins.at) < adminLevelsTTL {
		return d.admins.levels, nil
	}
	users, err := d.client.Users(ctx)
	if err != nil {
		return nil, err
	}
	levels := make(map[string]string, len(users))
	for _, u := range users {
		levels[u.Name] = u.AdminLevel
	}
	d.admins.levels, d.admins.at = levels, d.now()
	return levels, nil
}
