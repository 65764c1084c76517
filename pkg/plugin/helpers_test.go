package plugin

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
	"github.com/jonboulle/clockwork"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// recordingLogger keeps every log line so tests can scan them for secrets.
type recordingLogger struct {
	mu    *sync.Mutex
	lines *[]string
	args  []any
}

func newRecordingLogger() *recordingLogger {
	return &recordingLogger{mu: &sync.Mutex{}, lines: &[]string{}}
}

func (l *recordingLogger) record(level, msg string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	*l.lines = append(*l.lines, fmt.Sprint(level, " ", msg, " ", l.args, " ", args))
}

func (l *recordingLogger) Debug(msg string, args ...any) { l.record("debug", msg, args...) }
func (l *recordingLogger) Info(msg string, args ...any)  { l.record("info", msg, args...) }
func (l *recordingLogger) Warn(msg string, args ...any)  { l.record("warn", msg, args...) }
func (l *recordingLogger) Error(msg string, args ...any) { l.record("error", msg, args...) }
func (l *recordingLogger) Level() log.Level              { return log.Debug }
func (l *recordingLogger) FromContext(context.Context) log.Logger {
	return l
}
func (l *recordingLogger) With(args ...any) log.Logger {
	next := *l
	next.args = append(append([]any(nil), l.args...), args...)
	return &next
}

func (l *recordingLogger) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(*l.lines, "\n")
}

// fixture is a data source instance reading a clustertest server.
type fixture struct {
	clock    *clockwork.FakeClock // the poller's clock: tests advance it instead of sleeping
	srv      *clustertest.Server
	ds       *Datasource
	settings backend.DataSourceInstanceSettings
	logs     *recordingLogger
	reg      *prometheus.Registry
}

// newFixture starts a server serving release/version and builds the data
// source for it the way Grafana would, with a token the server accepts
// unless secure overrides it. Logs are captured and scanned for the token.
func newFixture(t *testing.T, release, version string, jsonData map[string]any, secure map[string]string) *fixture {
	t.Helper()
	return newFixtureFrom(t, clustertest.Start(t, release, version), version, jsonData, secure)
}

// newFixtureFrom builds the data source for an already started server.
func newFixtureFrom(t *testing.T, srv *clustertest.Server, version string, jsonData map[string]any, secure map[string]string) *fixture {
	t.Helper()
	return newFixtureAt(t, srv, srv.URL(), version, jsonData, secure)
}

// newFixtureAt builds the data source for srv reached at url (e.g. through
// a TLS front).
func newFixtureAt(t *testing.T, srv *clustertest.Server, url, version string, jsonData map[string]any, secure map[string]string) *fixture {
	t.Helper()
	f := &fixture{
		clock: clockwork.NewFakeClockAt(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)),
		srv:   srv, logs: newRecordingLogger(), reg: prometheus.NewRegistry(),
	}
	saved := log.DefaultLogger
	log.DefaultLogger = f.logs
	t.Cleanup(func() { log.DefaultLogger = saved })

	jd := map[string]any{"slurmUser": clustertest.User, "apiVersion": version}
	for k, v := range jsonData {
		jd[k] = v
	}
	if secure == nil {
		secure = map[string]string{"token": clustertest.Token}
	}
	f.settings = instanceSettings(t, url, jd, secure)
	metrics, err := cluster.NewMetrics(f.reg)
	if err != nil {
		t.Fatal(err)
	}
	// Retries wait a few milliseconds, not the production 200 ms doubling:
	// a test of an unreachable server does not wait for real backoff.
	f.ds, err = newDatasource(f.settings, metrics, f.clock, func(c *slurm.Config) {
		c.RetryInitial, c.RetryMax = time.Millisecond, 4*time.Millisecond
	})
	if err != nil {
		t.Fatalf("newDatasource: %v", err)
	}
	t.Cleanup(func() {
		f.ds.Dispose()
		for _, secret := range []string{clustertest.Token, secure["token"], secure["jwtKey"]} {
			if secret != "" && strings.Contains(f.logs.text(), secret) {
				t.Errorf("a secret appeared in the logs")
			}
		}
	})
	return f
}

func (f *fixture) pluginContext() backend.PluginContext {
	s := f.settings
	return backend.PluginContext{PluginID: PluginID, DataSourceInstanceSettings: &s}
}

// advance moves the poller's clock by d once its refresh loop waits on it,
// and waits for the refreshes that came due to end.
func (f *fixture) advance(t *testing.T, d time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := f.clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatalf("the refresh loop is not waiting on its clock: %v", err)
	}
	f.clock.Advance(d)
	if err := f.clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatalf("the refresh loop did not come back to its clock: %v", err)
	}
}
