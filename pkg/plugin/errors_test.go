package plugin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/hpc-slurm/hpc-slurm-app/internal/clustertest"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/pending"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/query"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// The one mapping from an error to Grafana's status and error source.
func TestClassifyMapsEveryFailureOnce(t *testing.T) {
	down, plugin := backend.ErrorSourceDownstream, backend.ErrorSourcePlugin
	kind := func(k slurm.ErrorKind, status int) error {
		return &slurm.Error{Kind: k, HTTPStatus: status, Endpoint: "GET /slurm/v0.0.44/jobs"}
	}
	stale := func(cause error) error {
		return fmt.Errorf("%w: the last good jobs data is 11m old, beyond the stale limit of 10m; slurmrestd keeps failing: %w", cluster.ErrTooStale, cause)
	}
	unknownUser := &slurm.Error{Kind: slurm.InvalidInput, HTTPStatus: 422, Endpoint: "GET /slurmdb/v0.0.43/jobs",
		SlurmErrors: []slurm.Message{{Number: 2166, Error: "Unable to resolve user ID to user name", Description: "Unable to resolve user: nosuch"}}}
	needs := &slurm.Error{Kind: slurm.UnsupportedVersion, Endpoint: "GET /slurm/v0.0.38/shares",
		Err: &slurm.NeedsVersionError{Feature: slurm.FeatureShares, Since: "v0.0.40", Have: "v0.0.38"}}
	for _, c := range []struct {
		name   string
		err    error
		status backend.Status
		source backend.ErrorSource
		msg    string // a part of the message; "" checks nothing
	}{
		{"unreachable", kind(slurm.Unreachable, 0), backend.StatusBadGateway, down, ""},
		{"tls", kind(slurm.TLS, 0), backend.StatusBadGateway, down, ""},
		{"token refused (not the viewer's 401)", kind(slurm.Unauthenticated, 401), backend.StatusBadGateway, down, ""},
		{"forbidden (not the viewer's 403)", kind(slurm.Forbidden, 403), backend.StatusBadGateway, down, ""},
		{"not found", kind(slurm.NotFound, 404), backend.StatusNotFound, down, ""},
		{"rate limited", kind(slurm.RateLimited, 429), backend.StatusTooManyRequests, down, ""},
		{"no version in common", kind(slurm.UnsupportedVersion, 0), backend.StatusBadGateway, down, ""},
		{"malformed body: ours", kind(slurm.Malformed, 200), backend.StatusInternal, plugin, ""},
		{"too large", kind(slurm.TooLarge, 200), backend.StatusBadGateway, down, ""},
		{"refused", kind(slurm.Refused, 500), backend.StatusBadGateway, down, ""},
		{"server", kind(slurm.Server, 500), backend.StatusBadGateway, down, ""},
		{"timeout", kind(slurm.Timeout, 0), backend.StatusTimeout, down, ""},
		{"query written wrongly: ours", kind(slurm.InvalidInput, 422), backend.StatusInternal, plugin, ""},
		{"value refused before sending", kind(slurm.InvalidInput, 0), backend.StatusBadRequest, down, ""},
		{"unknown user in the filter", unknownUser, backend.StatusBadRequest, down, "the users filter: slurm: invalid input"},
		{"version lacks the feature", needs, backend.StatusBadRequest, down, "needs slurmrestd API v0.0.40"},
		{"capability", &capabilityError{queryType: "shares", needs: &slurm.NeedsVersionError{Feature: slurm.FeatureShares, Since: "v0.0.40", Have: "v0.0.39"}},
			backend.StatusBadRequest, down, "The shares query"},
		{"bad query", fmt.Errorf("%w: limit is -1", query.ErrInvalid), backend.StatusBadRequest, down, "limit is -1"},
		{"no such pending job", pending.ErrNotFound, backend.StatusNotFound, down, ""},
		{"not pending", fmt.Errorf("job 7: %w", pending.ErrNotPending), http.StatusConflict, down, ""},
		{"over the accounting budget", fmt.Errorf("%w: more than 8", cluster.ErrOverBudget), backend.StatusTooManyRequests, plugin, ""},
		{"instance stopped", cluster.ErrStopped, backend.StatusInternal, plugin, ""},
		{"panic", panicError{errors.New("internal error")}, backend.StatusInternal, plugin, ""},
		{"stale after malformed answers: ours", stale(kind(slurm.Malformed, 200)), backend.StatusInternal, plugin, "stale limit"},
		{"stale after an unreachable slurmrestd", stale(kind(slurm.Unreachable, 0)), backend.StatusBadGateway, down, "stale limit"},
		{"never fetched", fmt.Errorf("%w: jobs not fetched yet", cluster.ErrNoData), backend.StatusBadGateway, down, ""},
		{"deadline", fmt.Errorf("waiting for Slurm accounting: %w", context.DeadlineExceeded), backend.StatusTimeout, down, ""},
	} {
		f, msg := classify(c.err)
		if f.status != c.status || f.source != c.source || !strings.Contains(msg, c.msg) {
			t.Errorf("%s: %d %s %q, want %d %s with %q", c.name, f.status, f.source, msg, c.status, c.source, c.msg)
		}
	}
	for k := slurm.KindUnknown; k <= slurm.InvalidInput; k++ { // InvalidInput is the last kind
		if _, ok := slurmFailures[k]; !ok {
			t.Errorf("slurm kind %s has no row in slurmFailures", k)
		}
	}
}

// Answers QueryData gives for a malformed body and for an unknown user in a
// filter, through the real client and the recorded refusals.
func TestQueryFailuresThroughTheMapping(t *testing.T) {
	f := newFixture(t, "26.05.3", "v0.0.45", nil, nil)
	f.srv.SetFault(clustertest.EmptyEnvelope)
	if r := f.query(t, "nodes", nil); r.Status != backend.StatusInternal || r.ErrorSource != backend.ErrorSourcePlugin ||
		!strings.Contains(r.Error.Error(), `the answer carries no "nodes" list`) {
		t.Errorf("malformed nodes answer: %d %s %v, want a 500 plugin error", r.Status, r.ErrorSource, r.Error)
	}

	g := newFixture(t, "25.05.8", "v0.0.43", nil, nil)
	from := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	r := g.rangeQuery(t, "job_history", map[string]any{"users": []string{"nosuch"}}, from, from.AddDate(10, 0, 0), time.Hour)
	if r.Status != backend.StatusBadRequest || r.ErrorSource != backend.ErrorSourceDownstream ||
		!strings.HasPrefix(r.Error.Error(), "the users filter: ") || !strings.Contains(r.Error.Error(), "Unable to resolve user") {
		t.Errorf("unknown user: %d %s %v, want a 400 naming the users filter", r.Status, r.ErrorSource, r.Error)
	}
}

// A panic while answering a query is the plugin's 500.
func TestRecoveredPanicIsAPluginError(t *testing.T) {
	f := newFixture(t, "26.05.3", "v0.0.45", nil, nil)
	f.ds.now = func() time.Time { panic("clock broken") }
	resp, err := f.ds.QueryData(context.Background(), &backend.QueryDataRequest{PluginContext: f.pluginContext(),
		Queries: []backend.DataQuery{{RefID: "A", QueryType: "reservations", JSON: []byte(`{}`)}}})
	if err != nil {
		t.Fatal(err)
	}
	if r := resp.Responses["A"]; r.Status != backend.StatusInternal || r.ErrorSource != backend.ErrorSourcePlugin ||
		!strings.Contains(r.Error.Error(), "internal error in the Slurm data source") {
		t.Errorf("panic: %d %s %v", r.Status, r.ErrorSource, r.Error)
	}
}
