package query

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// grafanaKeys are what Grafana itself puts into every stored query; they
// are never a model's business and never an error.
var grafanaKeys = []string{
	"refId", "queryType", "datasource", "datasourceId", "hide", "key", "intervalMs",
	"maxDataPoints", "interval", "timeRange", "queryCaching", "resultAssertions",
	"editorMode", "legendFormat", "format", // panel and editor bookkeeping
}

// knownFields are the fields of every registered query type's model. A
// field of any of them is accepted in any query: Grafana's editor keeps a
// query's fields when the user switches its type, and a panel must not break
// for that. Anything else is a typo or an old client, and the answer says so.
var knownFields = sync.OnceValue(func() map[string]bool {
	known := map[string]bool{}
	for _, k := range grafanaKeys {
		known[k] = true
	}
	for _, t := range registry {
		for _, f := range jsonFields(t.model) {
			known[f] = true
		}
	}
	return known
})

// jsonFields lists a struct's JSON keys, embedded structs included.
func jsonFields(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			out = append(out, jsonFields(f.Type)...)
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.IsExported() && name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// checkFields rejects a key no query type knows, naming it and the fields
// this query type takes.
func checkFields(raw json.RawMessage, model any) error {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(raw, &keys); err != nil {
		return nil // not an object: decode reports it with its position
	}
	known := knownFields()
	var unknown []string
	for k := range keys {
		if !known[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	own := jsonFields(reflect.TypeOf(model).Elem())
	return invalid(`"`+strings.Join(unknown, `", "`)+`"`, "is not a query field: this query type takes %s", orNothing(own))
}

func orNothing(fields []string) string {
	if len(fields) == 0 {
		return "no fields"
	}
	return strings.Join(fields, ", ")
}
