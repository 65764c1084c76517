package query

import (
	"encoding/json"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/hpc-slurm/hpc-slurm-app/pkg/slurm"
)

// Scheduler is the "scheduler" query: slurmctld's statistics (sdiag) as one
// row of numbers.
type Scheduler struct{}

// ParseScheduler reads and validates a scheduler query (it has no options).
func ParseScheduler(raw json.RawMessage) (Scheduler, error) {
	var q Scheduler
	return q, decode(raw, &q)
}

// Frame builds the one-row statistics frame; cycle times are in µs as
// slurmctld reports them.
func (Scheduler) Frame(s *slurm.SchedulerStats) *data.Frame {
	if s == nil {
		s = &slurm.SchedulerStats{}
	}
	num := func(name string, v int64) *data.Field { return data.NewField(name, nil, []int64{v}) }
	micro := func(name string, v int64) *data.Field {
		f := num(name, v)
		f.SetConfig(&data.FieldConfig{Unit: "µs"})
		return f
	}
	return data.NewFrame("scheduler",
		data.NewField("time", nil, []*time.Time{timeOrNil(s.RequestTime)}),
		num("server_thread_count", s.ServerThreadCount),
		num("agent_queue_size", s.AgentQueueSize),
		num("agent_count", s.AgentCount),
		num("dbd_agent_queue_size", s.DBDAgentQueueSize),
		num("jobs_submitted", s.JobsSubmitted),
		num("jobs_started", s.JobsStarted),
		num("jobs_completed", s.JobsCompleted),
		num("jobs_canceled", s.JobsCanceled),
		num("jobs_failed", s.JobsFailed),
		num("jobs_pending", s.JobsPending),
		num("jobs_running", s.JobsRunning),
		micro("schedule_cycle_last", s.ScheduleCycleLast),
		micro("schedule_cycle_max", s.ScheduleCycleMax),
		micro("schedule_cycle_mean", s.ScheduleCycleMean),
		num("schedule_cycle_count", s.ScheduleCycleCount),
		micro("backfill_cycle_last", s.BFCycleLast),
		micro("backfill_cycle_max", s.BFCycleMax),
		num("backfill_cycle_count", s.BFCycleCount),
		num("backfill_backfilled_jobs", s.BFBackfilledJobs),
		num("backfill_last_depth", s.BFLastDepth),
		data.NewField("backfill_active", nil, []bool{s.BFActive}),
		data.NewField("backfill_last_cycle_time", nil, []*time.Time{timeOrNil(s.BFLastCycleTime)}),
	)
}
