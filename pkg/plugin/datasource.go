// Package plugin is the Grafana side of the Slurm data source: one file per
// SDK handler (QueryData, CallResource, CheckHealth) on top of one slurm
// client and one cluster poller per data source instance.
package plugin

import (
	"time"

	"context"
	"fmt"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/jonboulle/clockwork"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// PluginID is the id of the data source in src/datasource/plugin.json.
const PluginID = "hpc-slurm-datasource"

// Make sure Datasource implements the SDK handlers it is meant to.
var (
	_ backend.QueryDataHandler      = (*Datasource)(nil)
	_ backend.CheckHealthHandler    = (*Datasource)(nil)
	_ backend.CallResourceHandler   = (*Datasource)(nil)
	_ instancemgmt.InstanceDisposer = (*Datasource)(nil)
)

// Datasource is one configured Slurm data source.
type Datasource struct {
	uid      string
	settings Settings
	client   *slurm.Client
	poller   *cluster.Poller
	logger   log.Logger // redacting: no log line carries a secret
	redact   *redactor  // applied to everything that leaves the backend
	routes   backend.CallResourceHandler
	now      func() time.Time // the wall clock; golden tests fix it
	pending  pendingCache     // explanations of the current snapshot
	shared   sharedFrames     // pages built once for every viewer of the same data
	admins   adminCache       // slurmdbd's admin levels, for the action identity check
	// healthTimeout bounds a health check (healthTimeout; tests shorten it).
	healthTimeout time.Duration
}

// NewDatasource builds the instance Grafana asks for whenever a data source
// is created or its settings change (the old instance is disposed).
func NewDatasource(_ context.Context, ds backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	return newDatasource(ds, processMetrics(), nil)
}

// newDatasource builds an instance with its metrics and the poller's clock
// (nil: the wall clock; tests pass a fake one). Tests may adjust the slurm
// client's configuration (shorter retry waits) with configure.
func newDatasource(ds backend.DataSourceInstanceSettings, metrics *cluster.Metrics, clock clockwork.Clock, configure ...func(*slurm.Config)) (*Datasource, error) {
	s, err := ParseSettings(ds)
	if err != nil {
		return nil, err
	}
	redact := newRedactor(s, ds.DecryptedSecureJSONData)
	logger := newRedactingLogger(log.DefaultLogger.With("datasource", ds.UID), redact)
	d := &Datasource{
		uid:      ds.UID,
		settings: s,
		logger:   logger,
		redact:   redact,
		now:      time.Now,

		healthTimeout: healthTimeout,
	}
	cfg := slurm.Config{
		URL:           s.URL,
		APIVersion:    s.APIVersion,
		User:          s.SlurmUser,
		JWTLifespan:   s.JWTLifespan,
		Timeout:       s.Timeout,
		TLSSkipVerify: s.TLSSkipVerify,
		CACertPEM:     string(s.CACertPEM),
		Logger:        newSlogLogger(logger),
	}
	switch s.AuthMode {
	case AuthModeToken:
		cfg.Token = s.Token
	case AuthModeJWTKey:
		cfg.JWTKey = s.JWTKey
	}
	for _, c := range configure {
		c(&cfg)
	}
	d.client, err = slurm.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("invalid data source settings: %s", d.scrub(err.Error()))
	}
	// Minted tokens are the client's to know.
	redact.client = d.client.Secrets
	d.poller, err = cluster.New(d.client, cluster.Options{
		Name:       ds.UID,
		Interval:   s.RefreshInterval,
		StaleLimit: s.StaleLimit,
		Metrics:    metrics,
		Logger:     newSlogLogger(logger),
		Clock:      clock,
		// Explanations of pending jobs are built ahead while they are read.
		AfterRefresh: func(ctx context.Context, snap *cluster.Snapshot) { d.warmPending(ctx, snap) },
	})
	if err != nil {
		d.client.Close()
		return nil, fmt.Errorf("invalid data source settings: %w", err)
	}
	d.routes = d.newResourceRoutes()
	return d, nil
}

// Dispose stops the poller and releases connections; Grafana calls it when
// the settings change or the data source is deleted.
func (d *Datasource) Dispose() {
	d.poller.Stop()
	d.client.Close()
}

// scrub redacts a message that a handler puts into frame data (where the
// boundary redaction of errors and notices does not look).
func (d *Datasource) scrub(msg string) string { return d.redact.String(msg) }
