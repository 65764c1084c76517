// Package deploy holds the checks of what the project ships for deployment: docker-compose.yaml,
// provisioning/, dashboards/ and Prometheus configs. No Docker engine or Grafana runs in CI, so the
// tests in this package read those files the way Docker and Grafana would and check that every
// reference between them resolves. scripts/querycheck reuses the loaders to find every PromQL
// expression.
package deploy

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

// RepoRoot is the repository root, found from this source file so tests work from any directory.
func RepoRoot() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		panic("deploy: cannot locate the source file")
	}
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Dashboard is one dashboards/*.json file, decoded loosely (Grafana's schema is large and open).
type Dashboard struct {
	File string
	Raw  map[string]any
}

// UID returns the dashboard's uid ("" when missing).
func (d Dashboard) UID() string { s, _ := d.Raw["uid"].(string); return s }

// Title returns the dashboard's title ("" when missing).
func (d Dashboard) Title() string { s, _ := d.Raw["title"].(string); return s }

// LoadDashboards decodes every dashboards/*.json under root, sorted by file name.
func LoadDashboards(root string) ([]Dashboard, error) {
	files, err := filepath.Glob(filepath.Join(root, "dashboards", "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var out []Dashboard
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var raw map[string]any
		if err := json.Unmarshal(b, &raw); err != nil {
			return nil, fmt.Errorf("%s: not valid JSON: %w", rel(root, f), err)
		}
		out = append(out, Dashboard{File: rel(root, f), Raw: raw})
	}
	return out, nil
}

// Panels returns every panel of the dashboard, including those nested in collapsed rows.
func (d Dashboard) Panels() []map[string]any {
	var out []map[string]any
	var walk func(list []any)
	walk = func(list []any) {
		for _, p := range list {
			pm, ok := p.(map[string]any)
			if !ok {
				continue
			}
			out = append(out, pm)
			if nested, ok := pm["panels"].([]any); ok {
				walk(nested)
			}
		}
	}
	panels, _ := d.Raw["panels"].([]any)
	walk(panels)
	return out
}

// Variables returns the dashboard's template variables.
func (d Dashboard) Variables() []map[string]any {
	t, _ := d.Raw["templating"].(map[string]any)
	list, _ := t["list"].([]any)
	var out []map[string]any
	for _, v := range list {
		if vm, ok := v.(map[string]any); ok {
			out = append(out, vm)
		}
	}
	return out
}

// Targets returns a panel's queries.
func Targets(panel map[string]any) []map[string]any {
	list, _ := panel["targets"].([]any)
	var out []map[string]any
	for _, t := range list {
		if tm, ok := t.(map[string]any); ok {
			out = append(out, tm)
		}
	}
	return out
}

// DatasourceRef returns the type and uid of a "datasource" field ({type, uid} object).
func DatasourceRef(v any) (typ, uid string, ok bool) {
	m, isMap := v.(map[string]any)
	if !isMap {
		return "", "", false
	}
	typ, _ = m["type"].(string)
	uid, _ = m["uid"].(string)
	return typ, uid, true
}

// PromQuery is one PromQL expression found in a dashboard or rule file, with where it came from.
type PromQuery struct {
	Source string // file
	Where  string // panel / variable / rule
	Expr   string
}

// DashboardPromQueries lists every Prometheus expression of a dashboard: panel targets and
// label_values()/query_result() variable queries (their inner selector or expression).
func DashboardPromQueries(d Dashboard) []PromQuery {
	var out []PromQuery
	for _, p := range d.Panels() {
		title, _ := p["title"].(string)
		for _, t := range Targets(p) {
			typ, _, _ := DatasourceRef(t["datasource"])
			if typ == "" {
				typ, _, _ = DatasourceRef(p["datasource"])
			}
			expr, _ := t["expr"].(string)
			if typ == "prometheus" && expr != "" {
				ref, _ := t["refId"].(string)
				out = append(out, PromQuery{Source: d.File, Where: fmt.Sprintf("panel %q %s", title, ref), Expr: expr})
			}
		}
	}
	for _, v := range d.Variables() {
		if v["type"] != "query" {
			continue
		}
		typ, _, _ := DatasourceRef(v["datasource"])
		if typ != "prometheus" {
			continue
		}
		name, _ := v["name"].(string)
		if expr := VariableSelector(variableQueryText(v)); expr != "" {
			out = append(out, PromQuery{Source: d.File, Where: "variable $" + name, Expr: expr})
		}
	}
	return out
}

func variableQueryText(v map[string]any) string {
	switch q := v["query"].(type) {
	case string:
		return q
	case map[string]any:
		s, _ := q["query"].(string)
		return s
	}
	return ""
}

// VariableSelector turns a Prometheus variable query into the PromQL it runs: label_values(sel, l)
// → sel, query_result(expr) → expr. label_values(l) (no selector) and other forms give "".
func VariableSelector(q string) string {
	q = strings.TrimSpace(q)
	for _, fn := range []string{"label_values(", "query_result("} {
		if !strings.HasPrefix(q, fn) || !strings.HasSuffix(q, ")") {
			continue
		}
		inner := q[len(fn) : len(q)-1]
		if fn == "query_result(" {
			return strings.TrimSpace(inner)
		}
		if i := strings.LastIndex(inner, ","); i > 0 {
			return strings.TrimSpace(inner[:i])
		}
	}
	return ""
}

func rel(root, path string) string {
	if r, err := filepath.Rel(root, path); err == nil {
		return r
	}
	return path
}
