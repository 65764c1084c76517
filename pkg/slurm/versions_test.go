package slurm

import (
	"bytes"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// Negotiation against each release's recorded /openapi/v3 picks the highest
// version both sides support, and the following call uses it.
func TestNegotiateFromRecordedOpenAPI(t *testing.T) {
	requireDir(t, recordedFixtures, "recorded slurmrestd answers")
	want := map[string]string{"23.11.11": "v0.0.40", "25.05.8": "v0.0.43", "26.05.3": "v0.0.45"}
	for release, version := range want {
		t.Run(release, func(t *testing.T) {
			spec, err := os.ReadFile(filepath.Join(recordedFixtures, release, "openapi-v3.json"))
			if err != nil {
				t.Fatal(err)
			}
			fs := newFixtureServer(t)
			fs.serveRaw(http.MethodGet, "/openapi/v3", http.StatusOK, spec)
			d := fixtureDirFor(t, release, version)
			fs.serve(d, "ping")
			c := testClient(t, fs.URL, "auto")
			v, err := c.Version(ctx)
			if err != nil {
				t.Fatal(err)
			}
			eq(t, "version", v, version)
			p, err := c.Ping(ctx)
			if err != nil {
				t.Fatal(err)
			}
			eq(t, "ping api", p.APIVersion, version)
			eq(t, "release", p.SlurmVersion, release)
		})
	}
}

func fixtureDirFor(t *testing.T, release, version string) fixtureDir {
	t.Helper()
	for _, d := range recordedFixtureDirs(t) {
		if d.Release == release && d.Version == version {
			return d
		}
	}
	t.Fatalf("no fixtures for %s %s", release, version)
	return fixtureDir{}
}

// slurmrestd 22.05 writes "\/slurm\/v0.0.38\/" in its OpenAPI document.
func TestNegotiateEscapedSlashes(t *testing.T) {
	fs := newFixtureServer(t)
	spec := []byte(`{"paths":{"\/slurm\/v0.0.36\/ping":{},"\/slurm\/v0.0.37\/ping":{},"\/slurm\/v0.0.38\/ping":{},"\/slurmdb\/v0.0.38\/jobs":{}}}`)
	fs.serveRaw(http.MethodGet, "/openapi/v3", http.StatusOK, spec)
	c := testClient(t, fs.URL, "")
	v, err := c.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "version", v, "v0.0.38")
	eq(t, "requests", len(fs.requests), 1)
}

// Without /openapi/v3 the client probes ping from the newest version down.
func TestNegotiateByProbing(t *testing.T) {
	d := fixtureDirFor(t, "23.11.11", "v0.0.39")
	srv := newProbeServer(t, map[string][]byte{"/slurm/v0.0.39/ping": d.body(t, "ping")})
	c := testClient(t, srv.URL, "")
	v, err := c.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "version", v, "v0.0.39")
	// /openapi/v3 + v45 … v39 = 8 requests.
	eq(t, "requests", srv.count(), 8)
}

func TestNegotiateNoneSupported(t *testing.T) {
	fs := newFixtureServer(t)
	fs.serveRaw(http.MethodGet, "/openapi/v3", http.StatusOK, []byte(`{"paths":{"/slurm/v0.0.36/ping":{},"/slurm/v0.0.37/jobs":{}}}`))
	c := testClient(t, fs.URL, "")
	_, err := c.Ping(ctx)
	wantKind(t, err, UnsupportedVersion, 0)
	msg := err.Error()
	for _, want := range []string{"v0.0.36", "v0.0.37", "v0.0.38", "v0.0.45"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not name %s", msg, want)
		}
	}
}

func TestNegotiateProbeNoneAnswers(t *testing.T) {
	srv := newProbeServer(t, nil)
	c := testClient(t, srv.URL, "")
	_, err := c.Version(ctx)
	wantKind(t, err, UnsupportedVersion, 0)
	if !strings.Contains(err.Error(), "answered 404 to the ping of every version this plugin speaks (v0.0.38 to v0.0.45)") {
		t.Errorf("error does not say what was tried: %v", err)
	}
}

func TestPinnedVersionValidated(t *testing.T) {
	_, err := New(Config{URL: "http://127.0.0.1:1", User: "u", Token: "t", APIVersion: "v0.0.37"})
	wantKind(t, err, InvalidInput, 0)
	if !strings.Contains(err.Error(), "APIVersion") || !strings.Contains(err.Error(), "v0.0.38") {
		t.Errorf("error %q should name the field and the supported versions", err)
	}
}

func TestSupportedVersionsOrdered(t *testing.T) {
	got := strings.Join(SupportedVersions(), " ")
	eq(t, "versions", got, "v0.0.38 v0.0.39 v0.0.40 v0.0.41 v0.0.42 v0.0.43 v0.0.44 v0.0.45")
	if !versionLess("v0.0.9", "v0.0.10") {
		t.Error("versionLess is not numeric")
	}
}

// probeServer answers the given paths with 200 and everything else with 404.
// It counts requests without ever blocking (a buffered channel as counter
// would stall the handler, and httptest's Close with it, once full).
type probeServer struct {
	URL string
	n   atomic.Int32
}

func newProbeServer(t *testing.T, ok map[string][]byte) *probeServer {
	ps := &probeServer{}
	srv := newPlainServer(t, func(w http.ResponseWriter, r *http.Request) {
		ps.n.Add(1)
		if body, found := ok[r.URL.Path]; found {
			_, _ = w.Write(body)
			return
		}
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write(bytes.TrimSpace([]byte(`{"errors":[{"error":"Unable to find path"}]}`)))
	})
	ps.URL = srv.URL
	return ps
}

func (p *probeServer) count() int { return int(p.n.Load()) }

// A read endpoint the pinned version lacks is refused before any request and
// names the version that has it.
func TestEndpointMissingInVersionNamesTheVersionItNeeds(t *testing.T) {
	fs := newFixtureServer(t) // no routes: a request would fail the test
	for _, v := range []string{"v0.0.38", "v0.0.39"} {
		c := testClient(t, fs.URL, v)
		_, err := c.Shares(ctx)
		wantKind(t, err, UnsupportedVersion, 0)
		var nv *NeedsVersionError
		if !errors.As(err, &nv) || nv.Since != "v0.0.40" || nv.Have != v {
			t.Errorf("%s: Shares error %v: want a NeedsVersionError naming v0.0.40 and %s", v, err, v)
		}
	}
	if len(fs.requests) != 0 {
		t.Errorf("%d requests sent, want none", len(fs.requests))
	}
}
