package query

import (
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
	usage, err := Usage{TRES: "gpu", GroupBy: "user", Format: "table"}.Frames(nil, now.Add(-time.Hour), now, time.Minute, now)
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
		"jobs":       {"array_job_id", "array_task_id", "state_base", "state_flags", "time_limit"},
		"nodes":      {"state_base", "state_flags"},
		"partitions": {"max_time"},
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

func TestLinkToClusterAddsTheDataSourceAsTheAppsCluster(t *testing.T) {
	frames := tableFrames(t)
	all := data.Frames{frames["jobs"], frames["nodes"], frames["job_history"], nil}
	LinkToCluster(all, "slurm-b")
	LinkToCluster(all, "slurm-b") // a second pass (a frame answered twice) changes nothing
	for frame, want := range map[string]struct{ field, url string }{
		"jobs":        {"job_id", "/a/hpc-slurm-app/jobs/${__value.raw}?var-cluster=slurm-b"},
		"job_history": {"job_id", "/a/hpc-slurm-app/jobs/${__value.raw}?var-cluster=slurm-b"},
		"nodes":       {"node", "/a/hpc-slurm-app/nodes/${__value.raw}?var-cluster=slurm-b"},
	} {
		f, _ := frames[frame].FieldByName(want.field)
		if f == nil || f.Config == nil || len(f.Config.Links) != 1 {
			t.Fatalf("%s.%s: want exactly one link, got %+v", frame, want.field, f)
		}
		if got := f.Config.Links[0].URL; got != want.url {
			t.Errorf("%s.%s link %q, want %q", frame, want.field, got, want.url)
		}
	}
	// Only the job and node cells link anywhere.
	for name, frame := range frames {
		for _, f := range frame.Fields {
			if f.Config != nil && len(f.Config.Links) > 0 && f.Name != "job_id" && f.Name != "node" {
				t.Errorf("%s.%s links %+v", name, f.Name, f.Config.Links)
			}
		}
	}
}

func TestLinkToClusterEscapesTheUIDAndKeepsOtherLinks(t *testing.T) {
	f := withLink(data.NewField("x", nil, []string{}), "elsewhere", "https://example.org/a")
	withLink(f, "page", appPath+"jobs/1?from=now-1h")
	LinkToCluster(data.Frames{data.NewFrame("f", f)}, "a b&c")
	if got := f.Config.Links[0].URL; got != "https://example.org/a" {
		t.Errorf("a link outside the app changed: %q", got)
	}
	if got := f.Config.Links[1].URL; got != appPath+"jobs/1?from=now-1h&var-cluster=a+b%26c" {
		t.Errorf("app link %q", got)
	}
	LinkToCluster(data.Frames{data.NewFrame("f", f)}, "")
	if got := f.Config.Links[1].URL; !strings.HasSuffix(got, "var-cluster=a+b%26c") {
		t.Errorf("an empty uid changed the link: %q", got)
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
