package plugin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// healthTimeout keeps "Save & test" answering within 5 s even when
// slurmrestd stalls; a little is left for Grafana's own round trip.
const healthTimeout = 4500 * time.Millisecond

// healthDetails is the JSONDetails of a health check; the config page shows it.
type healthDetails struct {
	ClusterName  string   `json:"clusterName"`
	SlurmVersion string   `json:"slurmVersion"`
	APIVersion   string   `json:"apiVersion"`
	NodeCount    int      `json:"nodeCount"`
	Controllers  []string `json:"controllers,omitempty"`
	ErrorKind    string   `json:"errorKind,omitempty"`
	Warnings     []string `json:"warnings,omitempty"`
}

// CheckHealth talks to slurmrestd directly (not through the snapshot): the
// user just saved settings and wants to know whether these work now.
func (d *Datasource) CheckHealth(ctx context.Context, _ *backend.CheckHealthRequest) (res *backend.CheckHealthResult, err error) {
	// The one place where health results leave the backend.
	defer func() { d.redact.health(res) }()
	defer func() {
		if r := recover(); r != nil {
			res, err = &backend.CheckHealthResult{Status: backend.HealthStatusError, Message: recovered(d.logger, "health check", r).Error()}, nil
		}
	}()
	ctx, cancel := context.WithTimeout(ctx, d.healthTimeout)
	defer cancel()

	start := time.Now()
	ping, err := d.client.Ping(ctx)
	if slurm.KindOf(err) == slurm.NotFound && !d.client.Pinned() {
		// slurmrestd no longer serves the negotiated version (restarted with
		// others); the client forgot it, so this ping negotiates again.
		ping, err = d.client.Ping(ctx)
	}
	d.poller.Observe("ping", time.Since(start), err)
	if err != nil {
		return d.healthError(ctx, err), nil
	}
	var controllers, down []string
	for _, c := range ping.Controllers {
		state := "UP"
		if !c.Responding {
			state = "DOWN"
			down = append(down, c.Hostname)
		}
		controllers = append(controllers, c.Hostname+" "+state)
	}
	details := healthDetails{
		ClusterName:  ping.ClusterName,
		SlurmVersion: ping.SlurmVersion,
		APIVersion:   ping.APIVersion,
		Controllers:  controllers,
	}
	if len(ping.Controllers) > 0 && len(down) == len(ping.Controllers) {
		details.ErrorKind = "slurmctld down"
		return d.healthResult(backend.HealthStatusError, fmt.Sprintf(
			"slurmctld is down: slurmrestd at %s answers, but no controller responds to ping (%s)",
			d.settings.URL, strings.Join(controllers, ", ")), details), nil
	}

	start = time.Now()
	nodes, err := d.client.Nodes(ctx)
	d.poller.Observe("nodes", time.Since(start), err)
	if err != nil {
		return d.healthError(ctx, err), nil
	}
	details.NodeCount = len(nodes)
	if res := d.healthOfSnapshot(details); res != nil {
		return res, nil
	}

	// API v0.0.38/39 ping does not name the cluster: pkg/slurm fills it in
	// from the last jobs answer the client decoded. The poller shares this
	// client, so once it has fetched jobs (with at least one job) the name is
	// its snapshot's cluster; before that (a check right after saving, or an
	// empty queue) it is not known yet.
	name := ping.ClusterName
	if name == "" {
		name = "(name not known yet: API " + ping.APIVersion + " reports it only with jobs)"
	}
	msg := fmt.Sprintf("Connected to cluster %s: Slurm %s, API %s, %d nodes", name, ping.SlurmVersion, ping.APIVersion, len(nodes))
	if len(down) > 0 {
		msg += fmt.Sprintf("; controller(s) not responding: %s", strings.Join(down, ", "))
	}
	if details.Warnings = tokenWarnings(d.settings, time.Now()); len(details.Warnings) > 0 {
		msg += ". Warning: " + strings.Join(details.Warnings, "; ")
	}
	return d.healthResult(backend.HealthStatusOk, msg, details), nil
}

// healthError turns a client error into a message that says what is wrong
// and what to check. The message never contains a secret.
func (d *Datasource) healthError(ctx context.Context, err error) *backend.CheckHealthResult {
	kind := slurm.KindOf(err)
	if kind == slurm.KindUnknown && (errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil) {
		kind = slurm.Timeout
	}
	detail := err.Error()
	var msg string
	switch kind {
	case slurm.Unreachable:
		msg = fmt.Sprintf("slurmrestd is unreachable at %s: %s. Check the URL and that slurmrestd is running.", d.settings.URL, detail)
	case slurm.TLS:
		msg = fmt.Sprintf("TLS connection to slurmrestd at %s failed: %s. Check the CA certificate, or the skip-verify setting for a self-signed certificate.", d.settings.URL, detail)
	case slurm.Unauthenticated:
		how := "the token is invalid or expired"
		if d.settings.AuthMode == AuthModeJWTKey {
			how = "the JWT key does not match slurmctld's key (AuthAltParameters=jwt_key) or the user is unknown"
		}
		msg = fmt.Sprintf("slurmrestd rejected the token for Slurm user %q: %s (%s).", d.settings.SlurmUser, how, detail)
	case slurm.Forbidden:
		msg = fmt.Sprintf("slurmrestd denied access to Slurm user %q: %s.", d.settings.SlurmUser, detail)
	case slurm.UnsupportedVersion:
		msg = fmt.Sprintf("Unsupported slurmrestd API version: %s.", detail)
	case slurm.NotFound:
		// Ping always exists; a 404 means slurmrestd does not serve the API
		// version asked for (slurmrestd loads one plugin per version).
		msg = fmt.Sprintf("slurmrestd at %s does not serve API %s%s (%s). Choose \"auto\" or a version slurmrestd was started with (-s openapi/<version>).",
			d.settings.URL, askedVersion(d.settings.APIVersion, err), d.offered(ctx), detail)
		kind = slurm.UnsupportedVersion
	case slurm.Malformed:
		what := "an answer slurmrestd does not give"
		var missing *slurm.MissingDataError
		if errors.As(err, &missing) {
			what = "an answer without its " + missing.What
		}
		msg = fmt.Sprintf("slurmrestd at %s sent %s: %s. Check that the URL points at slurmrestd itself (not a proxy or another service) and that slurmrestd answers normally.",
			d.settings.URL, what, detail)
	case slurm.Timeout:
		msg = fmt.Sprintf("slurmrestd at %s did not answer within %s: %s.", d.settings.URL, d.healthTimeout, detail)
	default:
		if unspecifiedServerError(err) {
			// Slurm 22.05 (API v0.0.38) answers a rejected token with HTTP 500
			// and error -1 "Unspecified error": slurmctld refused the RPC that
			// slurmrestd made with the token, and the reason is lost. A
			// controller that cannot be reached looks the same.
			msg = fmt.Sprintf("slurmrestd rejected the token for Slurm user %q, or could not reach slurmctld: this Slurm reports both as HTTP 500 \"Unspecified error\" (%s). Check the token or JWT key first (invalid, expired, or not slurmctld's jwt_key); if it is right, check that slurmctld is running.",
				d.settings.SlurmUser, detail)
			d.logger.Warn("health check failed", "kind", "unspecified", "error", detail)
			return d.healthResult(backend.HealthStatusError, msg, healthDetails{ErrorKind: "token rejected or slurmctld down"})
		}
		if controllerDown(err) {
			msg = fmt.Sprintf("slurmctld is down: slurmrestd at %s answers but cannot reach the controller: %s.", d.settings.URL, detail)
			kind = slurm.Server
			return d.healthResult(backend.HealthStatusError, msg, healthDetails{ErrorKind: "slurmctld down"})
		}
		msg = fmt.Sprintf("slurmrestd at %s returned an error: %s.", d.settings.URL, detail)
	}
	d.logger.Warn("health check failed", "kind", kind.String(), "error", detail)
	return d.healthResult(backend.HealthStatusError, msg, healthDetails{ErrorKind: kind.String()})
}

// healthOfSnapshot fails the check when the poller's last refresh of a kind
// got an answer without its data (ping and nodes may be fine while /jobs
// answers an empty envelope): the queries of that kind serve stale data, so
// the data source is not healthy. It costs no call to slurmrestd.
func (d *Datasource) healthOfSnapshot(details healthDetails) *backend.CheckHealthResult {
	snap := d.poller.Current()
	for _, k := range cluster.Kinds() {
		err := snap.Status(k).LastError
		var missing *slurm.MissingDataError
		if !errors.As(err, &missing) {
			continue
		}
		details.ErrorKind = slurm.Malformed.String()
		return d.healthResult(backend.HealthStatusError, fmt.Sprintf(
			"slurmrestd at %s answers ping, but its last %s answer carried no %s (%s); %s queries serve the last good data, marked stale. Check that slurmrestd (and any proxy in front of it) answers normally.",
			d.settings.URL, k, missing.What, err.Error(), k), details)
	}
	return nil
}

var versionInPath = regexp.MustCompile(`/slurm(?:db)?/(v0\.0\.[0-9]+)/`)

// askedVersion is the API version a failed request used: the pinned one, or
// the one negotiated ("auto" names no version).
func askedVersion(pinned string, err error) string {
	if pinned != "" && pinned != "auto" {
		return pinned
	}
	var se *slurm.Error
	if errors.As(err, &se) {
		if m := versionInPath.FindStringSubmatch(se.Endpoint); m != nil {
			return m[1]
		}
	}
	return "(negotiated)"
}

// offered names the versions slurmrestd's OpenAPI document lists, for a
// message about a version it does not serve; "" when that is not known
// within the check's deadline.
func (d *Datasource) offered(ctx context.Context) string {
	if ctx.Err() != nil {
		return ""
	}
	v, err := d.client.OfferedVersions(ctx)
	if err != nil || len(v) == 0 {
		return ""
	}
	return " (it offers " + strings.Join(v, ", ") + ")"
}

// Slurm error numbers meaning "could not talk to slurmctld" (slurm_errno.h).
var controllerDownCodes = map[int]bool{
	1001: true, // SLURM_COMMUNICATIONS_CONNECTION_ERROR
	1800: true, // SLURMCTLD_COMMUNICATIONS_CONNECTION_ERROR
	1801: true, // SLURMCTLD_COMMUNICATIONS_SEND_ERROR
	1802: true, // SLURMCTLD_COMMUNICATIONS_RECEIVE_ERROR
	1803: true, // SLURMCTLD_COMMUNICATIONS_SHUTDOWN_ERROR
	5004: true, // SLURM_PROTOCOL_SOCKET_IMPL_TIMEOUT
}

// unspecifiedServerError reports an HTTP 500 whose only Slurm errors are -1
// "Unspecified error" (or unnumbered): all Slurm 22.05 says when slurmctld
// refused the token.
func unspecifiedServerError(err error) bool {
	var se *slurm.Error
	if !errors.As(err, &se) || se.Kind != slurm.Server || se.HTTPStatus != 500 || len(se.SlurmErrors) == 0 {
		return false
	}
	for _, m := range se.SlurmErrors {
		if m.Number != -1 && m.Number != 0 {
			return false
		}
	}
	return true
}

func controllerDown(err error) bool {
	var se *slurm.Error
	if !errors.As(err, &se) {
		return false
	}
	for _, m := range se.SlurmErrors {
		text := strings.ToLower(m.Error + " " + m.Description)
		if controllerDownCodes[m.Number] || strings.Contains(text, "unable to contact slurm controller") ||
			strings.Contains(text, "connection refused") {
			return true
		}
	}
	return false
}

func (d *Datasource) healthResult(status backend.HealthStatus, msg string, details healthDetails) *backend.CheckHealthResult {
	body, err := json.Marshal(details)
	if err != nil {
		body = nil
	}
	return &backend.CheckHealthResult{Status: status, Message: msg, JSONDetails: body}
}
