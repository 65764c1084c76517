package plugin

import (
	"encoding/pem"
	"io"
	stdlog "log"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
)

// On first contact with API version "auto", health names the real cause of
// a failure, as it does with a pinned version, instead of "Unsupported
// slurmrestd API version".
func TestHealthOnFirstContactNamesTheRealCause(t *testing.T) {
	cases := []struct {
		fault    clustertest.Fault
		kind     string
		contains string
	}{
		// 23.11's answer to a token slurmdbd rejects: HTTP 500, error 7000.
		{clustertest.Status500, "server error", "slurm error 7000: Unable to connect to database"},
		{clustertest.BadToken, "unauthenticated", `slurmrestd rejected the token for Slurm user "grafana"`},
		{clustertest.Redirect, "server error", `redirected to "https://`},
	}
	for _, pinned := range []string{"auto", "v0.0.43"} {
		for _, c := range cases {
			f := newFixture(t, "25.05.8", "v0.0.43", map[string]any{"apiVersion": pinned}, nil)
			f.srv.SetFault(c.fault)
			res, d, _ := f.health(t)
			if res.Status != backend.HealthStatusError || d.ErrorKind != c.kind || !strings.Contains(res.Message, c.contains) {
				t.Errorf("%s, fault %d: got %s %q %+v, want %s naming %q", pinned, c.fault, res.Status, res.Message, d, c.kind, c.contains)
			}
			if strings.Contains(res.Message, "Unsupported") || strings.Contains(res.Message, "does not serve API") {
				t.Errorf("%s, fault %d: blamed on the API version: %q", pinned, c.fault, res.Message)
			}
		}
	}
}

// slurmrestd restarted with another API version (auto): the next health
// check and the next refresh use the new version, without a new instance.
func TestARestartWithAnotherAPIVersionIsPickedUpWithoutRestartingGrafana(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.43", map[string]any{"apiVersion": "auto"}, nil)
	if res, d, _ := f.health(t); res.Status != backend.HealthStatusOk || d.APIVersion != "v0.0.43" {
		t.Fatalf("before: %s %q", res.Status, res.Message)
	}
	if n := len(cells(t, singleFrame(t, f.query(t, "nodes", nil)), "node")); n != 6 {
		t.Fatalf("nodes before: %d", n)
	}
	f.srv.ServeVersion("v0.0.41")
	// The refresh after the restart meets a 404 on the old version's path;
	// the client forgets that version and the refreshes after it use the
	// new one (within one interval: retries are at most one apart).
	f.advance(t, 30*time.Second)
	f.advance(t, 30*time.Second)
	for _, q := range []string{"nodes", "jobs"} {
		frame := singleFrame(t, f.query(t, q, nil))
		if custom, _ := frame.Meta.Custom.(map[string]any); custom["stale"] != false {
			t.Errorf("%s after the restart are stale: %v %v", q, frame.Meta.Custom, frame.Meta.Notices)
		}
	}
	res, d, _ := f.health(t)
	if res.Status != backend.HealthStatusOk || d.APIVersion != "v0.0.41" {
		t.Errorf("health after the restart: %s %q %+v", res.Status, res.Message, d)
	}
}

// A health check right after such a restart negotiates again at once.
func TestHealthRightAfterARestartWithAnotherAPIVersionIsOK(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.43", map[string]any{"apiVersion": "auto"}, nil)
	if res, d, _ := f.health(t); res.Status != backend.HealthStatusOk || d.APIVersion != "v0.0.43" {
		t.Fatalf("before: %s %q", res.Status, res.Message)
	}
	f.srv.ServeVersion("v0.0.41")
	res, d, _ := f.health(t)
	if res.Status != backend.HealthStatusOk || d.APIVersion != "v0.0.41" {
		t.Errorf("health after the restart: %s %q %+v", res.Status, res.Message, d)
	}
}

// A TLS endpoint whose certificate is for another name: the CA is right,
// the host is not in the certificate. Health and queries say it is TLS.
func TestACertificateForAnotherHostIsATLSError(t *testing.T) {
	f := newFixture(t, "25.05.8", "v0.0.41", nil, nil)
	tlsSrv := httptest.NewUnstartedServer(f.srv)
	tlsSrv.Config.ErrorLog = stdlog.New(io.Discard, "", 0) // the failed handshakes are expected
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsSrv.Certificate().Raw}))
	// httptest's certificate names 127.0.0.1 and example.com, not localhost.
	url := strings.Replace(tlsSrv.URL, "127.0.0.1", "localhost", 1)
	g := newFixtureAt(t, f.srv, url, "v0.0.41", map[string]any{"tlsWithCACert": true},
		map[string]string{"token": clustertest.Token, "tlsCACert": caPEM})
	res, d, _ := g.health(t)
	if res.Status != backend.HealthStatusError || d.ErrorKind != "tls" || !strings.Contains(res.Message, "certificate is valid for") {
		t.Errorf("health: %s %q %+v", res.Status, res.Message, d)
	}
	r := g.query(t, "nodes", nil)
	if r.Error == nil || !strings.Contains(r.Error.Error(), "slurm: tls") {
		t.Errorf("query: %v", r.Error)
	}
}
