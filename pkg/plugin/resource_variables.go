package plugin

import (
	"net/http"
	"strings"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/query"
)

// variableOption is one value of a template variable or filter drop-down.
type variableOption struct {
	Text  string `json:"text"`
	Value string `json:"value"`
}

// handleVariable answers GET variables/<kind> with the distinct, sorted
// values of that kind as [{text, value}]: the values the variables query
// type answers (pkg/query/variables.go), read from the snapshot.
func (d *Datasource) handleVariable(w http.ResponseWriter, r *http.Request) {
	kind := r.PathValue("kind")
	kinds := query.VariableNeeds(kind)
	if kinds == nil {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "unknown variable kind " + quote(kind) + ": use one of " + strings.Join(query.VariableKinds(), ", ")})
		return
	}
	snap, _, err := d.read(r.Context(), kinds...)
	if err != nil {
		writeError(w, err)
		return
	}
	values := query.VariableValues(kind, snap, r.URL.Query())
	options := make([]variableOption, 0, len(values))
	for _, v := range values {
		options = append(options, variableOption{Text: v, Value: v})
	}
	writeJSON(w, http.StatusOK, options)
}

func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }
