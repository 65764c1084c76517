package deploy

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
)

var (
	reducers      = map[string]bool{"last": true, "mean": true, "min": true, "max": true, "sum": true, "count": true, "median": true}
	exprTypes     = map[string]bool{"math": true, "reduce": true, "threshold": true, "classic_conditions": true, "resample": true, "sql": true}
	noDataStates  = map[string]bool{"OK": true, "NoData": true, "Alerting": true, "KeepLast": true}
	execErrStates = map[string]bool{"OK": true, "Error": true, "Alerting": true, "KeepLast": true}
)

// expressionInputs returns the refIds a server-side expression reads, parsed the way Grafana's
// expression engine does. Grafana 12.4 stores a provisioned rule's model as written (no
// environment interpolation), so what is in the file is what the engine parses:
//   - math: variables are $A or ${A} (letters, digits, '_'; braces also allow spaces); a '$' not
//     followed by a name, as in "$$A", is the engine's "incomplete variable" parse error;
//   - reduce, threshold, resample: the expression is the input's refId itself ("A"; the engine
//     also strips one leading '$').
func expressionInputs(typ, expr string) ([]string, error) {
	switch typ {
	case "math":
		return mathVariables(expr)
	case "reduce", "threshold", "resample":
		name := strings.TrimPrefix(strings.TrimSpace(expr), "$")
		if name == "" || strings.IndexFunc(name, func(r rune) bool { return !isVarChar(r) }) >= 0 {
			return nil, fmt.Errorf("%s expression %q is not a refId", typ, expr)
		}
		return []string{name}, nil
	}
	return nil, nil
}

func isVarChar(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// mathVariable matches one '$' and what follows it: a braced name, or a (possibly empty) run of
// letters, digits and '_'.
var mathVariable = regexp.MustCompile(`\$(\{[^}]*\}?|[\p{L}\p{N}_]*)`)

func mathVariables(expr string) ([]string, error) {
	var vars []string
	for _, m := range mathVariable.FindAllStringSubmatch(expr, -1) {
		name := m[1]
		switch {
		case strings.HasPrefix(name, "{") && !strings.HasSuffix(name, "}"):
			return nil, fmt.Errorf("math expression %q: unterminated variable %q", expr, m[0])
		case strings.HasPrefix(name, "{"):
			name = strings.TrimSuffix(strings.TrimPrefix(name, "{"), "}")
			if strings.TrimSpace(name) == "" {
				return nil, fmt.Errorf("math expression %q: incomplete variable ${}", expr)
			}
		case name == "":
			return nil, fmt.Errorf("math expression %q: incomplete variable (the engine reads $A or ${A}; "+
				"a provisioned model is not interpolated, so $$ reaches it as written)", expr)
		}
		vars = append(vars, name)
	}
	if len(vars) == 0 {
		return nil, fmt.Errorf("math expression %q reads no refId", expr)
	}
	return vars, nil
}

func checkRule(r provRule, p provisioning, dashboards map[string]map[int]bool) []string {
	var errs []string
	add := func(format string, a ...any) { errs = append(errs, fmt.Sprintf(format, a...)) }
	if !ruleUID.MatchString(r.UID) {
		add("uid must be 1–40 letters, digits, '-' or '_'")
	}
	if r.Title == "" {
		add("no title")
	}
	refs := map[string]provRuleQuery{}
	for _, q := range r.Data {
		if q.RefID == "" {
			add("a data entry has no refId")
		}
		if _, dup := refs[q.RefID]; dup {
			add("refId %q repeated", q.RefID)
		}
		refs[q.RefID] = q
	}
	if _, ok := refs[r.Condition]; !ok {
		add("condition %q is not one of the data refIds", r.Condition)
	}
	for _, q := range r.Data {
		if mr, _ := q.Model["refId"].(string); mr != q.RefID {
			add("data %s: model.refId %q differs from refId", q.RefID, mr)
		}
		if q.DatasourceUID == "__expr__" {
			typ, _ := q.Model["type"].(string)
			if !exprTypes[typ] {
				add("data %s: expression type %q unknown", q.RefID, typ)
			}
			expr, _ := q.Model["expression"].(string)
			inputs, err := expressionInputs(typ, expr)
			if err != nil {
				add("data %s: %v", q.RefID, err)
			}
			if typ == "reduce" {
				if red, _ := q.Model["reducer"].(string); !reducers[red] {
					add("data %s: reducer %q unknown", q.RefID, red)
				}
			}
			for _, in := range inputs {
				if _, ok := refs[in]; !ok || in == q.RefID {
					add("data %s: expression input %q is not another refId of this rule", q.RefID, in)
				}
			}
			if typ == "threshold" {
				conds, _ := q.Model["conditions"].([]any)
				if len(conds) == 0 {
					add("data %s: threshold without conditions", q.RefID)
				}
			}
			continue
		}
		ds, ok := p.datasources[q.DatasourceUID]
		if !ok {
			add("data %s: datasourceUid %q is not provisioned", q.RefID, q.DatasourceUID)
			continue
		}
		if q.RelativeTimeRange == nil || q.RelativeTimeRange["from"] <= q.RelativeTimeRange["to"] {
			add("data %s: relativeTimeRange.from must be greater than to", q.RefID)
		}
		switch ds.Type {
		case "prometheus":
			expr, _ := q.Model["expr"].(string)
			if strings.TrimSpace(expr) == "" {
				add("data %s: empty PromQL expr", q.RefID)
			}
			if strings.Contains(expr, "$$") {
				add("data %s: expr contains '$$', which reaches Prometheus as written (models are not interpolated)", q.RefID)
			}
		case SlurmDatasourceType:
			for _, e := range ValidateSlurmQuery(q.Model) {
				add("data %s: %s", q.RefID, e)
			}
		}
	}
	if _, err := time.ParseDuration(r.For); err != nil {
		add("for %q is not a duration", r.For)
	}
	if !noDataStates[r.NoDataState] {
		add("noDataState %q unknown", r.NoDataState)
	}
	if !execErrStates[r.ExecErrState] {
		add("execErrState %q unknown", r.ExecErrState)
	}
	if len(r.Labels) == 0 || r.Labels["severity"] == "" {
		add("needs labels, at least severity")
	}
	for k, v := range r.Labels {
		if strings.Contains(strings.ReplaceAll(v, "$$", ""), "$") {
			add("label %s=%q contains '$': provisioning interpolates labels from the environment", k, v)
		}
	}
	for k, v := range r.Annotations {
		// Some Grafana versions expand ${NAME} in annotations from the environment; templates
		// never need that form ({{ $labels.x }}), so it is refused rather than left to chance.
		if strings.Contains(v, "${") {
			add("annotation %s contains '${', which provisioning may replace from the environment", k)
		}
	}
	if r.Annotations["summary"] == "" || r.Annotations["description"] == "" {
		add("needs summary and description annotations")
	}
	if uid, ok := r.Annotations["__dashboardUid__"]; ok {
		panels, exists := dashboards[uid]
		if !exists {
			add("__dashboardUid__ %q is not a dashboard in dashboards/", uid)
		}
		id, err := strconv.Atoi(r.Annotations["__panelId__"])
		if err != nil || !panels[id] {
			add("__panelId__ %q is not a panel of dashboard %q", r.Annotations["__panelId__"], uid)
		}
	}
	return errs
}

// Every math, reduce, threshold and resample expression of every provisioned rule reads only
// refIds of its own rule, written as Grafana's expression engine parses them.
func TestEveryRuleExpressionReadsRefIDsOfItsOwnRule(t *testing.T) {
	p := loadProvisioning(t)
	expressions := 0
	for file, f := range p.files {
		for _, g := range f.Groups {
			for _, r := range g.Rules {
				own := map[string]bool{}
				for _, q := range r.Data {
					own[q.RefID] = true
				}
				for _, q := range r.Data {
					if q.DatasourceUID != "__expr__" {
						continue
					}
					expressions++
					typ, _ := q.Model["type"].(string)
					expr, _ := q.Model["expression"].(string)
					inputs, err := expressionInputs(typ, expr)
					if err != nil {
						t.Errorf("%s: rule %s data %s: %v", file, r.UID, q.RefID, err)
					}
					for _, in := range inputs {
						if !own[in] || in == q.RefID {
							t.Errorf("%s: rule %s data %s: %s expression %q reads %q, not another refId of this rule", file, r.UID, q.RefID, typ, expr, in)
						}
					}
				}
			}
		}
	}
	if expressions == 0 {
		t.Error("no expression found in the provisioned rules")
	}
}

func TestExpressionInputsFollowsGrafanaSyntax(t *testing.T) {
	cases := []struct {
		typ, expr string
		want      string // inputs joined by ","; "error" = must be refused
	}{
		{"math", "$A / $B", "A,B"},
		{"math", "${A} / (${B} + (${B} == 0))", "A,B,B"},
		{"math", "${my query} > 0", "my query"},
		{"math", "$C > 0.25 && $B2 >= 5", "C,B2"},
		{"math", "$$A / $$B", "error"},
		{"math", "$ A", "error"},
		{"math", "${A", "error"},
		{"math", "1 + 2", "error"},
		{"reduce", "A", "A"},
		{"threshold", "$B", "B"},
		{"threshold", "A + B", "error"},
		{"reduce", "", "error"},
	}
	for _, c := range cases {
		got, err := expressionInputs(c.typ, c.expr)
		joined := strings.Join(got, ",")
		if err != nil {
			joined = "error"
		}
		if joined != c.want {
			t.Errorf("%s %q: got %q (err %v), want %q", c.typ, c.expr, joined, err, c.want)
		}
	}
}
