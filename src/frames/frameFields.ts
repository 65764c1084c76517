/**
 * The backend's frame field names the pages and components read, per query type (pkg/query, field tables in
 * src/datasource/README.md). Read fields through these constants only: frameFields.test.ts checks every one
 * against the backend's golden frames (pkg/plugin/testdata/golden), so a renamed field fails a test instead of
 * leaving a column empty in Grafana.
 */
export const NODE_FIELDS = {
  node: 'node',
  state: 'state',
  stateBase: 'state_base',
  reason: 'reason',
  reasonSetBy: 'reason_set_by',
  reasonTime: 'reason_time',
  partitions: 'partitions',
  cpus: 'cpus',
  cpusAllocated: 'cpus_allocated',
  cpuLoad: 'cpu_load',
  memoryMb: 'memory_mb',
  memoryAllocatedMb: 'memory_allocated_mb',
  memoryFreeMb: 'memory_free_mb',
  gpus: 'gpus',
  gpusAllocated: 'gpus_allocated',
  features: 'features',
  address: 'address',
} as const;

export const JOB_FIELDS = {
  jobId: 'job_id',
  /** The numeric Slurm id; an array task's own id (job_id shows 123_4), as cgroup exporters label its series. */
  slurmJobId: 'slurm_job_id',
  name: 'name',
  user: 'user',
  account: 'account',
  partition: 'partition',
  qos: 'qos',
  state: 'state',
  stateBase: 'state_base',
  reason: 'reason',
  submitTime: 'submit_time',
  eligibleTime: 'eligible_time',
  startTime: 'start_time',
  endTime: 'end_time',
  timeLimit: 'time_limit',
  nodes: 'nodes',
  nodeCount: 'node_count',
  cpus: 'cpus',
  memoryMb: 'memory_mb',
  gpusRequested: 'gpus_requested',
  gpusAllocated: 'gpus_allocated',
  priority: 'priority',
  exitStatus: 'exit_status',
  exitCode: 'exit_code',
  workDir: 'work_dir',
} as const;

/** job_history (slurmdbd): the key the job page finds its accounting record by, where the job ran, and the columns it shows. */
export const JOB_HISTORY_FIELDS = {
  jobId: 'job_id',
  slurmJobId: 'slurm_job_id',
  name: 'name',
  user: 'user',
  account: 'account',
  partition: 'partition',
  qos: 'qos',
  submitTime: 'submit_time',
  startTime: 'start_time',
  endTime: 'end_time',
  nodes: 'nodes',
  cpus: 'cpus',
  memoryMb: 'memory_mb',
  gpus: 'gpus',
} as const;

export const PARTITION_FIELDS = {
  partition: 'partition',
  totalCpus: 'total_cpus',
  cpusAllocated: 'cpus_allocated',
  gpus: 'gpus',
  gpusAllocated: 'gpus_allocated',
  gpusIdle: 'gpus_idle',
  defaultTimeMinutes: 'default_time_minutes',
} as const;

/** The wide scheduler frame (sdiag): the figures the Overview shows. */
export const SCHEDULER_FIELDS = {
  mainCycleLast: 'schedule_cycle_last',
  mainCycleMean: 'schedule_cycle_mean',
  backfillCycleLast: 'backfill_cycle_last',
  serverThreads: 'server_thread_count',
  agentQueue: 'agent_queue_size',
  dbdAgentQueue: 'dbd_agent_queue_size',
} as const;

/** The usage table: the group column is named after groupBy, the amount after the TRES. */
export const USAGE_FIELDS = {
  user: 'user',
  account: 'account',
  cpuHours: 'cpu_hours',
  gpuHours: 'gpu_hours',
} as const;

/** The count column of the numeric long frames (after one string field per groupBy key). */
export const JOB_COUNTS_FIELDS = { count: 'jobs' } as const;
export const NODE_COUNTS_FIELDS = { count: 'nodes' } as const;

/** Every field the pages read, by the golden case (query type) whose frame has it. */
export const FRAME_FIELDS = {
  nodes: NODE_FIELDS,
  jobs: JOB_FIELDS,
  partitions: PARTITION_FIELDS,
  job_history: JOB_HISTORY_FIELDS,
  scheduler: SCHEDULER_FIELDS,
  // Golden cases of the usage table: CPU by account, GPU by user.
  usage_table: { account: USAGE_FIELDS.account, cpuHours: USAGE_FIELDS.cpuHours },
  usage_table_gpu: { user: USAGE_FIELDS.user, gpuHours: USAGE_FIELDS.gpuHours },
  job_counts: JOB_COUNTS_FIELDS,
  node_counts: NODE_COUNTS_FIELDS,
} as const;
