//go:build integration

package plugin

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// TestIntegrationPendingExplanations explains the seeded stack's pending
// jobs through QueryData and the job page's route, as Grafana calls them:
// every reason the seed produces gets its category and the facts behind it,
// read from slurmctld's jobs, nodes, partitions and reservations and
// slurmdbd's QOS and associations.
func TestIntegrationPendingExplanations(t *testing.T) {
	env := stackEnv(t)
	settings := stackInstanceSettings(t, env, map[string]any{"refreshIntervalSeconds": 10})
	d := newStackDatasource(t, settings)

	table := queryFrame(t, d, settings, map[string]any{"queryType": "pending"})
	ids, names, cats, reasons, texts := column(t, table, "job_id"), column(t, table, "name"),
		column(t, table, "category"), column(t, table, "reason"), column(t, table, "explanation")
	byName := map[string]int{}
	for i, n := range names {
		byName[n] = i
		t.Logf("%-12s %-18s %-30s %s", n, cats[i], reasons[i], texts[i])
	}
	// Slurm's reason for capped_big is QOSMaxCpuPerUserLimit once a scheduler pass has looked at it,
	// Priority before (train_wait blocks the gpu partition first); it can never start either way.
	if i, ok := byName["capped_big"]; ok && reasons[i] == "Priority" {
		reasons[i] = "QOSMaxCpuPerUserLimit"
	}
	want := map[string]struct{ category, reason, text string }{
		"big_mpi":     {"resources", "Resources", "Waits for 4 nodes × 1 CPU"},
		"queue_wait":  {"priority", "Priority", " jobs waiting in cpu; "},
		"train_wait":  {"resources", "Resources", "2 GPUs"},
		"held_job":    {"held", "JobHeldUser", "Held by its owner alice"},
		"after_md":    {"dependency", "Dependency", "(md_run, RUNNING now) to end successfully"},
		"begin_later": {"held", "BeginTime", "no earlier than"},
		"sweep":       {"limit", "JobArrayTaskLimit", "runs at most 2 tasks at once (%2); 2 are running"},
		"capped_wait": {"limit", "QOSMaxJobsPerUserLimit", "QOS capped MaxJobsPerUser=1: 1 job running now (user bob's jobs under QOS capped)."},
		"capped_big":  {"impossible", "QOSMaxCpuPerUserLimit", "QOS capped MaxTRESPerUser cpu=2; this job asks for 4."},
		"maint_cross": {"reservation", "ReqNodeNotAvail", "Maintenance reservation maint_window starts"},
	}
	for name, w := range want {
		i, ok := byName[name]
		if !ok {
			t.Errorf("%s is not pending (was the stack seeded by this version of stack/seed?)", name)
			continue
		}
		if cats[i] != w.category || reasons[i] != w.reason || !strings.Contains(texts[i], w.text) {
			t.Errorf("%s: %s / %s / %q, want %s / %s / containing %q", name, cats[i], reasons[i], texts[i], w.category, w.reason, w.text)
		}
	}

	// The job page's route: the maintenance reservation and what would help.
	if i, ok := byName["maint_cross"]; ok {
		var ans pendingAnswer
		getPending(t, d, settings, ids[i], &ans)
		e := ans.Explanation
		if e.Detail != "ReqNodeNotAvail, Reserved for maintenance" || e.Reservation == nil || e.Reservation.Name != "maint_window" ||
			!e.Reservation.Maintenance || !e.Reservation.CrossesStart || e.Reservation.FitsBeforeMinutes < 23*60 {
			t.Errorf("maint_cross: detail %q, reservation %+v", e.Detail, e.Reservation)
		}
		if len(e.Help) == 0 || !strings.Contains(e.Help[0], "ends before reservation maint_window starts") {
			t.Errorf("maint_cross help %v", e.Help)
		}
	}
	if i, ok := byName["capped_wait"]; ok {
		var ans pendingAnswer
		getPending(t, d, settings, ids[i], &ans)
		l := ans.Explanation.Limit
		if l == nil || l.Owner != "capped" || l.Setting != "MaxJobsPerUser" || l.Value == nil || *l.Value != 1 || l.Used == nil || *l.Used != 1 {
			t.Errorf("capped_wait limit %+v", l)
		}
	}

	// The alert rule's query: impossible jobs per partition, every partition answering.
	counts := queryFrame(t, d, settings, map[string]any{"queryType": "pending", "format": "counts", "measure": "jobs",
		"groupBy": []string{"partition"}, "categories": []string{"impossible"}})
	parts, jobs := column(t, counts, "partition"), column(t, counts, "jobs")
	got := map[string]string{}
	for i := range parts {
		got[parts[i]] = jobs[i]
	}
	if got["gpu"] != "1" || got["cpu"] != "0" {
		t.Errorf("impossible jobs per partition %v, want gpu 1 (capped_big) and cpu 0", got)
	}
}

func getPending(t *testing.T, d *Datasource, settings backend.DataSourceInstanceSettings, id string, into *pendingAnswer) {
	t.Helper()
	var resp *backend.CallResourceResponse
	err := d.CallResource(t.Context(), &backend.CallResourceRequest{PluginContext: pluginContext(settings),
		Method: http.MethodGet, Path: "pending/" + id, URL: "pending/" + id},
		backend.CallResourceResponseSenderFunc(func(r *backend.CallResourceResponse) error { resp = r; return nil }))
	if err != nil || resp == nil || resp.Status != http.StatusOK {
		t.Fatalf("GET pending/%s: %v %+v", id, err, resp)
	}
	if err := json.Unmarshal(resp.Body, into); err != nil {
		t.Fatalf("GET pending/%s: %v: %s", id, err, resp.Body)
	}
	t.Logf("pending/%s: %s", id, resp.Body)
}
