package query

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/cluster"
	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// Scheduler formats: one wide row (dashboards) or one row per statistic
// (numeric long, for alert rules: one series per statistic).
const (
	SchedulerFormatWide    = "wide"
	SchedulerFormatNumeric = "numeric"
)

// TypeScheduler shows slurmctld's statistics (sdiag).
const TypeScheduler = "scheduler"

func init() {
	register(Type{Name: TypeScheduler,
		Frame: "wide (default): one row of numbers (cycle times in µs, backfill, queues); numeric: numeric long, `stat` (the wide " +
			"column's name, cycle times suffixed `_us`, `backfill_active` 0/1) and `value`, one row per statistic",
		Examples: []string{`{}`, `{"format":"numeric","statistics":["schedule_cycle_last_us"]}`},
	}, ParseScheduler)
}

// Scheduler is the "scheduler" query: slurmctld's statistics (sdiag), as one
// row of numbers (format "wide", the default) or as a numeric long frame with
// a "stat" label and a "value" (format "numeric"), optionally restricted to
// some statistics (key "statistics", numeric format only).
type Scheduler struct {
	Format     string     `json:"format"`
	Statistics StringList `json:"statistics"`
}

// schedulerStat is one number of the diag answer. Cycle times are in µs as
// slurmctld reports them; the numeric format's stat names say so (_us) since
// a long frame carries no unit per row.
type schedulerStat struct {
	name    string // wide column name
	display string // what a person reads (dashboards' titles, Explore)
	micro   bool
	value   func(*slurm.SchedulerStats) int64
}

var schedulerStats = []schedulerStat{
	{"server_thread_count", "Server threads", false, func(s *slurm.SchedulerStats) int64 { return s.ServerThreadCount }},
	{"agent_queue_size", "Agent queue", false, func(s *slurm.SchedulerStats) int64 { return s.AgentQueueSize }},
	{"agent_count", "Agents", false, func(s *slurm.SchedulerStats) int64 { return s.AgentCount }},
	{"dbd_agent_queue_size", "slurmdbd agent queue", false, func(s *slurm.SchedulerStats) int64 { return s.DBDAgentQueueSize }},
	{"jobs_submitted", "Jobs submitted", false, func(s *slurm.SchedulerStats) int64 { return s.JobsSubmitted }},
	{"jobs_started", "Jobs started", false, func(s *slurm.SchedulerStats) int64 { return s.JobsStarted }},
	{"jobs_completed", "Jobs completed", false, func(s *slurm.SchedulerStats) int64 { return s.JobsCompleted }},
	{"jobs_canceled", "Jobs cancelled", false, func(s *slurm.SchedulerStats) int64 { return s.JobsCanceled }},
	{"jobs_failed", "Jobs failed", false, func(s *slurm.SchedulerStats) int64 { return s.JobsFailed }},
	{"jobs_pending", "Jobs pending", false, func(s *slurm.SchedulerStats) int64 { return s.JobsPending }},
	{"jobs_running", "Jobs running", false, func(s *slurm.SchedulerStats) int64 { return s.JobsRunning }},
	{"schedule_cycle_last", "Main cycle (last)", true, func(s *slurm.SchedulerStats) int64 { return s.ScheduleCycleLast }},
	{"schedule_cycle_max", "Main cycle (max)", true, func(s *slurm.SchedulerStats) int64 { return s.ScheduleCycleMax }},
	{"schedule_cycle_mean", "Main cycle (mean)", true, func(s *slurm.SchedulerStats) int64 { return s.ScheduleCycleMean }},
	{"schedule_cycle_count", "Main cycles", false, func(s *slurm.SchedulerStats) int64 { return s.ScheduleCycleCount }},
	{"backfill_cycle_last", "Backfill cycle (last)", true, func(s *slurm.SchedulerStats) int64 { return s.BFCycleLast }},
	{"backfill_cycle_max", "Backfill cycle (max)", true, func(s *slurm.SchedulerStats) int64 { return s.BFCycleMax }},
	{"backfill_cycle_count", "Backfill cycles", false, func(s *slurm.SchedulerStats) int64 { return s.BFCycleCount }},
	{"backfill_backfilled_jobs", "Jobs backfilled", false, func(s *slurm.SchedulerStats) int64 { return s.BFBackfilledJobs }},
	{"backfill_last_depth", "Backfill depth (last)", false, func(s *slurm.SchedulerStats) int64 { return s.BFLastDepth }},
	{"backfill_active", "Backfill running", false, func(s *slurm.SchedulerStats) int64 {
		if s.BFActive {
			return 1
		}
		return 0
	}},
}

// statName is the statistic's name in the numeric format.
func (s schedulerStat) statName() string {
	if s.micro {
		return s.name + "_us"
	}
	return s.name
}

// SchedulerStatNames lists the stat names of the numeric format.
func SchedulerStatNames() []string {
	names := make([]string, len(schedulerStats))
	for i, s := range schedulerStats {
		names[i] = s.statName()
	}
	return names
}

// ParseScheduler reads and validates a scheduler query.
func ParseScheduler(raw json.RawMessage, _ Request) (Scheduler, error) {
	var q Scheduler
	if err := decode(raw, &q); err != nil {
		return Scheduler{}, err
	}
	switch q.Format {
	case "":
		q.Format = SchedulerFormatWide
	case SchedulerFormatWide, SchedulerFormatNumeric:
	default:
		return Scheduler{}, invalid("format", "is %q: use %s or %s", q.Format, SchedulerFormatWide, SchedulerFormatNumeric)
	}
	names := SchedulerStatNames()
	for _, s := range q.Statistics {
		if !slices.Contains(names, s) {
			return Scheduler{}, invalid("statistics", "has %q: choose among %s", s, strings.Join(names, ", "))
		}
	}
	return q, nil
}

// Needs reads the snapshot's diag answer.
func (q Scheduler) Needs() Needs { return Needs{Kinds: []cluster.Kind{cluster.KindDiag}} }

// Frames answers with the statistics.
func (q Scheduler) Frames(d Data) (data.Frames, error) { return one(q.Frame(d.Snapshot.Diag)) }

// Frame builds the statistics frame in the query's format.
func (q Scheduler) Frame(s *slurm.SchedulerStats) *data.Frame {
	if s == nil {
		s = &slurm.SchedulerStats{}
	}
	if q.Format == SchedulerFormatNumeric {
		return q.numericFrame(s)
	}
	fields := []*data.Field{withConfig(data.NewField("time", nil, []*time.Time{timeOrNil(s.RequestTime)}), "Reported at", "")}
	for _, st := range schedulerStats {
		if st.name == "backfill_active" {
			continue // a bool in the wide row, below
		}
		unit := "none"
		if st.micro {
			unit = "µs"
		}
		fields = append(fields, withConfig(data.NewField(st.name, nil, []int64{st.value(s)}), st.display, unit))
	}
	fields = append(fields,
		withConfig(data.NewField("backfill_active", nil, []bool{s.BFActive}), "Backfill running", ""),
		withConfig(data.NewField("backfill_last_cycle_time", nil, []*time.Time{timeOrNil(s.BFLastCycleTime)}), "Last backfill cycle", ""),
	)
	return data.NewFrame("scheduler", fields...)
}

// numericFrame is one row per statistic (stat, value), in the order of
// schedulerStats, restricted to q.Statistics when given. Grafana alerting makes
// each row a series labelled stat=<name>.
func (q Scheduler) numericFrame(s *slurm.SchedulerStats) *data.Frame {
	var names []string
	var values []int64
	for _, st := range schedulerStats {
		if !matchAny(q.Statistics, st.statName()) {
			continue
		}
		names = append(names, st.statName())
		values = append(values, st.value(s))
	}
	if names == nil {
		names, values = []string{}, []int64{}
	}
	frame := data.NewFrame("scheduler", data.NewField("stat", nil, names), data.NewField("value", nil, values))
	frame.SetMeta(&data.FrameMeta{Type: data.FrameTypeNumericLong, TypeVersion: data.FrameTypeVersion{0, 1}})
	return frame
}
