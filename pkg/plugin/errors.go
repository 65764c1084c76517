package plugin

import (
	"context"
	"errors"
	"net/http"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/pending"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/query"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// failure is how a failure reaches Grafana: the status of a query answer or
// resource route, and whose fault it is. Grafana counts plugin errors
// against the plugin; downstream errors are slurmrestd's, the cluster's, the
// data source's configuration, or the user's query (as Grafana's own data
// sources mark a bad query).
type failure struct {
	status backend.Status
	source backend.ErrorSource
}

var (
	userFault    = failure{backend.StatusBadRequest, backend.ErrorSourceDownstream}
	upstreamDown = failure{backend.StatusBadGateway, backend.ErrorSourceDownstream}
	ourFault     = failure{backend.StatusInternal, backend.ErrorSourcePlugin}
)

// slurmFailures maps every kind pkg/slurm types its errors with. The one
// place the kinds are read for an answer's status.
var slurmFailures = map[slurm.ErrorKind]failure{
	slurm.Unreachable: upstreamDown,
	slurm.TLS:         upstreamDown,
	// Not 401/403: Grafana would take those for the viewer's own session;
	// it is the data source's token or Slurm user that is refused.
	slurm.Unauthenticated:    upstreamDown,
	slurm.Forbidden:          upstreamDown,
	slurm.NotFound:           {backend.StatusNotFound, backend.ErrorSourceDownstream},
	slurm.RateLimited:        {backend.StatusTooManyRequests, backend.ErrorSourceDownstream},
	slurm.UnsupportedVersion: upstreamDown, // a version lacking a feature is a *slurm.NeedsVersionError: classify
	slurm.Malformed:          ourFault,     // an answer we cannot read: ours to fix, whatever slurmrestd sent
	slurm.TooLarge:           upstreamDown,
	slurm.Refused:            upstreamDown,
	slurm.Server:             upstreamDown,
	slurm.Timeout:            {backend.StatusTimeout, backend.ErrorSourceDownstream},
	// slurmrestd refused how the plugin wrote the request (a parse error):
	// ours. A refused value of the user's filter is the user's: classify.
	slurm.InvalidInput: ourFault,
	slurm.KindUnknown:  upstreamDown,
}

// panicError is a panic recovered in a handler: always the plugin's fault.
type panicError struct{ error }

// classify maps an error to its failure and the message to show. Every
// answer of the data source goes through it: QueryData, the resource
// routes.
func classify(err error) (failure, string) {
	msg := err.Error()
	var (
		se *slurm.Error
		nv *slurm.NeedsVersionError
		pe panicError
		ce *capabilityError
	)
	switch {
	case errors.As(err, &pe):
		return ourFault, msg
	case errors.Is(err, query.ErrInvalid):
		return userFault, msg
	case errors.As(err, &ce), errors.As(err, &nv):
		// The data source's API version lacks what the query reads.
		return userFault, msg
	case errors.Is(err, pending.ErrNotFound):
		return failure{backend.StatusNotFound, backend.ErrorSourceDownstream}, msg
	case errors.Is(err, pending.ErrNotPending):
		return failure{http.StatusConflict, backend.ErrorSourceDownstream}, msg
	case errors.Is(err, cluster.ErrOverBudget):
		// Our own refusal to spend more of slurmdbd on one request.
		return failure{backend.StatusTooManyRequests, backend.ErrorSourcePlugin}, msg
	case errors.Is(err, cluster.ErrStopped):
		return ourFault, msg
	case errors.As(err, &se):
		if se.Kind == slurm.InvalidInput {
			if f := se.RefusedFilter(); f != "" {
				return userFault, "the " + f + " filter: " + msg
			}
			if se.HTTPStatus == 0 {
				return userFault, msg // refused by the client before sending: a value of the query
			}
		}
		return slurmFailures[se.Kind], msg
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return slurmFailures[slurm.Timeout], msg
	}
	// No Slurm data yet or beyond the stale limit without a typed cause.
	return upstreamDown, msg
}

// errorResponse is a failed query's answer.
func errorResponse(err error) backend.DataResponse {
	f, msg := classify(err)
	return backend.ErrDataResponseWithSource(f.status, f.source, msg)
}

// writeError answers a resource route with the failure's status and
// {"error": message}.
func writeError(w http.ResponseWriter, err error) {
	f, msg := classify(err)
	writeJSON(w, int(f.status), map[string]string{"error": msg})
}
