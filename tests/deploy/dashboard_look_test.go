package deploy

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/query"
)

// What a person sees on a dashboard panel on Slurm data, derived from the backend's own frames and
// the panel's options the way Grafana derives it. Two mistakes a real Grafana 12.4 showed:
//   - a stat or bar gauge over a frame with one row per group (job_counts by state, partition,
//     reason, user, account; node_counts by state) that reduces each number column to one value
//     (reduceOptions.values false) draws a single number for the whole frame instead of one bar
//     per group;
//   - raw field names (server_thread_count, jobs_submitted, stat names) as titles or headers.

// rawName is a program's name for a field (snake_case or a lowercase identifier), not a person's.
var rawName = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// rowTransformations turn a frame's rows into separately displayed values without values: true.
var rowTransformations = map[string]bool{"rowsToFields": true, "partitionByValues": true, "groupingToMatrix": true}

type panelLook struct {
	titles   []string // field names shown as titles or column headers
	perGroup bool     // one value per row (group) rather than one per frame
}

// slurmPanelFrames returns the backend's frames of a panel whose queries are all on the Slurm data
// source, and whether every frame's shape is known without data.
func slurmPanelFrames(t *testing.T, file string, p map[string]any) (data.Frames, bool) {
	var frames data.Frames
	targets := Targets(p)
	if len(targets) == 0 {
		return nil, false
	}
	for _, q := range targets {
		if typ, _, _ := DatasourceRef(q["datasource"]); typ != SlurmDatasourceType {
			return nil, false
		}
		f, err := backendFrames(q)
		if err != nil {
			t.Errorf("%s: panel %q: %v", file, p["title"], err)
			return nil, false
		}
		if f == nil {
			return nil, false
		}
		frames = append(frames, f...)
	}
	return frames, true
}

func displayName(f *data.Field) string {
	if f.Config != nil && f.Config.DisplayNameFromDS != "" {
		return f.Config.DisplayNameFromDS
	}
	return f.Name
}

func hiddenByBackend(f *data.Field) bool {
	if f.Config == nil {
		return false
	}
	hide, _ := f.Config.Custom["hideFrom"].(map[string]any)
	v, _ := hide["viz"].(bool)
	return v
}

func panelOptions(p map[string]any, key string) map[string]any {
	opts, _ := p["options"].(map[string]any)
	m, _ := opts[key].(map[string]any)
	return m
}

// lookOf derives what the panel shows of the frames: the field names it displays (after the
// backend's display names, groupBy, filterFieldsByName and organize, as Grafana applies them) and
// whether a stat or bar gauge shows one value per row.
func lookOf(p map[string]any, frames data.Frames) panelLook {
	type col struct {
		name    string
		numeric bool
		hidden  bool
	}
	var cols []col
	for _, f := range frames {
		for _, field := range f.Fields {
			cols = append(cols, col{displayName(field), field.Type().Numeric(), hiddenByBackend(field)})
		}
	}
	var look panelLook
	transformations, _ := p["transformations"].([]any)
	for _, tr := range transformations {
		tm, _ := tr.(map[string]any)
		opts, _ := tm["options"].(map[string]any)
		id, _ := tm["id"].(string)
		look.perGroup = look.perGroup || rowTransformations[id]
		switch id {
		case "filterFieldsByName":
			inc, _ := opts["include"].(map[string]any)
			names, _ := inc["names"].([]any)
			keep := map[string]bool{}
			for _, n := range names {
				s, _ := n.(string)
				keep[s] = true
			}
			var kept []col
			for _, c := range cols {
				if keep[c.name] {
					kept = append(kept, c)
				}
			}
			cols = kept
		case "groupBy":
			fields, _ := opts["fields"].(map[string]any)
			var out []col
			for _, c := range cols {
				spec, _ := fields[c.name].(map[string]any)
				switch spec["operation"] {
				case "groupby":
					out = append(out, c)
				case "aggregate":
					calcs, _ := spec["aggregations"].([]any)
					for _, calc := range calcs {
						out = append(out, col{name: fmt.Sprintf("%s (%v)", c.name, calc), numeric: true})
					}
				}
			}
			cols = out
		case "organize":
			exclude, _ := opts["excludeByName"].(map[string]any)
			rename, _ := opts["renameByName"].(map[string]any)
			var out []col
			for _, c := range cols {
				if ex, _ := exclude[c.name].(bool); ex {
					continue
				}
				if r, _ := rename[c.name].(string); r != "" {
					c.name = r
				}
				out = append(out, c)
			}
			cols = out
		}
	}
	overrides := overrideDisplayNames(p)
	red := panelOptions(p, "reduceOptions")
	values, _ := red["values"].(bool)
	look.perGroup = look.perGroup || values
	var matcher *regexp.Regexp
	if re, _ := red["fields"].(string); strings.HasPrefix(re, "/") && strings.HasSuffix(re, "/") && len(re) > 2 {
		matcher, _ = regexp.Compile(re[1 : len(re)-1])
	}
	var reduced []string
	for _, c := range cols {
		if c.hidden {
			continue
		}
		if d, ok := overrides[c.name]; ok {
			c.name = d
		}
		switch p["type"] {
		case "table":
			look.titles = append(look.titles, c.name)
		case "stat", "bargauge", "gauge":
			// A stat or bar gauge titles its values with the numeric fields' names, unless it shows one
			// value per row: then the row's string fields (data: a state, a partition) title it.
			if c.numeric && !values && (matcher == nil || matcher.MatchString(c.name)) {
				reduced = append(reduced, c.name)
			}
		}
	}
	// A stat with a single value shows the panel's title only (unless told to show the name); a
	// bar gauge names each bar.
	opts, _ := p["options"].(map[string]any)
	textMode, _ := opts["textMode"].(string)
	if p["type"] == "bargauge" || len(reduced) > 1 || textMode == "name" || textMode == "value_and_name" {
		look.titles = append(look.titles, reduced...)
	}
	return look
}

// overrideDisplayNames maps a field matched by name to the displayName an override gives it.
func overrideDisplayNames(p map[string]any) map[string]string {
	out := map[string]string{}
	fc, _ := p["fieldConfig"].(map[string]any)
	overrides, _ := fc["overrides"].([]any)
	for _, o := range overrides {
		om, _ := o.(map[string]any)
		m, _ := om["matcher"].(map[string]any)
		if m["id"] != "byName" {
			continue
		}
		name, _ := m["options"].(string)
		props, _ := om["properties"].([]any)
		for _, pr := range props {
			pm, _ := pr.(map[string]any)
			if v, _ := pm["value"].(string); pm["id"] == "displayName" && v != "" {
				out[name] = v
			}
		}
	}
	return out
}

// groupLabels lists a frame's string fields when it has one row per group (a counts frame).
func groupLabels(frames data.Frames) []string {
	var labels []string
	for _, f := range frames {
		if f.Meta == nil || f.Meta.Type != data.FrameTypeNumericLong {
			continue
		}
		for _, field := range f.Fields {
			if field.Type() == data.FieldTypeString {
				labels = append(labels, field.Name)
			}
		}
	}
	return labels
}

// lookProblems says what is wrong with a panel's look, one message per problem.
func lookProblems(p map[string]any, frames data.Frames) []string {
	var problems []string
	look := lookOf(p, frames)
	if typ := p["type"]; (typ == "stat" || typ == "bargauge") && !look.perGroup {
		if labels := groupLabels(frames); len(labels) > 0 {
			problems = append(problems, fmt.Sprintf("reduces a frame with one row per %s to a single number: "+
				"set reduceOptions.values to true to show one value per group", strings.Join(labels, " and ")))
		}
	}
	for _, title := range look.titles {
		if rawName.MatchString(title) {
			problems = append(problems, fmt.Sprintf("shows the raw field name %q: give it a name for people", title))
		}
	}
	problems = append(problems, statNameProblems(p, frames)...)
	return problems
}

// statNameProblems: the scheduler's numeric frame titles its rows with statistic names
// (schedule_cycle_last_us…); a panel showing them must map each to a name for people.
func statNameProblems(p map[string]any, frames data.Frames) []string {
	shown := false
	for _, f := range frames {
		if _, i := f.FieldByName("stat"); i >= 0 && f.Name == "scheduler" {
			shown = true
		}
	}
	if !shown {
		return nil
	}
	stats := map[string]bool{}
	for _, q := range Targets(p) {
		if list, _ := q["statistics"].([]any); len(list) > 0 {
			for _, s := range list {
				stats[fmt.Sprint(s)] = true
			}
			continue
		}
		for _, s := range query.SchedulerStatNames() {
			stats[s] = true
		}
	}
	mapped := valueMappingTexts(p)
	var missing []string
	for s := range stats {
		if text := mapped[s]; text == "" || rawName.MatchString(text) {
			missing = append(missing, s)
		}
	}
	sort.Strings(missing)
	if len(missing) == 0 {
		return nil
	}
	return []string{fmt.Sprintf("shows the statistic names %s as they are: map each to a name for people (value mappings)",
		strings.Join(missing, ", "))}
}

// valueMappingTexts collects value → text of every value mapping of the panel (defaults and overrides).
func valueMappingTexts(p map[string]any) map[string]string {
	out := map[string]string{}
	collect := func(list []any) {
		for _, m := range list {
			mm, _ := m.(map[string]any)
			if mm["type"] != "value" {
				continue
			}
			opts, _ := mm["options"].(map[string]any)
			for k, v := range opts {
				vm, _ := v.(map[string]any)
				if t, _ := vm["text"].(string); t != "" {
					out[k] = t
				}
			}
		}
	}
	fc, _ := p["fieldConfig"].(map[string]any)
	defaults, _ := fc["defaults"].(map[string]any)
	list, _ := defaults["mappings"].([]any)
	collect(list)
	overrides, _ := fc["overrides"].([]any)
	for _, o := range overrides {
		om, _ := o.(map[string]any)
		props, _ := om["properties"].([]any)
		for _, pr := range props {
			pm, _ := pr.(map[string]any)
			if pm["id"] == "mappings" {
				list, _ := pm["value"].([]any)
				collect(list)
			}
		}
	}
	return out
}

// Every panel on Slurm data shows one value per group where its frame has groups, and names for
// people wherever it shows a field's name.
func TestSlurmPanelsShowOneValuePerGroupAndNamesForPeople(t *testing.T) {
	checked := 0
	for _, d := range loadDashboards(t) {
		for _, p := range d.Panels() {
			frames, ok := slurmPanelFrames(t, d.File, p)
			if !ok {
				continue
			}
			checked++
			for _, problem := range lookProblems(p, frames) {
				t.Errorf("%s: panel %q %s", d.File, p["title"], problem)
			}
		}
	}
	if checked == 0 {
		t.Error("no panel on Slurm data checked")
	}
}

// The backend links job and node cells to the app's pages (in the chosen cluster); a panel adding
// links of its own gives each cell two, which Grafana 12.4 opens as a menu instead of the page.
func TestSlurmTablesAddNoSecondLink(t *testing.T) {
	for _, d := range loadDashboards(t) {
		for _, p := range d.Panels() {
			frames, ok := slurmPanelFrames(t, d.File, p)
			if !ok {
				continue
			}
			linked := false
			for _, f := range frames {
				for _, field := range f.Fields {
					linked = linked || (field.Config != nil && len(field.Config.Links) > 0)
				}
			}
			fc, _ := p["fieldConfig"].(map[string]any)
			defaults, _ := fc["defaults"].(map[string]any)
			if links, _ := defaults["links"].([]any); linked && len(links) > 0 {
				t.Errorf("%s: panel %q adds field links to cells the backend already links", d.File, p["title"])
			}
		}
	}
}

// The checks above must fail on the dashboards Grafana showed wrong.
func TestLookProblemsCatchWhatGrafanaShowedWrong(t *testing.T) {
	slurm := map[string]any{"type": SlurmDatasourceType, "uid": "${slurm}"}
	counts := map[string]any{"refId": "A", "datasource": slurm, "queryType": "job_counts", "groupBy": []any{"partition"}}
	frames := func(q map[string]any) data.Frames {
		f, err := backendFrames(q)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	bar := func(values bool) map[string]any {
		return map[string]any{"type": "bargauge", "targets": []any{counts},
			"options": map[string]any{"reduceOptions": map[string]any{"values": values, "calcs": []any{"lastNotNull"}, "fields": ""}}}
	}
	if got := lookProblems(bar(false), frames(counts)); len(got) == 0 || !strings.Contains(got[0], "one row per partition") {
		t.Errorf("a bar gauge reducing jobs by partition to one number: %v", got)
	}
	if got := lookProblems(bar(true), frames(counts)); len(got) != 0 {
		t.Errorf("one bar per partition: %v", got)
	}
	// Before the backend named its fields for people, the scheduler stat showed server_thread_count.
	sched := map[string]any{"refId": "A", "datasource": slurm, "queryType": "scheduler"}
	f := frames(sched)
	for _, field := range f[0].Fields {
		field.Config = nil
	}
	stat := map[string]any{"type": "stat", "targets": []any{sched},
		"options": map[string]any{"reduceOptions": map[string]any{"values": false, "fields": "/^(server_thread_count|agent_queue_size)$/"}}}
	if got := strings.Join(lookProblems(stat, f), "; "); !strings.Contains(got, `"server_thread_count"`) {
		t.Errorf("raw scheduler names: %q", got)
	}
	numeric := map[string]any{"refId": "A", "datasource": slurm, "queryType": "scheduler", "format": "numeric",
		"statistics": []any{"server_thread_count", "agent_queue_size"}}
	table := map[string]any{"type": "table", "targets": []any{numeric}, "fieldConfig": map[string]any{
		"defaults": map[string]any{"mappings": []any{map[string]any{"type": "value",
			"options": map[string]any{"server_thread_count": map[string]any{"text": "Server threads"}}}}}}}
	if got := strings.Join(lookProblems(table, frames(numeric)), "; "); !strings.Contains(got, "agent_queue_size") ||
		strings.Contains(got, "server_thread_count as") {
		t.Errorf("unmapped statistic names: %q", got)
	}
}
