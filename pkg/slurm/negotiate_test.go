package slurm

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
)

func autoClient(t *testing.T, srv *clustertest.Server) *Client {
	t.Helper()
	c, err := New(Config{URL: srv.URL(), User: clustertest.User, Token: clustertest.Token, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// On first contact (version "auto"), a failure of the negotiation is
// reported as what it is: only a 404 is "not this version".
func TestNegotiationReportsTheRealCause(t *testing.T) {
	cases := []struct {
		fault clustertest.Fault
		kind  ErrorKind
		want  string
	}{
		// The recorded 23.11 answer: HTTP 500, error 7000.
		{clustertest.Status500, Server, "slurm error 7000: Unable to connect to database"},
		{clustertest.BadToken, Unauthenticated, "HTTP 511"},
		{clustertest.NoAuth, Unauthenticated, "HTTP 401"},
		{clustertest.Redirect, Server, `redirected to "https://`},
		{clustertest.EchoHeaders, Forbidden, "HTTP 403"},
	}
	for _, c := range cases {
		srv := clustertest.Start(t, "25.05.8", "v0.0.43")
		srv.SetFault(c.fault)
		_, err := autoClient(t, srv).Ping(context.Background())
		if KindOf(err) != c.kind || !strings.Contains(err.Error(), c.want) {
			t.Errorf("fault %d: got %s %v, want %s naming %q", c.fault, KindOf(err), err, c.kind, c.want)
		}
	}
}

// Without /openapi/v3, the ping probes stop at the first answer that is not
// a 404 and report it.
func TestProbeStopsAtTheFirstRealFailure(t *testing.T) {
	var probes []string
	srv := newPlainServer(t, func(w http.ResponseWriter, r *http.Request) {
		probes = append(probes, r.URL.Path)
		if r.URL.Path == "/openapi/v3" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`{"errors":[{"error_number":7000,"error":"Unable to connect to database"}]}`))
	})
	_, err := testClient(t, srv.URL, "").Version(context.Background())
	if KindOf(err) != Server || !strings.Contains(err.Error(), "7000") {
		t.Errorf("got %s %v, want the 500 with error 7000", KindOf(err), err)
	}
	if len(probes) != 2 {
		t.Errorf("requests %v, want /openapi/v3 and one probe", probes)
	}
}

// slurmrestd restarted with another API version: the old version's paths
// answer 404, the client forgets the version it negotiated, and the next
// call negotiates the new one, without a new client (Grafana restart).
func TestARestartWithAnotherVersionIsPickedUp(t *testing.T) {
	srv := clustertest.Start(t, "25.05.8", "v0.0.43")
	c := autoClient(t, srv)
	p, err := c.Ping(context.Background())
	if err != nil || p.APIVersion != "v0.0.43" {
		t.Fatalf("before the restart: %+v %v", p, err)
	}
	srv.ServeVersion("v0.0.41")
	if _, err := c.Nodes(context.Background()); KindOf(err) != NotFound {
		t.Errorf("the first call after the restart: %v, want the 404 of the old path", err)
	}
	p, err = c.Ping(context.Background())
	if err != nil || p.APIVersion != "v0.0.41" || p.SlurmVersion != "25.05.8" {
		t.Errorf("after the restart: %+v %v, want v0.0.41", p, err)
	}
	nodes, err := c.Nodes(context.Background())
	if err != nil || len(nodes) != 6 {
		t.Errorf("nodes on the new version: %d, %v", len(nodes), err)
	}
}

// A pinned version is the operator's: a 404 does not make the client pick
// another one.
func TestAPinnedVersionIsKeptOn404(t *testing.T) {
	srv := clustertest.Start(t, "25.05.8", "v0.0.43")
	c := testClient(t, srv.URL(), "v0.0.43")
	srv.ServeVersion("v0.0.41")
	for range 2 {
		if _, err := c.Ping(context.Background()); KindOf(err) == KindUnknown || err == nil {
			t.Fatalf("pinned v0.0.43 on a server with v0.0.41 only: %v", err)
		}
	}
	if v, _ := c.Version(context.Background()); v != "v0.0.43" {
		t.Errorf("pinned version changed to %s", v)
	}
}
