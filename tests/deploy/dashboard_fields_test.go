package deploy

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/query"
)

// backendFrames builds the frames the backend answers for a query, with no rows (nil when the
// query type's frame needs data to have its fields).
func backendFrames(q map[string]any) (data.Frames, error) {
	raw, err := json.Marshal(q)
	if err != nil {
		return nil, err
	}
	qt, _ := q["queryType"].(string)
	switch qt {
	case query.TypeJobs, query.TypeNodes, query.TypeJobCounts, query.TypeNodeCounts, query.TypePartitions,
		query.TypeScheduler, query.TypeJobHistory, query.TypeUsage:
	default:
		return nil, nil
	}
	now := time.Now()
	m, err := query.Parse(qt, raw, query.Request{From: now.Add(-6 * time.Hour), To: now, Interval: time.Minute, Now: now})
	if err != nil {
		return nil, err
	}
	if u, ok := m.(query.Usage); ok && u.Format != "table" {
		return nil, nil // one frame per group: no group without data
	}
	return m.Frames(query.Data{Snapshot: &cluster.Snapshot{}})
}

// backendFields returns the fields of the backend's frames for a query as name → display name
// (Grafana's transformations match display names: groupBy only those, filters and joins either).
// nil when the query type's frame needs data to have its fields.
func backendFields(q map[string]any) (map[string]string, error) {
	frames, err := backendFrames(q)
	if frames == nil || err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, f := range frames {
		for _, field := range f.Fields {
			display := field.Name
			if field.Config != nil && field.Config.DisplayNameFromDS != "" {
				display = field.Config.DisplayNameFromDS
			}
			out[field.Name] = display
		}
	}
	return out, nil
}

// Transformations and reduce options of panels on the Slurm data source must name fields the
// backend's frames have, under the name Grafana matches: a groupBy keyed by a field's name when
// the backend gives it a display name groups nothing.
func TestDashboardTransformationsNameBackendFields(t *testing.T) {
	checked := 0
	for _, d := range loadDashboards(t) {
		for _, p := range d.Panels() {
			fields := map[string]string{}
			slurmOnly, any := true, false
			for _, q := range Targets(p) {
				if typ, _, _ := DatasourceRef(q["datasource"]); typ != SlurmDatasourceType {
					slurmOnly = false
					continue
				}
				f, err := backendFields(q)
				if err != nil {
					t.Errorf("%s: panel %q: %v", d.File, p["title"], err)
				}
				if f == nil {
					slurmOnly = false // fields unknown without data
				}
				for k, v := range f {
					fields[k] = v
					any = true
				}
			}
			if !any {
				continue
			}
			checked++
			for _, e := range checkPanelFieldNames(p, fields, slurmOnly) {
				t.Errorf("%s: panel %q: %s", d.File, p["title"], e)
			}
		}
	}
	if checked == 0 {
		t.Error("no panel on a Slurm table query checked")
	}
}

func checkPanelFieldNames(p map[string]any, fields map[string]string, slurmOnly bool) []string {
	var errs []string
	displays := map[string]bool{}
	for _, d := range fields {
		displays[d] = true
	}
	known := func(name string) bool { _, isName := fields[name]; return isName || displays[name] }
	transformations, _ := p["transformations"].([]any)
	for i, tr := range transformations {
		tm, _ := tr.(map[string]any)
		opts, _ := tm["options"].(map[string]any)
		switch tm["id"] {
		case "groupBy":
			keys, _ := opts["fields"].(map[string]any)
			for k := range keys {
				if d, isName := fields[k]; isName && d != k {
					errs = append(errs, fmt.Sprintf("groupBy names field %q, which Grafana knows by its display name %q", k, d))
				} else if slurmOnly && i == 0 && !displays[k] {
					errs = append(errs, fmt.Sprintf("groupBy names %q, not a field of the backend's frame", k))
				}
			}
		case "filterFieldsByName":
			inc, _ := opts["include"].(map[string]any)
			names, _ := inc["names"].([]any)
			for _, n := range names {
				if s, _ := n.(string); slurmOnly && i == 0 && !known(s) {
					errs = append(errs, fmt.Sprintf("filterFieldsByName keeps %q, not a field of the backend's frame", s))
				}
			}
		case "sortBy":
			sorts, _ := opts["sort"].([]any)
			for _, so := range sorts {
				sm, _ := so.(map[string]any)
				if f, _ := sm["field"].(string); slurmOnly && i == 0 && !known(f) {
					errs = append(errs, fmt.Sprintf("sortBy on %q, not a field of the backend's frame", f))
				}
			}
		case "joinByField":
			if by, _ := opts["byField"].(string); by != "" && slurmOnly && !known(by) {
				errs = append(errs, fmt.Sprintf("joinByField on %q, not a field of the backend's frames", by))
			}
		}
	}
	if len(transformations) == 0 && slurmOnly {
		opts, _ := p["options"].(map[string]any)
		red, _ := opts["reduceOptions"].(map[string]any)
		if re, _ := red["fields"].(string); strings.HasPrefix(re, "/") && strings.HasSuffix(re, "/") && len(re) > 2 {
			rx, err := regexp.Compile(re[1 : len(re)-1])
			if err != nil {
				errs = append(errs, fmt.Sprintf("reduceOptions.fields %q: %v", re, err))
			} else {
				// Grafana's byRegexp matcher tests the display name only (getFieldDisplayName):
				// a regex that matches a field's name but not its display name shows nothing.
				n := 0
				for display := range displays {
					if rx.MatchString(display) {
						n++
					}
				}
				if n == 0 {
					errs = append(errs, fmt.Sprintf("reduceOptions.fields %q matches no display name of the backend's frame", re))
				}
			}
		}
		if sorts, _ := opts["sortBy"].([]any); len(sorts) > 0 {
			for _, s := range sorts {
				sm, _ := s.(map[string]any)
				if dn, _ := sm["displayName"].(string); !displays[dn] {
					errs = append(errs, fmt.Sprintf("sortBy %q is not a display name of the backend's frame", dn))
				}
			}
		}
	}
	return errs
}

func TestCheckPanelFieldNamesRejectsFieldNamesForDisplayNames(t *testing.T) {
	fields := map[string]string{"job_id": "Job", "user": "user", "cpu_efficiency": "CPU efficiency"}
	p := map[string]any{"transformations": []any{map[string]any{"id": "groupBy", "options": map[string]any{
		"fields": map[string]any{"user": map[string]any{}, "job_id": map[string]any{}}}}}}
	if errs := checkPanelFieldNames(p, fields, true); len(errs) != 1 || !strings.Contains(errs[0], `display name "Job"`) {
		t.Errorf("want one error about job_id's display name, got %v", errs)
	}
	p = map[string]any{"options": map[string]any{"reduceOptions": map[string]any{"fields": "/^schedule_cycle_.*$/"},
		"sortBy": []any{map[string]any{"displayName": "cpu_efficiency"}}}}
	if errs := checkPanelFieldNames(p, fields, true); len(errs) != 2 {
		t.Errorf("want errors for the regex and the sort by field name, got %v", errs)
	}
	// A regex that matches a field's name but not its display name selects nothing in Grafana.
	p = map[string]any{"options": map[string]any{"reduceOptions": map[string]any{"fields": "/^cpu_efficiency$/"}}}
	if errs := checkPanelFieldNames(p, fields, true); len(errs) != 1 || !strings.Contains(errs[0], "no display name") {
		t.Errorf("want an error for a regex on the field name, got %v", errs)
	}
	p = map[string]any{"options": map[string]any{"reduceOptions": map[string]any{"fields": "/^CPU efficiency$/"}}}
	if errs := checkPanelFieldNames(p, fields, true); len(errs) != 0 {
		t.Errorf("a regex on the display name is what Grafana matches, got %v", errs)
	}
}
