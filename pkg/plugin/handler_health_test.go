package plugin

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"io"
	stdlog "log"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
)

// health runs a health check; one that never returns fails the test (a hang
// guard, not a timing: health's own deadline is tested with a short one).
func (f *fixture) health(t *testing.T) (*backend.CheckHealthResult, healthDetails, time.Duration) {
	t.Helper()
	var (
		res *backend.CheckHealthResult
		err error
	)
	start := time.Now()
	clustertest.Within(t, 10*time.Second, "CheckHealth", func() {
		res, err = f.ds.CheckHealth(context.Background(), &backend.CheckHealthRequest{PluginContext: f.pluginContext()})
	})
	took := time.Since(start) // for the log only
	if err != nil {
		t.Fatalf("CheckHealth returned a Go error: %v", err)
	}
	var d healthDetails
	if err := json.Unmarshal(res.JSONDetails, &d); err != nil {
		t.Fatalf("JSONDetails %q: %v", res.JSONDetails, err)
	}
	return res, d, took
}

func TestHealthOKNamesClusterVersionsAndNodeCount(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.41", nil, nil)
	res, d, _ := f.health(t)
	want := "Connected to cluster demo: Slurm 25.05.8, API v0.0.41, 6 nodes"
	if res.Status != backend.HealthStatusOk || res.Message != want {
		t.Fatalf("got %s %q, want OK %q", res.Status, res.Message, want)
	}
	if d.ClusterName != "demo" || d.SlurmVersion != "25.05.8" || d.APIVersion != "v0.0.41" || d.NodeCount != 6 {
		t.Errorf("details %+v", d)
	}
}

func TestHealthNegotiatesTheHighestCommonAPIVersion(t *testing.T) {
	// 26.05.3 serves v0.0.42–v0.0.45; "auto" must pick v0.0.45.
	f := newFixture(t, "26.05.3", "v0.0.45", map[string]any{"apiVersion": "auto"}, nil)
	res, d, _ := f.health(t)
	if res.Status != backend.HealthStatusOk || d.APIVersion != "v0.0.45" || d.SlurmVersion != "26.05.3" {
		t.Fatalf("got %s %q %+v", res.Status, res.Message, d)
	}
}

func TestHealthSaysTheTokenWasRejected(t *testing.T) {
	for _, fault := range []clustertest.Fault{clustertest.BadToken, clustertest.NoAuth} {
		f := newFixture(t, "25.05.8", "v0.0.41", nil, nil)
		f.srv.SetFault(fault)
		res, d, _ := f.health(t)
		if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, `slurmrestd rejected the token for Slurm user "grafana"`) {
			t.Errorf("fault %d: got %s %q", fault, res.Status, res.Message)
		}
		if d.ErrorKind != "unauthenticated" {
			t.Errorf("fault %d: error kind %q", fault, d.ErrorKind)
		}
		if strings.Contains(res.Message, clustertest.Token) {
			t.Error("the token is in the message")
		}
	}
}

func TestHealthWithAWrongJWTKeyPointsAtTheKey(t *testing.T) {
	const key = "this-is-not-the-clusters-jwt-key-0123456789"
	f := newFixture(t, "25.05.8", "v0.0.41", map[string]any{"authMode": "jwtKey"}, map[string]string{"jwtKey": key})
	res, _, _ := f.health(t)
	if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "JWT key does not match") {
		t.Errorf("got %s %q", res.Status, res.Message)
	}
	if strings.Contains(res.Message, key) {
		t.Error("the key is in the message")
	}
}

func TestHealthReportsUnreachable(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.41", nil, nil)
	addr := f.srv.Addr()
	f.srv.Kill()
	res, d, _ := f.health(t)
	if res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "slurmrestd is unreachable at http://"+addr) || d.ErrorKind != "unreachable" {
		t.Errorf("got %s %q %+v", res.Status, res.Message, d)
	}
}

func TestHealthOverHTTPSChecksTheCertificate(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.41", nil, nil)
	// The same recorded answers behind TLS with a certificate no system trusts.
	tlsSrv := httptest.NewUnstartedServer(f.srv)
	tlsSrv.Config.ErrorLog = stdlog.New(io.Discard, "", 0) // the failed handshake is expected
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsSrv.Certificate().Raw}))

	check := func(jsonData map[string]any, secure map[string]string) *backend.CheckHealthResult {
		t.Helper()
		jd := map[string]any{"slurmUser": clustertest.User, "apiVersion": "v0.0.41"}
		for k, v := range jsonData {
			jd[k] = v
		}
		sec := map[string]string{"token": clustertest.Token}
		for k, v := range secure {
			sec[k] = v
		}
		ds, err := newDatasource(instanceSettings(t, tlsSrv.URL, jd, sec), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer ds.Dispose()
		res, err := ds.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := check(nil, nil); res.Status != backend.HealthStatusError || !strings.Contains(res.Message, "TLS connection to slurmrestd") {
		t.Errorf("untrusted certificate: got %s %q", res.Status, res.Message)
	}
	if res := check(map[string]any{"tlsWithCACert": true}, map[string]string{"tlsCACert": caPEM}); res.Status != backend.HealthStatusOk {
		t.Errorf("with the server's CA: got %s %q", res.Status, res.Message)
	}
	if res := check(map[string]any{"tlsSkipVerify": true}, nil); res.Status != backend.HealthStatusOk {
		t.Errorf("with skip-verify: got %s %q", res.Status, res.Message)
	}
}

func TestHealthStopsAtItsDeadlineWhenSlurmrestdStalls(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.41", map[string]any{"timeoutSeconds": 30}, nil)
	// The check's own deadline, not the 30 s request timeout, ends it. (The
	// production bound of 4.5 s is measured in bench/hostile.)
	f.ds.healthTimeout = 100 * time.Millisecond
	f.srv.SetFault(clustertest.Stall)
	res, d, took := f.health(t)
	t.Logf("stalled slurmrestd: answered in %s: %q", took.Round(time.Millisecond), res.Message)
	if res.Status != backend.HealthStatusError || d.ErrorKind != "timeout" || !strings.Contains(res.Message, "did not answer within") {
		t.Errorf("got %s %q %+v", res.Status, res.Message, d)
	}
}

func TestHealthReportsSlurmctldDownFromPing(t *testing.T) {
	// A real slurmrestd answers ping with the controller DOWN when slurmctld
	// is gone; the recorded fixtures have it UP, so flip that one field.
	f := newFixture(t, "25.05.8", "v0.0.41", nil, nil)
	f.srv.Replace("ping", func(body []byte) []byte {
		return []byte(strings.Replace(string(body), `"pinged": "UP"`, `"pinged": "DOWN"`, 1))
	})
	res, d, _ := f.health(t)
	if res.Status != backend.HealthStatusError || !strings.HasPrefix(res.Message, "slurmctld is down") || d.ErrorKind != "slurmctld down" {
		t.Errorf("got %s %q %+v", res.Status, res.Message, d)
	}
}

func TestHealthNamesAPinnedVersionTheServerDoesNotServe(t *testing.T) {
	// 23.11.11 serves v0.0.38–v0.0.40; a pin to v0.0.44 meets 404s.
	f := newFixture(t, "23.11.11", "v0.0.40", map[string]any{"apiVersion": "v0.0.44"}, nil)
	res, d, _ := f.health(t)
	if res.Status != backend.HealthStatusError || d.ErrorKind != "unsupported version" ||
		!strings.Contains(res.Message, "does not serve API v0.0.44 (it offers v0.0.38, v0.0.39, v0.0.40)") {
		t.Errorf("got %s %q %+v", res.Status, res.Message, d)
	}
}

func TestHealthOverAUnixSocket(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.41", nil, nil)
	sock := filepath.Join(t.TempDir(), "slurmrestd.socket")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: f.srv, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()

	ds, err := newDatasource(instanceSettings(t, "unix://"+sock,
		map[string]any{"slurmUser": clustertest.User, "apiVersion": "v0.0.41"}, map[string]string{"token": clustertest.Token}), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Dispose()
	res, err := ds.CheckHealth(context.Background(), &backend.CheckHealthRequest{})
	if err != nil || res.Status != backend.HealthStatusOk || !strings.Contains(res.Message, "6 nodes") {
		t.Errorf("health over %s: %v %s %q", sock, err, res.Status, res.Message)
	}
}

// API v0.0.38/39 ping names no cluster: the health check says the name is not
// known yet until the poller (sharing the client) has decoded a jobs answer,
// then shows the cluster of that answer.
func TestHealthClusterNameOnV38AndV39ComesWithJobs(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	own := filepath.Join(filepath.Dir(file), "..", "slurm", "testdata")
	for _, c := range []struct {
		release, version string
		start            func(t *testing.T) *clustertest.Server
	}{
		{"22.05.8", "v0.0.38", func(t *testing.T) *clustertest.Server { return clustertest.StartIn(t, own, "22.05.8", "v0.0.38") }},
		{"23.11.11", "v0.0.38", func(t *testing.T) *clustertest.Server { return clustertest.Start(t, "23.11.11", "v0.0.38") }},
		{"23.11.11", "v0.0.39", func(t *testing.T) *clustertest.Server { return clustertest.Start(t, "23.11.11", "v0.0.39") }},
	} {
		t.Run(c.release+"/"+c.version, func(t *testing.T) {
			f := newFixtureFrom(t, c.start(t), c.version, nil, nil)
			res, d, _ := f.health(t)
			want := "Connected to cluster (name not known yet: API " + c.version + " reports it only with jobs): Slurm " +
				c.release + ", API " + c.version + ", 6 nodes"
			if res.Status != backend.HealthStatusOk || res.Message != want {
				t.Fatalf("before jobs: got %s %q, want OK %q", res.Status, res.Message, want)
			}
			if d.ClusterName != "" {
				t.Errorf("before jobs: details cluster %q", d.ClusterName)
			}

			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			snap, err := f.ds.poller.Snapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(snap.Jobs) == 0 {
				t.Fatal("the recording has no jobs")
			}
			res, d, _ = f.health(t)
			want = "Connected to cluster demo: Slurm " + c.release + ", API " + c.version + ", 6 nodes"
			if res.Status != backend.HealthStatusOk || res.Message != want {
				t.Fatalf("after jobs: got %s %q, want OK %q", res.Status, res.Message, want)
			}
			if d.ClusterName != "demo" {
				t.Errorf("after jobs: details cluster %q", d.ClusterName)
			}
		})
	}
}
