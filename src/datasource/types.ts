import type { DataQuery, DataSourceJsonData } from '@grafana/schema';

/** API versions slurmrestd may serve; `auto` lets the backend discover the newest one the server offers. */
export const API_VERSIONS = [
  'v0.0.38',
  'v0.0.39',
  'v0.0.40',
  'v0.0.41',
  'v0.0.42',
  'v0.0.43',
  'v0.0.44',
  'v0.0.45',
] as const;
export type PinnedApiVersion = (typeof API_VERSIONS)[number];
export type ApiVersion = 'auto' | PinnedApiVersion;

/**
 * token:  a static token (`scontrol token`) for the configured Slurm user.
 * jwtKey: the HS256 key slurmctld signs with; the backend mints short-lived tokens itself.
 */
export type AuthMode = 'token' | 'jwtKey';

/** Data source jsonData: readable by the browser, so nothing secret belongs here. */
export interface SlurmDataSourceOptions extends DataSourceJsonData {
  apiVersion?: ApiVersion;
  authMode?: AuthMode;
  slurmUser?: string;
  jwtLifespanSeconds?: number;
  refreshIntervalSeconds?: number;
  staleLimitSeconds?: number;
  timeoutSeconds?: number;
  tlsSkipVerify?: boolean;
  tlsWithCACert?: boolean;
  /** Rows a table query returns without a `limit`, and the most it may ask for (default DEFAULT_MAX_ROWS). */
  maxRows?: number;
  /** Operator actions (pkg/plugin/settings_actions.go): whose Slurm identity acts. */
  actionIdentity?: ActionIdentity;
  /** How a Grafana user becomes a Slurm user when the table has no entry for them. */
  actionUserMapping?: ActionUserMapping;
  /** Grafana login (or e-mail) → Slurm user. */
  actionUserMap?: Record<string, string>;
  /** Slurm users never acted as, besides root and the SlurmUser. */
  actionDenyUsers?: string[];
  /** Also never act as Slurm operators and administrators (slurmdbd admin level); default true. */
  actionDenySlurmAdmins?: boolean;
  /** The SlurmUser of slurm.conf (default "slurm"). */
  clusterSlurmUser?: string;
  actionMinRoleJobs?: ActionMinRole;
  actionMinRoleNodes?: ActionMinRole;
  /** Bound of a node list's expansion and of a bulk request's targets (default 128). */
  maxHostlistExpansion?: number;
}

export type ActionIdentity = 'datasource' | 'grafanaUser';
export type ActionUserMapping = 'login' | 'emailLocalPart' | 'table';
export type ActionMinRole = 'Editor' | 'Admin';

/** Data source secureJsonData: write-only from the browser; Grafana only tells whether each is set. */
export interface SlurmSecureJsonData {
  token?: string;
  jwtKey?: string;
  tlsCACert?: string;
}

/**
 * The data source's maxRows when unset. The backend's one paging contract (pkg/query/README.md, Paging): a table
 * query without `limit` returns up to maxRows rows, so the editors and pages keep no default limit of their own
 * and send `limit` only when someone asked for fewer rows.
 */
export const DEFAULT_MAX_ROWS = 10000;

/** Every query type the backend answers (pkg/query); `annotations` is only sent by the annotation editor. */
export const QUERY_TYPES = [
  'jobs',
  'job_counts',
  'nodes',
  'node_counts',
  'partitions',
  'reservations',
  'scheduler',
  'shares',
  'job_history',
  'history_series',
  'usage',
  'annotations',
  'pending',
] as const;
export type QueryType = (typeof QUERY_TYPES)[number];

/** Columns a jobs table can be sorted by (pkg/query/jobs.go jobSortKeys). */
export const JOB_SORT_FIELDS = [
  'job_id',
  'submit_time',
  'start_time',
  'end_time',
  'priority',
  'name',
  'user',
  'partition',
  'state',
] as const;
export type JobSortField = (typeof JOB_SORT_FIELDS)[number];

export const JOB_GROUP_BY_KEYS = ['state', 'partition', 'user', 'account', 'qos', 'reason'] as const;
export type JobGroupByKey = (typeof JOB_GROUP_BY_KEYS)[number];

export const NODE_GROUP_BY_KEYS = ['state', 'partition', 'node', 'reason'] as const;
export type NodeGroupByKey = (typeof NODE_GROUP_BY_KEYS)[number];

export const HISTORY_METRICS = ['submitted', 'started', 'finished', 'wait_p50', 'wait_p90'] as const;
export type HistoryMetric = (typeof HISTORY_METRICS)[number];

export const USAGE_TRES = ['cpu', 'gpu', 'mem'] as const;
export type UsageTres = (typeof USAGE_TRES)[number];
export const USAGE_GROUP_BY = ['account', 'user', 'partition'] as const;
export type UsageGroupBy = (typeof USAGE_GROUP_BY)[number];
export const USAGE_FORMATS = ['table', 'series'] as const;
export type UsageFormat = (typeof USAGE_FORMATS)[number];

/** Why a pending job waits (pkg/pending categories), in the order pages list them. */
export const PENDING_CATEGORIES = [
  'resources',
  'priority',
  'limit',
  'dependency',
  'reservation',
  'held',
  'impossible',
  'other',
] as const;
export type PendingCategory = (typeof PENDING_CATEGORIES)[number];
/** Each category as people read it (pkg/pending Category.Title). */
export const PENDING_CATEGORY_TITLES: Record<PendingCategory, string> = {
  resources: 'Waiting for resources',
  priority: 'Waiting for priority',
  limit: 'Held by a limit',
  dependency: 'Waiting for other jobs',
  reservation: 'Blocked by a reservation',
  held: 'Held',
  impossible: 'Can never start',
  other: 'Other reason',
};
/** table: one explained row per pending job; counts: jobs, CPUs and GPUs per group; facts: one job. */
export const PENDING_FORMATS = ['table', 'counts', 'facts'] as const;
export type PendingFormat = (typeof PENDING_FORMATS)[number];
export const PENDING_GROUP_BY_KEYS = ['partition', 'category', 'reason', 'limit', 'user', 'account', 'qos'] as const;
export type PendingGroupByKey = (typeof PENDING_GROUP_BY_KEYS)[number];
/** One number of the counts format, for alert rules (which need one number per group). */
export const PENDING_MEASURES = ['jobs', 'cpus', 'gpus'] as const;
export type PendingMeasure = (typeof PENDING_MEASURES)[number];

export const ANNOTATION_KINDS = ['jobs', 'reservations', 'node_reasons'] as const;
export type AnnotationKind = (typeof ANNOTATION_KINDS)[number];

/**
 * A list filter as the backend reads it (pkg/query StringList): an array, or one string holding a comma
 * list or a dashboard variable such as `${user:csv}`. Empty, absent, `*` and `$__all` mean "no filter".
 * The editors write arrays; the app's pages send their URL variables as `${name:csv}`.
 */
export type StringList = string[] | string;

/** A list filter as the editors show it: one entry per value of a comma list (a `${var:csv}` stays whole). */
export function asList(value: StringList | undefined): string[] {
  if (typeof value !== 'string') {
    return value ?? [];
  }
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export interface JobFilters {
  states?: StringList;
  partitions?: StringList;
  users?: StringList;
  accounts?: StringList;
  qos?: StringList;
  nodes?: StringList;
  /** RE2 regular expression on the job name. */
  nameRegex?: string;
  /** "123" or "123_4" (an array task). */
  jobIds?: StringList;
  reasons?: StringList;
}

export interface NodeFilters {
  states?: StringList;
  partitions?: StringList;
  features?: StringList;
  /** RE2 regular expression on the node name. */
  nameRegex?: string;
}

export interface JobsQuery extends DataQuery, JobFilters {
  queryType: 'jobs';
  sort?: { field: JobSortField; desc?: boolean };
  limit?: number;
}

export interface JobCountsQuery extends DataQuery, JobFilters {
  queryType: 'job_counts';
  groupBy?: JobGroupByKey[];
}

export interface NodesQuery extends DataQuery, NodeFilters {
  queryType: 'nodes';
}

export interface NodeCountsQuery extends DataQuery, NodeFilters {
  queryType: 'node_counts';
  groupBy?: NodeGroupByKey[];
}

export interface PartitionsQuery extends DataQuery {
  queryType: 'partitions';
  partitions?: StringList;
}

export interface ReservationsQuery extends DataQuery {
  queryType: 'reservations';
  /** RE2 regular expression on the reservation name. */
  nameRegex?: string;
}

/** Filters of the accounting series (history_series, usage). */
export interface AccountingFilters {
  users?: StringList;
  accounts?: StringList;
  partitions?: StringList;
}

// wide: one row of every statistic (default); numeric: one row per statistic (`stat`, `value`),
// for alert rules, optionally only the named `statistics` (e.g. schedule_cycle_last_us).
export const SCHEDULER_FORMATS = ['wide', 'numeric'] as const;
export type SchedulerFormat = (typeof SCHEDULER_FORMATS)[number];

export interface SchedulerQuery extends DataQuery {
  queryType: 'scheduler';
  format?: SchedulerFormat;
  statistics?: string[];
}

export interface SharesQuery extends DataQuery {
  queryType: 'shares';
  users?: StringList;
  accounts?: StringList;
}

export interface JobHistoryQuery extends DataQuery {
  queryType: 'job_history';
  users?: StringList;
  accounts?: StringList;
  partitions?: StringList;
  states?: StringList;
  /** Slurm's numeric job ids; an array job's id selects its tasks. */
  jobIds?: StringList;
  limit?: number;
}

export interface HistorySeriesQuery extends DataQuery, AccountingFilters {
  queryType: 'history_series';
  metric?: HistoryMetric;
  groupBy?: Array<'partition'>;
}

export interface UsageQuery extends DataQuery, AccountingFilters {
  queryType: 'usage';
  tres?: UsageTres;
  groupBy?: UsageGroupBy;
  format?: UsageFormat;
}

export interface AnnotationsQuery extends DataQuery {
  queryType: 'annotations';
  kind?: AnnotationKind;
  users?: StringList;
  partitions?: StringList;
  nodes?: StringList;
  jobIds?: StringList;
}

/** Why pending jobs wait: the job filters (no states: pending only), categories, and the format's options. */
export interface PendingQuery extends DataQuery, Omit<JobFilters, 'states'> {
  queryType: 'pending';
  categories?: PendingCategory[];
  format?: PendingFormat;
  groupBy?: PendingGroupByKey[];
  measure?: PendingMeasure;
  /** The job the facts format explains. */
  jobId?: string;
  limit?: number;
}

/** A query of any type, told apart by `queryType`. */
export type SlurmTypedQuery =
  | JobsQuery
  | JobCountsQuery
  | NodesQuery
  | NodeCountsQuery
  | PartitionsQuery
  | ReservationsQuery
  | SchedulerQuery
  | SharesQuery
  | JobHistoryQuery
  | HistorySeriesQuery
  | UsageQuery
  | AnnotationsQuery
  | PendingQuery;

/**
 * What Grafana stores and hands to the editors: a typed query, or a fresh one without a type yet.
 * Narrow on `queryType` to reach a type's fields.
 */
export type SlurmQuery = SlurmTypedQuery | (DataQuery & { queryType?: undefined });

/**
 * A query of type T without its refId (which belongs to the runner or panel holding it): what the app's pages
 * build their queries from, so a misspelled field or a wrong value fails the type check.
 */
export type SlurmQueryBody<T extends QueryType = QueryType> = T extends QueryType
  ? Omit<Extract<SlurmTypedQuery, { queryType: T }>, 'refId'>
  : never;

/** Fields a new query of each type starts with (besides refId). */
export const QUERY_DEFAULTS: { [T in QueryType]: SlurmQueryBody<T> } = {
  jobs: { queryType: 'jobs' },
  job_counts: { queryType: 'job_counts', groupBy: ['state'] },
  nodes: { queryType: 'nodes' },
  node_counts: { queryType: 'node_counts', groupBy: ['state'] },
  partitions: { queryType: 'partitions' },
  reservations: { queryType: 'reservations' },
  scheduler: { queryType: 'scheduler' },
  shares: { queryType: 'shares' },
  job_history: { queryType: 'job_history' },
  history_series: { queryType: 'history_series', metric: 'submitted' },
  usage: { queryType: 'usage', tres: 'cpu', groupBy: 'account', format: 'table' },
  annotations: { queryType: 'annotations', kind: 'jobs' },
  pending: { queryType: 'pending' },
};

/** Kinds served by the backend's `variables/<kind>` resource route, each answering [{text, value}]. */
export const VARIABLE_KINDS = [
  'partitions',
  'nodes',
  'users',
  'accounts',
  'qos',
  'states',
  'reasons',
  'reservations',
  'features',
] as const;
export type VariableKind = (typeof VARIABLE_KINDS)[number];

/** A template variable's query: which list, and for nodes an optional partition or state. */
export interface SlurmVariableQuery extends DataQuery {
  kind: VariableKind;
  partition?: string;
  state?: string;
}

export interface VariableOption {
  text: string;
  value: string;
}
