package plugin

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// shares on API v0.0.38 is a capability of the version: a 400 naming the
// version it needs, before any call to slurmrestd. Not the plugin's fault:
// the data source's configuration or Slurm release (errors.go).
func TestAQueryTypeTheAPIVersionLacksIsA400NamingTheVersion(t *testing.T) {
	f := newFixture(t, "23.11.11", "v0.0.38", nil, nil)
	r := f.query(t, "shares", nil)
	if r.Error == nil || r.Status != backend.StatusBadRequest || r.ErrorSource != backend.ErrorSourceDownstream {
		t.Fatalf("got %d %s %v, want a 400 downstream error", r.Status, r.ErrorSource, r.Error)
	}
	for _, want := range []string{"The shares query", "needs slurmrestd API v0.0.40 or later", "this data source uses API v0.0.38"} {
		if !strings.Contains(r.Error.Error(), want) {
			t.Errorf("error %q does not say %q", r.Error, want)
		}
	}
	if n := f.srv.Count("shares"); n != 0 {
		t.Errorf("%d shares calls for a query the version cannot answer", n)
	}
}

// The query editor learns from GET capabilities what the cluster's API
// version can answer.
func TestCapabilitiesNameWhatTheAPIVersionCanAnswer(t *testing.T) {
	for _, c := range []struct {
		release, version string
		supported        bool
	}{{"23.11.11", "v0.0.38", false}, {"23.11.11", "v0.0.39", false}, {"23.11.11", "v0.0.40", true}, {"26.05.3", "v0.0.45", true}} {
		f := newFixture(t, c.release, c.version, nil, nil)
		res := f.resource(t, http.MethodGet, "capabilities")
		var got capabilities
		if res.Status != http.StatusOK || json.Unmarshal(res.Body, &got) != nil {
			t.Fatalf("%s: %d %s", c.version, res.Status, res.Body)
		}
		shares := got.QueryTypes["shares"]
		if got.APIVersion != c.version || shares.Supported != c.supported || shares.Since != "v0.0.40" {
			t.Errorf("%s: %s", c.version, res.Body)
		}
		if !c.supported && !strings.Contains(shares.Message, "needs slurmrestd API v0.0.40 or later; this data source uses API "+c.version) {
			t.Errorf("%s: message %q", c.version, shares.Message)
		}
	}
}

func TestSinceNamesTheOldestVersionWithAFeature(t *testing.T) {
	if got := slurm.Since(slurm.FeatureShares); got != "v0.0.40" {
		t.Errorf("shares since %s", got)
	}
	if got := slurm.Since(slurm.FeatureNodeUpdate); got != "v0.0.39" {
		t.Errorf("node update since %s", got)
	}
}
