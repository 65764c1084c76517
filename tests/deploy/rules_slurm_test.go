package deploy

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/query"
)

// The Grafana-managed rules on Slurm state: present under their stable uids, each a Slurm query
// the backend accepts followed by expressions, failing visibly (Error) when the snapshot is stale,
// and telling the operator where to look.
func TestSlurmStateAlertRules(t *testing.T) {
	p := loadProvisioning(t)
	rules := map[string]provRule{}
	for _, f := range p.files {
		for _, g := range f.Groups {
			for _, r := range g.Rules {
				if strings.HasPrefix(r.UID, "hpc-slurm-") {
					rules[r.UID] = r
					if g.Folder != "HPC" {
						t.Errorf("rule %s is in folder %q, not HPC", r.UID, g.Folder)
					}
				}
			}
		}
	}
	for _, uid := range []string{"hpc-slurm-snapshot-stale", "hpc-slurm-nodes-down", "hpc-slurm-nodes-drained",
		"hpc-slurm-pending-backlog", "hpc-slurm-job-failure-ratio", "hpc-slurm-scheduler-cycle-slow",
		"hpc-slurm-pending-impossible"} {
		if _, ok := rules[uid]; !ok {
			t.Errorf("rule %s is not provisioned", uid)
		}
	}
	for uid, r := range rules {
		if r.ExecErrState != "Error" {
			t.Errorf("%s: execErrState %q; a failing (stale) query must show as Error", uid, r.ExecErrState)
		}
		if r.Labels["layer"] != "platform" || r.Labels["severity"] == "" {
			t.Errorf("%s: labels %v need layer=platform and a severity", uid, r.Labels)
		}
		slurmQueries := 0
		for _, q := range r.Data {
			if q.DatasourceUID == "__expr__" {
				continue
			}
			if q.RefID == r.Condition {
				t.Errorf("%s: the condition %s is a query, not an expression", uid, q.RefID)
			}
			if q.DatasourceUID != "slurm" {
				continue
			}
			slurmQueries++
			if err := alertableFrame(q.Model); err != nil {
				t.Errorf("%s: data %s: %v", uid, q.RefID, err)
			}
			qt, _ := q.Model["queryType"].(string)
			if qt == "job_counts" || qt == "node_counts" {
				if g, _ := q.Model["groupBy"].([]any); len(g) == 0 {
					t.Errorf("%s: data %s counts without groupBy: one alert for the whole cluster instead of one per group", uid, q.RefID)
				}
			}
		}
		if uid == "hpc-slurm-snapshot-stale" {
			continue // reads the data source's own metrics from Prometheus
		}
		if slurmQueries == 0 {
			t.Errorf("%s: no query on the Slurm data source (uid slurm)", uid)
		}
		if r.Annotations["runbook"] == "" {
			t.Errorf("%s: no runbook annotation", uid)
		}
		// Rendered as Grafana does, with and without the instance's labels (Alerting vs NoData).
		for state, data := range annotationStates(r, "HPC") {
			rendered, err := renderAnnotation("app_url", r.Annotations["app_url"], data)
			if err != nil {
				t.Errorf("%s: app_url %q (%s): %v", uid, r.Annotations["app_url"], state, err)
				continue
			}
			u, err := url.Parse(rendered)
			if err != nil {
				t.Errorf("%s: app_url %q (%s): %v", uid, rendered, state, err)
				continue
			}
			// A page of the app, or a node's or job's own page (nodes/<name>, jobs/<id>).
			page, detail, _ := strings.Cut(strings.TrimPrefix(u.Path, appPathPrefix), "/")
			if !strings.HasPrefix(u.Path, appPathPrefix) || !appPages[page] || (detail != "" && page != "nodes" && page != "jobs") {
				t.Errorf("%s: app_url %q (%s) is not a page of the app", uid, rendered, state)
			}
		}
	}
	// Node alerts are one instance per node, with Slurm's reason among the instance's labels.
	for _, uid := range []string{"hpc-slurm-nodes-down", "hpc-slurm-nodes-drained"} {
		r, ok := rules[uid]
		if !ok {
			continue
		}
		a := r.Data[0].Model
		if g := anyStrings(a["groupBy"]); a["queryType"] != "node_counts" || !slices.Contains(g, "node") || !slices.Contains(g, "reason") ||
			slices.Contains(g, "partition") {
			t.Errorf("%s: query %v, want node_counts grouped by node and reason (not partition: a node in two partitions would alert twice)", uid, a)
		}
		if !strings.Contains(r.Annotations["summary"], "{{ $labels.node }}") || !strings.Contains(r.Annotations["summary"], "{{ $labels.reason }}") {
			t.Errorf("%s: summary %q names neither the node nor its reason", uid, r.Annotations["summary"])
		}
	}
	// The scheduler rule reads one statistic, so its threshold sees one series.
	if r, ok := rules["hpc-slurm-scheduler-cycle-slow"]; ok {
		a := r.Data[0].Model
		if a["queryType"] != "scheduler" || a["format"] != "numeric" ||
			!slices.Equal(anyStrings(a["statistics"]), []string{"schedule_cycle_last_us"}) {
			t.Errorf("scheduler cycle: query %v, want scheduler, format numeric, statistics [schedule_cycle_last_us]", a)
		}
	}
	// Jobs that can never start: one instance per partition, counting jobs only.
	if r, ok := rules["hpc-slurm-pending-impossible"]; ok {
		a := r.Data[0].Model
		if a["queryType"] != "pending" || a["format"] != "counts" || a["measure"] != "jobs" ||
			!slices.Equal(anyStrings(a["categories"]), []string{"impossible"}) || !slices.Equal(anyStrings(a["groupBy"]), []string{"partition"}) {
			t.Errorf("impossible requests: query %v, want pending counts of category impossible by partition, measure jobs", a)
		}
	}
	if r, ok := rules["hpc-slurm-pending-backlog"]; ok {
		if r.For != "15m" {
			t.Errorf("pending backlog: for %q, want 15m", r.For)
		}
		a := r.Data[0].Model
		if a["queryType"] != "job_counts" || !slices.Equal(anyStrings(a["states"]), []string{"PENDING"}) ||
			!slices.Equal(anyStrings(a["groupBy"]), []string{"partition"}) {
			t.Errorf("pending backlog: query %v, want job_counts of PENDING by partition", a)
		}
	}
}

// alertableFrame builds the backend's frame for a rule's Slurm query (no rows) and checks that it
// is what Grafana alerting turns into one number per label set: a numeric long frame with one
// number field, the other fields strings (the labels).
func alertableFrame(model map[string]any) error {
	raw, err := json.Marshal(model)
	if err != nil {
		return err
	}
	qt, _ := model["queryType"].(string)
	switch qt {
	case query.TypeJobCounts, query.TypeNodeCounts, query.TypeScheduler, query.TypePending:
	default:
		return fmt.Errorf("query type %v does not answer a numeric frame alerting can use", model["queryType"])
	}
	m, err := query.Parse(qt, raw, query.Request{Now: time.Now()})
	if err != nil {
		return err
	}
	if p, ok := m.(query.Pending); ok && p.Format != query.PendingCounts {
		return fmt.Errorf("pending format %q is a table; alerting needs format counts", p.Format)
	}
	frames, err := m.Frames(query.Data{Snapshot: &cluster.Snapshot{}})
	if err != nil || len(frames) != 1 {
		return fmt.Errorf("the backend's %s answer: %d frames, %v", qt, len(frames), err)
	}
	frame := frames[0]
	if frame.Meta == nil || frame.Meta.Type != data.FrameTypeNumericLong {
		return fmt.Errorf("the backend's %s frame is not numeric long", model["queryType"])
	}
	numbers := 0
	for _, f := range frame.Fields {
		switch {
		case f.Type().Numeric():
			numbers++
		case f.Type() != data.FieldTypeString:
			return fmt.Errorf("field %s is %s, neither a number nor a label", f.Name, f.Type())
		}
	}
	if numbers != 1 {
		return fmt.Errorf("the frame has %d number fields; alerting needs exactly one", numbers)
	}
	return nil
}

func anyStrings(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, e := range list {
		s, _ := e.(string)
		out = append(out, s)
	}
	return out
}

// checkRule must reject what Grafana would reject or misread; these rules are each wrong once.
func TestCheckRuleRejectsBrokenSlurmRules(t *testing.T) {
	p := loadProvisioning(t)
	base := func() provRule {
		return provRule{UID: "x", Title: "x", Condition: "C", For: "5m", NoDataState: "OK", ExecErrState: "Error",
			Labels: map[string]string{"severity": "warning"}, Annotations: map[string]string{"summary": "s", "description": "d"},
			Data: []provRuleQuery{
				{RefID: "A", DatasourceUID: "slurm", RelativeTimeRange: map[string]int{"from": 600, "to": 0},
					Model: map[string]any{"refId": "A", "queryType": "job_counts", "states": []any{"PENDING"}, "groupBy": []any{"partition"}}},
				{RefID: "B", DatasourceUID: "slurm", RelativeTimeRange: map[string]int{"from": 600, "to": 0},
					Model: map[string]any{"refId": "B", "queryType": "job_counts", "groupBy": []any{"partition"}}},
				{RefID: "C", DatasourceUID: "__expr__", Model: map[string]any{"refId": "C", "type": "math", "expression": "$A / $B"}},
			}}
	}
	if errs := checkRule(base(), p, nil); len(errs) > 0 {
		t.Fatalf("the valid rule is rejected: %v", errs)
	}
	cases := []struct {
		name   string
		change func(r *provRule)
		want   string
	}{
		{"singular filter key", func(r *provRule) { r.Data[0].Model["partition"] = "cpu" }, "unknown field(s) partition"},
		{"groupBy the backend refuses", func(r *provRule) { r.Data[1].Model["groupBy"] = []any{"node"} }, `groupBy has "node"`},
		{"unknown query type", func(r *provRule) { r.Data[1].Model["queryType"] = "node_state" }, `unknown queryType "node_state"`},
		{"math on a missing refId", func(r *provRule) { r.Data[2].Model["expression"] = "$A / $Z" }, `input "Z"`},
		{"math written $$ (stored as written, a parse error in the engine)", func(r *provRule) { r.Data[2].Model["expression"] = "$$A / $$B" }, "incomplete variable"},
		{"reduce without reducer", func(r *provRule) {
			r.Data[2].Model = map[string]any{"refId": "C", "type": "reduce", "expression": "A"}
		}, `reducer ""`},
		{"threshold on itself", func(r *provRule) {
			r.Data[2].Model = map[string]any{"refId": "C", "type": "threshold", "expression": "C", "conditions": []any{1}}
		}, `input "C"`},
		{"condition not a refId", func(r *provRule) { r.Condition = "D" }, `condition "D"`},
	}
	for _, c := range cases {
		r := base()
		c.change(&r)
		joined := strings.Join(checkRule(r, p, nil), "; ")
		if !strings.Contains(joined, c.want) {
			t.Errorf("%s: want an error containing %q, got %q", c.name, c.want, joined)
		}
	}
}

func TestAlertableFrameRefusesTables(t *testing.T) {
	if err := alertableFrame(map[string]any{"queryType": "node_counts", "groupBy": []any{"state", "partition"}}); err != nil {
		t.Errorf("node_counts: %v", err)
	}
	if err := alertableFrame(map[string]any{"queryType": "node_counts", "groupBy": []any{"node", "state", "reason"}}); err != nil {
		t.Errorf("node_counts per node: %v", err)
	}
	if err := alertableFrame(map[string]any{"queryType": "scheduler", "format": "numeric"}); err != nil {
		t.Errorf("scheduler numeric: %v", err)
	}
	if err := alertableFrame(map[string]any{"queryType": "pending", "format": "counts", "measure": "jobs", "groupBy": []any{"partition"}}); err != nil {
		t.Errorf("pending counts of jobs: %v", err)
	}
	for _, m := range []map[string]any{
		{"queryType": "pending", "format": "counts", "groupBy": []any{"partition"}}, // jobs, CPUs and GPUs: three numbers
		{"queryType": "pending"}, // the table
	} {
		if alertableFrame(m) == nil {
			t.Errorf("%v is accepted as an alerting frame", m)
		}
	}
	for _, qt := range []string{"scheduler", "nodes", "jobs"} {
		if alertableFrame(map[string]any{"queryType": qt}) == nil {
			t.Errorf("%s is accepted as an alerting frame", qt)
		}
	}
}
