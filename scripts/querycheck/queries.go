package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/hpc-slurm/hpc-slurm-app/tests/deploy"
	"gopkg.in/yaml.v3"
)

// promCheck is one PromQL expression to evaluate, with the dashboard variables it may use.
type promCheck struct {
	source    string
	where     string
	expr      string
	vars      []dashVariable // empty for rule files
	dashboard bool           // a dashboard panel (must show data), not a rule (may rightly find nothing)
}

// dashVariable is a Prometheus query variable of a dashboard (label_values(selector, label)).
type dashVariable struct {
	name, selector, label, allValue string
	values                          []string // resolved against the live Prometheus
}

// slurmCheck is one Slurm data source query, checked against the query model (and, with -live,
// run against the live stack).
type slurmCheck struct {
	source, where string
	problems      []string
	query         map[string]any // the panel's target or the rule's model
	noValue       string         // the panel's text for "no data" (fieldConfig.defaults.noValue)
	dashboard     bool
}

var labelValuesQuery = regexp.MustCompile(`^label_values\((.*),\s*([a-zA-Z_][a-zA-Z0-9_]*)\)$`)

// Values Grafana gives its built-in variables here: a 30 s scrape interval and a 1 h time range.
var builtins = map[string]string{
	"__rate_interval": "2m", "__interval": "30s", "__interval_ms": "30000",
	"__range": "1h", "__range_s": "3600", "__range_ms": "3600000",
}

func collectDashboards(root string) ([]promCheck, []slurmCheck, error) {
	dashboards, err := deploy.LoadDashboards(root)
	if err != nil {
		return nil, nil, err
	}
	var proms []promCheck
	var slurms []slurmCheck
	for _, d := range dashboards {
		var vars []dashVariable
		for _, v := range d.Variables() {
			if v["type"] != "query" {
				continue
			}
			typ, _, _ := deploy.DatasourceRef(v["datasource"])
			name, _ := v["name"].(string)
			if typ != "prometheus" {
				return nil, nil, fmt.Errorf("%s: variable $%s queries %q; only Prometheus variables are checked here", d.File, name, typ)
			}
			q := variableQuery(v)
			m := labelValuesQuery.FindStringSubmatch(q)
			if m == nil {
				return nil, nil, fmt.Errorf("%s: variable $%s: query %q is not label_values(selector, label)", d.File, name, q)
			}
			allValue, _ := v["allValue"].(string)
			vars = append(vars, dashVariable{name: name, selector: strings.TrimSpace(m[1]), label: m[2], allValue: allValue})
		}
		for _, q := range deploy.DashboardPromQueries(d) {
			if strings.HasPrefix(q.Where, "variable ") {
				continue // variables are resolved (and so checked) separately
			}
			proms = append(proms, promCheck{source: d.File, where: q.Where, expr: q.Expr, vars: vars, dashboard: true})
		}
		for _, p := range d.Panels() {
			for _, t := range deploy.Targets(p) {
				if typ, _, _ := deploy.DatasourceRef(t["datasource"]); typ == deploy.SlurmDatasourceType {
					slurms = append(slurms, slurmCheck{source: d.File, where: fmt.Sprintf("panel %q %v", p["title"], t["refId"]),
						problems: deploy.ValidateSlurmQuery(t), query: t, noValue: panelNoValue(p), dashboard: true})
				}
			}
		}
	}
	return proms, slurms, nil
}

// panelNoValue is the text a panel shows instead of "No data" (empty when it sets none).
func panelNoValue(p map[string]any) string {
	fc, _ := p["fieldConfig"].(map[string]any)
	defaults, _ := fc["defaults"].(map[string]any)
	s, _ := defaults["noValue"].(string)
	return s
}

func variableQuery(v map[string]any) string {
	switch q := v["query"].(type) {
	case string:
		return q
	case map[string]any:
		s, _ := q["query"].(string)
		return s
	}
	return ""
}

// collectRuleFiles reads prometheus/rules/*.yml (Prometheus rules) and provisioning/alerting
// (Grafana-managed rules: Prometheus queries evaluated, Slurm queries checked against the model).
func collectRuleFiles(root string) ([]promCheck, []slurmCheck, error) {
	var proms []promCheck
	var slurms []slurmCheck
	files, _ := filepath.Glob(filepath.Join(root, "prometheus", "rules", "*.yml"))
	sort.Strings(files)
	for _, f := range files {
		var doc struct {
			Groups []struct {
				Rules []struct {
					Alert  string `yaml:"alert"`
					Record string `yaml:"record"`
					Expr   string `yaml:"expr"`
				} `yaml:"rules"`
			} `yaml:"groups"`
		}
		if err := readYAML(f, &doc); err != nil {
			return nil, nil, err
		}
		for _, g := range doc.Groups {
			for _, r := range g.Rules {
				name := "alert " + r.Alert
				if r.Record != "" {
					name = "record " + r.Record
				}
				proms = append(proms, promCheck{source: rel(root, f), where: name, expr: r.Expr})
			}
		}
	}
	var provFiles []string
	err := filepath.WalkDir(filepath.Join(root, "provisioning", "alerting"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			provFiles = append(provFiles, p)
		}
		return err
	})
	if err != nil && !os.IsNotExist(err) {
		return nil, nil, err
	}
	sort.Strings(provFiles)
	for _, f := range provFiles {
		var doc struct {
			Groups []struct {
				Rules []struct {
					UID  string `yaml:"uid"`
					Data []struct {
						RefID         string         `yaml:"refId"`
						DatasourceUID string         `yaml:"datasourceUid"`
						Model         map[string]any `yaml:"model"`
					} `yaml:"data"`
				} `yaml:"rules"`
			} `yaml:"groups"`
		}
		if err := readYAML(f, &doc); err != nil {
			return nil, nil, err
		}
		for _, g := range doc.Groups {
			for _, r := range g.Rules {
				for _, q := range r.Data {
					where := fmt.Sprintf("grafana rule %s %s", r.UID, q.RefID)
					switch q.DatasourceUID {
					case "prometheus":
						expr, _ := q.Model["expr"].(string)
						proms = append(proms, promCheck{source: rel(root, f), where: where, expr: expr})
					case "slurm":
						slurms = append(slurms, slurmCheck{source: rel(root, f), where: where, problems: deploy.ValidateSlurmQuery(q.Model),
							query: q.Model})
					}
				}
			}
		}
	}
	return proms, slurms, nil
}

// interpolate replaces $name and ${name} like Grafana: dashboard variables from values, then
// Grafana's built-ins. Longer names go first so $node never eats part of $nodes.
func interpolate(expr string, values map[string]string) string {
	all := map[string]string{}
	for k, v := range builtins {
		all[k] = v
	}
	for k, v := range values {
		all[k] = v
	}
	names := make([]string, 0, len(all))
	for k := range all {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	for _, n := range names {
		expr = strings.ReplaceAll(expr, "${"+n+"}", all[n])
		expr = regexp.MustCompile(`\$`+regexp.QuoteMeta(n)+`\b`).ReplaceAllLiteralString(expr, all[n])
	}
	return expr
}

// allSelection is what Grafana sends for "All": the allValue, else every value as a regex union.
func (v dashVariable) allSelection() string {
	if v.allValue != "" {
		return v.allValue
	}
	quoted := make([]string, len(v.values))
	for i, x := range v.values {
		quoted[i] = regexp.QuoteMeta(x)
	}
	return "(" + strings.Join(quoted, "|") + ")"
}

func readYAML(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func rel(root, p string) string {
	if r, err := filepath.Rel(root, p); err == nil {
		return r
	}
	return p
}
