package query

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// tableFrames are the frames Grafana shows as tables (pages, dashboards,
// Explore), built empty: their fields do not depend on the data.
func tableFrames(t *testing.T) map[string]*data.Frame {
	t.Helper()
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	usage, err := Usage{TRES: "gpu", GroupBy: "user", Format: "table"}.Metered(nil, now.Add(-time.Hour), now, time.Minute, now)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]*data.Frame{
		"jobs":         Jobs{Page: Page{Limit: 10}}.Frame(nil),
		"nodes":        Nodes{}.Frame(nil),
		"partitions":   Partitions{}.Frame(nil, nil, nil),
		"job_history":  JobHistory{}.Frame(nil),
		"scheduler":    Scheduler{Format: SchedulerFormatWide}.Frame(&slurm.SchedulerStats{}),
		"reservations": Reservations{}.Frame(nil, now),
		"shares":       Shares{}.Frame(nil),
		"usage":        usage[0],
	}
}

// Every column of a table is titled for a person: a display name that is not
// the snake_case field name (Grafana would otherwise show array_job_id,
// total_cpus, max_time_minutes as headers).
func TestTableFieldsHaveDisplayNames(t *testing.T) {
	for name, frame := range tableFrames(t) {
		seen := map[string]string{}
		for _, f := range frame.Fields {
			display := ""
			if f.Config != nil {
				display = f.Config.DisplayNameFromDS
			}
			switch {
			case display == "":
				t.Errorf("%s.%s has no display name", name, f.Name)
			case strings.Contains(display, "_") || display == f.Name:
				t.Errorf("%s.%s is displayed as %q, a field name rather than a title", name, f.Name, display)
			case seen[display] != "":
				t.Errorf("%s: %s and %s are both displayed as %q", name, seen[display], f.Name, display)
			}
			seen[display] = f.Name
		}
	}
}

// Amounts carry a unit Grafana formats: memory in MB, times in minutes,
// and counts are plain numbers ("none"), never SI-scaled.
func TestTableFieldUnits(t *testing.T) {
	frames := tableFrames(t)
	want := map[string]map[string]string{
		"jobs":       {"memory_mb": "decmbytes", "time_limit_minutes": "m", "cpus": "none", "node_count": "none", "priority": "none"},
		"nodes":      {"memory_mb": "decmbytes", "memory_allocated_mb": "decmbytes", "memory_free_mb": "decmbytes", "cpus": "none"},
		"partitions": {"max_time_minutes": "m", "default_time_minutes": "m", "total_cpus": "none", "jobs_pending": "none"},
		"scheduler":  {"schedule_cycle_last": "µs", "backfill_cycle_max": "µs", "jobs_submitted": "none"},
	}
	for frame, units := range want {
		for field, unit := range units {
			f, _ := frames[frame].FieldByName(field)
			if f == nil || f.Config == nil || f.Config.Unit != unit {
				t.Errorf("%s.%s unit: want %q, got %+v", frame, field, unit, f)
			}
		}
	}
}

// Columns that repeat another one for programs are hidden in tables; the
// ones an operator reads are not.
func TestRepeatedColumnsHiddenInTables(t *testing.T) {
	frames := tableFrames(t)
	hidden := func(f *data.Field) bool {
		if f.Config == nil || f.Config.Custom == nil {
			return false
		}
		h, _ := f.Config.Custom["hideFrom"].(map[string]any)
		return h["viz"] == true
	}
	for frame, fields := range map[string][]string{
		"jobs":        {"array_job_id", "array_task_id", "slurm_job_id", "state_base", "state_flags", "time_limit"},
		"job_history": {"slurm_job_id"},
		"nodes":       {"state_base", "state_flags"},
		"partitions":  {"max_time"},
	} {
		for _, name := range fields {
			if f, _ := frames[frame].FieldByName(name); f == nil || !hidden(f) {
				t.Errorf("%s.%s should be hidden in tables", frame, name)
			}
		}
	}
	for frame, fields := range map[string][]string{
		"jobs":       {"job_id", "state", "user", "time_limit_minutes", "nodes"},
		"nodes":      {"node", "state", "reason"},
		"partitions": {"partition", "max_time_minutes"},
	} {
		for _, name := range fields {
			if f, _ := frames[frame].FieldByName(name); f == nil || hidden(f) {
				t.Errorf("%s.%s should be shown", frame, name)
			}
		}
	}
}

// Job and node cells link to the app's page on the answering data source's
// cluster, built once from the request's uid, whichever type answers.
func TestAppLinksOpenTheAnsweringDataSourcesCluster(t *testing.T) {
	r := testRequest
	r.DatasourceUID = "slurm-b"
	want := map[string]struct{ field, url string }{
		TypeJobs:       {"job_id", "/a/hpc-slurm-app/jobs/${__value.raw}?var-cluster=slurm-b"},
		TypeJobHistory: {"job_id", "/a/hpc-slurm-app/jobs/${__value.raw}?var-cluster=slurm-b"},
		TypePending:    {"job_id", "/a/hpc-slurm-app/jobs/${__value.raw}?var-cluster=slurm-b"},
		TypeNodes:      {"node", "/a/hpc-slurm-app/nodes/${__value.raw}?var-cluster=slurm-b"},
	}
	for _, typ := range Registered() {
		for _, example := range typ.Examples {
			m, err := typ.Parse(json.RawMessage(example), r)
			if err != nil {
				t.Fatalf("%s %s: %v", typ.Name, example, err)
			}
			frames, err := m.Frames(emptyData)
			if err != nil {
				t.Fatalf("%s %s: %v", typ.Name, example, err)
			}
			for _, frame := range frames {
				for _, f := range frame.Fields {
					var links []data.DataLink
					if f.Config != nil {
						links = f.Config.Links
					}
					w, linked := want[typ.Name]
					switch {
					case linked && f.Name == w.field && (len(links) != 1 || links[0].URL != w.url):
						t.Errorf("%s.%s links %+v, want one to %s", typ.Name, f.Name, links, w.url)
					case (!linked || f.Name != w.field) && len(links) > 0:
						t.Errorf("%s.%s links %+v: only job and node cells link anywhere", typ.Name, f.Name, links)
					}
				}
			}
		}
	}
}

func TestAppLinksEscapeTheUID(t *testing.T) {
	if got := (appLinks{"a b&c"}).url(jobLinkURL); got != jobLinkURL+"?var-cluster=a+b%26c" {
		t.Errorf("link %q", got)
	}
	if got := (appLinks{}).url(nodeLinkURL); got != nodeLinkURL {
		t.Errorf("without a data source the link chooses no cluster: %q", got)
	}
}

// A pending array record's id loses its throttle: Slurm's commands refuse
// "12_[3-6%2]", and the "%" breaks the app's page URL.
func TestJobIDsAreUsableInPageURLs(t *testing.T) {
	for in, want := range map[string]string{"12_[3-6%2]": "12_[3-6]", "12_[3,5-9%10]": "12_[3,5-9]", "12_4": "12_4", "12": "12", "12_[3-6]": "12_[3-6]"} {
		if got := pageableID(in); got != want {
			t.Errorf("pageableID(%q) = %q, want %q", in, got, want)
		}
	}
}
