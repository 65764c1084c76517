package deploy

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"text/template"
	"time"
)

// Grafana expands an alert rule's annotations with Go's text/template in every state of every
// instance (Normal, Pending, Alerting, NoData, Error), through Prometheus' template expander with
// missingkey=invalid: a label or value that is not there prints "<no value>", which Grafana shows as
// "[no value]", and a template that fails to execute (a function given a missing value) is shown
// as its raw text. In NoData and Error states an instance has no query labels and no values. This
// file renders every annotation the way Grafana does, with a value present and absent.

// templateLabels and templateValue mirror Grafana's template data types (their String forms too).
type templateLabels map[string]string

func (l templateLabels) String() string {
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + l[k]
	}
	return strings.Join(parts, ", ")
}

type templateValue struct {
	Labels templateLabels
	Value  float64
}

func (v templateValue) String() string { return strconv.FormatFloat(v.Value, 'f', -1, 64) }

type templateData struct {
	Labels templateLabels
	Values map[string]templateValue
	Value  string
}

// alertTemplateFuncs are equivalents of the functions Grafana's annotation templates offer
// (Prometheus' template functions plus Grafana's own), with the same names, argument types and
// failure modes. A template calling anything else fails to parse here.
var alertTemplateFuncs = template.FuncMap{
	"humanize": func(i any) (string, error) {
		v, err := toFloat(i)
		if err != nil {
			return "", err
		}
		return humanizeSI(v), nil
	},
	"humanizePercentage": func(i any) (string, error) {
		v, err := toFloat(i)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%.4g%%", v*100), nil
	},
	"humanizeDuration": func(i any) (string, error) {
		v, err := toFloat(i)
		if err != nil {
			return "", err
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Sprintf("%.4g", v), nil
		}
		return (time.Duration(v * float64(time.Second))).Round(time.Millisecond).String(), nil
	},
	//lint:ignore SA1019 Prometheus' alert templates offer exactly strings.Title
	"title":          strings.Title,
	"toUpper":        strings.ToUpper,
	"toLower":        strings.ToLower,
	"match":          regexp.MatchString,
	"reReplaceAll":   func(p, r, s string) string { return regexp.MustCompile(p).ReplaceAllString(s, r) },
	"filterLabels":   func(l templateLabels, _ string) templateLabels { return l },
	"removeLabels":   func(l templateLabels, _ string) templateLabels { return l },
	"graphLink":      func(string) string { return "/explore" },
	"tableLink":      func(string) string { return "/explore" },
	"stripPort":      func(s string) string { h, _, _ := strings.Cut(s, ":"); return h },
	"filterLabelsRe": func(l templateLabels, _ string) templateLabels { return l },
}

// toFloat converts like Prometheus' template functions: numbers and numeric strings; anything
// else (a missing value is nil here) is an error, which Grafana shows as the raw template.
func toFloat(i any) (float64, error) {
	switch v := i.(type) {
	case float64:
		return v, nil
	case int:
		return float64(v), nil
	case string:
		return strconv.ParseFloat(v, 64)
	}
	return 0, fmt.Errorf("can't convert %T to float", i)
}

func humanizeSI(v float64) string {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Sprintf("%.4g", v)
	}
	prefix := ""
	if math.Abs(v) >= 1 {
		for _, p := range []string{"k", "M", "G", "T", "P", "E"} {
			if math.Abs(v) < 1000 {
				break
			}
			prefix, v = p, v/1000
		}
	} else {
		for _, p := range []string{"m", "u", "n", "p"} {
			if math.Abs(v) >= 1 {
				break
			}
			prefix, v = p, v*1000
		}
	}
	return fmt.Sprintf("%.4g%s", v, prefix)
}

// renderAnnotation expands one annotation as Grafana does: the $labels/$values/$value prelude,
// missingkey=invalid, and "<no value>" shown as "[no value]".
func renderAnnotation(name, text string, data templateData) (string, error) {
	tmpl, err := template.New(name).Option("missingkey=invalid").Funcs(alertTemplateFuncs).
		Parse("{{- $labels := .Labels -}}{{- $values := .Values -}}{{- $value := .Value -}}" + text)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := tmpl.Execute(&b, data); err != nil {
		return "", err
	}
	return strings.ReplaceAll(b.String(), "<no value>", "[no value]"), nil
}

var templateLabelRef = regexp.MustCompile(`\$labels\.([A-Za-z_][A-Za-z0-9_]*)|index \$labels "([^"]+)"`)

// annotationStates builds the template data of an instance of rule r in each state: "present"
// (Normal, Pending or Alerting: every label the templates read and every refId has a value) and
// "absent" (NoData or Error: only the rule's own labels and Grafana's, no values).
func annotationStates(r provRule, folder string) map[string]templateData {
	base := templateLabels{"alertname": r.Title, "grafana_folder": folder}
	for k, v := range r.Labels {
		base[k] = v
	}
	present := templateLabels{}
	for k, v := range base {
		present[k] = v
	}
	for _, text := range r.Annotations {
		for _, m := range templateLabelRef.FindAllStringSubmatch(text, -1) {
			name := m[1] + m[2]
			if _, ok := present[name]; !ok {
				present[name] = "sample-" + name
			}
		}
	}
	values := map[string]templateValue{}
	for i, q := range r.Data {
		values[q.RefID] = templateValue{Labels: present, Value: float64(7 + 3*i)}
	}
	absent := templateLabels{"datasource_uid": r.Data[0].DatasourceUID, "ref_id": r.Data[0].RefID}
	for k, v := range base {
		absent[k] = v
	}
	return map[string]templateData{
		"present": {Labels: present, Values: values, Value: "[ var='A' value=7 ]"},
		"absent":  {Labels: absent, Values: map[string]templateValue{}, Value: ""},
	}
}

// annotationProblem says what is wrong with a rendered annotation, or "".
func annotationProblem(out string) string {
	for _, bad := range []string{"[no value]", "<no value>", "{{", "}}", "NaN"} {
		if strings.Contains(out, bad) {
			return fmt.Sprintf("reads %q", bad)
		}
	}
	if strings.TrimSpace(out) == "" {
		return "is empty"
	}
	return ""
}

func TestEveryAnnotationReadsWellInEveryState(t *testing.T) {
	p := loadProvisioning(t)
	rendered := 0
	for file, f := range p.files {
		for _, g := range f.Groups {
			for _, r := range g.Rules {
				for state, data := range annotationStates(r, g.Folder) {
					for name, text := range r.Annotations {
						if strings.HasPrefix(name, "__") {
							continue // Grafana's own links to a dashboard panel, not text
						}
						rendered++
						out, err := renderAnnotation(name, text, data)
						if err != nil {
							t.Errorf("%s: rule %s, value %s: annotation %s does not expand (Grafana shows the raw template): %v",
								file, r.UID, state, name, err)
							continue
						}
						if problem := annotationProblem(out); problem != "" {
							t.Errorf("%s: rule %s, value %s: annotation %s %s: %q", file, r.UID, state, name, problem, out)
						}
					}
				}
			}
		}
	}
	if rendered == 0 {
		t.Error("no annotation rendered")
	}
}

// The renderer must fail the way Grafana's does, or the test above proves nothing.
func TestRenderAnnotationBehavesLikeGrafana(t *testing.T) {
	absent := templateData{Labels: templateLabels{"alertname": "x"}, Values: map[string]templateValue{}}
	present := templateData{Labels: templateLabels{"partition": "gpu"},
		Values: map[string]templateValue{"C": {Value: 0.375}, "A": {Value: 3}}}
	cases := []struct {
		text    string
		data    templateData
		want    string // "error" = does not expand
		problem bool
	}{
		{"{{ $values.A }} jobs in {{ $labels.partition }}", present, "3 jobs in gpu", false},
		{"{{ $values.A }} jobs in {{ $labels.partition }}", absent, "[no value] jobs in [no value]", true},
		{"ratio {{ humanizePercentage $values.C.Value }}", present, "ratio 37.5%", false},
		{"ratio {{ humanizePercentage $values.C.Value }}", absent, "error", true},
		{"{{ if $values.C }}ratio {{ humanizePercentage $values.C.Value }}{{ else }}no ratio{{ end }}", absent, "no ratio", false},
		{`{{ index $labels "partition" }}!`, absent, "!", false},
		{"{{ humanize 3500000 }}", present, "3.5M", false},
		{"{{ nosuchfunc 1 }}", present, "error", true},
	}
	for _, c := range cases {
		out, err := renderAnnotation("t", c.text, c.data)
		got := out
		if err != nil {
			got = "error"
		}
		if got != c.want {
			t.Errorf("%q: got %q (%v), want %q", c.text, got, err, c.want)
		}
		if err == nil && (annotationProblem(out) != "") != c.problem {
			t.Errorf("%q: rendered %q, problem %q, want a problem: %v", c.text, out, annotationProblem(out), c.problem)
		}
	}
}
