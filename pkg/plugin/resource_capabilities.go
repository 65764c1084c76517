package plugin

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/query"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// queryTypeCapability is one query type's entry in GET capabilities.
type queryTypeCapability struct {
	Supported bool   `json:"supported"`
	Since     string `json:"since"`             // the oldest API version that has it
	Message   string `json:"message,omitempty"` // for the query editor, when not supported
}

// capabilities is the body of GET capabilities: what the cluster's API
// version can answer, so the query editor can say so before a query runs.
type capabilities struct {
	APIVersion string                         `json:"apiVersion"`
	QueryTypes map[string]queryTypeCapability `json:"queryTypes"`
}

func (d *Datasource) handleCapabilities(w http.ResponseWriter, r *http.Request) {
	version, err := d.client.Version(r.Context())
	if err != nil {
		writeError(w, err)
		return
	}
	c := capabilities{APIVersion: version, QueryTypes: map[string]queryTypeCapability{}}
	for _, t := range query.Registered() {
		if t.Feature == "" {
			continue // every API version answers it
		}
		qc := queryTypeCapability{Supported: true, Since: slurm.Since(t.Feature)}
		var nv *slurm.NeedsVersionError
		if err := d.client.Supports(r.Context(), t.Feature); errors.As(err, &nv) {
			qc.Supported, qc.Message = false, needsVersionMessage(t.Name, nv)
		}
		c.QueryTypes[t.Name] = qc
	}
	writeJSON(w, http.StatusOK, c)
}

// checkCapability refuses a query type the API version in use does not
// have, before anything is fetched (or counted against a budget).
func (d *Datasource) checkCapability(ctx context.Context, t query.Type) error {
	if t.Feature == "" {
		return nil
	}
	var nv *slurm.NeedsVersionError
	if err := d.client.Supports(ctx, t.Feature); errors.As(err, &nv) {
		return &capabilityError{queryType: t.Name, needs: nv}
	}
	return nil // a failure to learn the version surfaces with the query's own call
}

// capabilityError is a query type the data source's API version lacks: the
// data source's configuration (or Slurm release), not slurmrestd failing.
type capabilityError struct {
	queryType string
	needs     *slurm.NeedsVersionError
}

func (e *capabilityError) Error() string { return needsVersionMessage(e.queryType, e.needs) }

func needsVersionMessage(queryType string, nv *slurm.NeedsVersionError) string {
	return fmt.Sprintf("The %s query reads %s, which needs slurmrestd API %s or later; this data source uses API %s. Set the data source's API version to \"auto\" or to %s or later if slurmrestd serves it (Slurm releases serve the versions of their own and the two before).",
		queryType, nv.Feature, nv.Since, nv.Have, nv.Since)
}
