package query

import (
	"encoding/json"
	"slices"
	"strings"
)

// TypeVariables serves template variables through QueryData (Grafana's
// metricFindQuery path); the app's filters use the variables/<kind>
// resource route, which answers from the same code.
const TypeVariables = "variables"

// Variables is the "variables" query: the values of one kind.
type Variables struct {
	Kind      string `json:"kind"`
	Partition string `json:"partition"` // nodes only
	State     string `json:"state"`     // nodes only
	Of        string `json:"of"`        // states only: jobs or nodes
}

// ParseVariables reads and validates a variables query against the kinds
// the data source serves.
func ParseVariables(raw json.RawMessage, kinds []string) (Variables, error) {
	var q Variables
	if err := decode(raw, &q); err != nil {
		return Variables{}, err
	}
	if !slices.Contains(kinds, q.Kind) {
		return Variables{}, invalid("kind", "is %q: use one of %s", q.Kind, strings.Join(kinds, ", "))
	}
	if q.Of != "" && q.Of != "jobs" && q.Of != "nodes" {
		return Variables{}, invalid("of", "is %q: use jobs or nodes", q.Of)
	}
	return q, nil
}
