import {
  JOB_GROUP_BY_KEYS,
  NODE_GROUP_BY_KEYS,
  type AccountingFilters,
  type HistoryMetric,
  type HistorySeriesQuery,
  type JobFilters,
  type NodeFilters,
  type QueryType,
  type SlurmTypedQuery,
  type StringList,
  type UsageFormat,
  type UsageGroupBy,
  type UsageTres,
  type VariableKind,
} from '../../types';

/** The keys of Q whose values are of type V. */
type KeysOf<Q, V> = { [K in keyof Q]-?: NonNullable<Q[K]> extends V ? K : never }[keyof Q] & string;

export interface ChoiceOption {
  label: string;
  value: string;
  description?: string;
}

/**
 * One field of a query editor. `list`: a filter whose options come from the backend's `variables/<kind>`;
 * `jobIds`, `nameRegex`, `limit`, `groupBy` and `sort` are the fields of those names; `choice` one value of a
 * few (radio buttons); `toggle` a switch; `note` says what a type without options returns.
 */
export type FieldSpec<Q> =
  | {
      type: 'list';
      key: KeysOf<Q, StringList>;
      label: string;
      kind: VariableKind;
      of?: 'jobs' | 'nodes';
      tooltip?: string;
    }
  | { type: 'jobIds' }
  | { type: 'nameRegex'; what: 'job' | 'node' | 'reservation' }
  | { type: 'limit' }
  | { type: 'groupBy'; keys: readonly string[] }
  | { type: 'sort' }
  | {
      type: 'choice';
      key: KeysOf<Q, string>;
      label: string;
      options: ChoiceOption[];
      /** What the backend applies when the field is absent, shown as chosen. */
      fallback: string;
      labelWidth?: number;
    }
  | {
      type: 'toggle';
      id: string;
      label: string;
      tooltip?: string;
      isOn(query: Q): boolean;
      patch(on: boolean): Partial<Q>;
    }
  | { type: 'note'; text: string };

/** Fields side by side (one InlineFieldRow), rows top to bottom. */
export type FieldRows<Q> = Array<Array<FieldSpec<Q>>>;

const list = <Q>(
  key: KeysOf<Q, StringList>,
  label: string,
  kind: VariableKind,
  more: { of?: 'jobs' | 'nodes'; tooltip?: string } = {}
): FieldSpec<Q> => ({ type: 'list', key, label, kind, ...more });

/** The job filters but the state (which `pending` does not take). */
type JobFiltersButState = Omit<JobFilters, 'states'>;

const jobFilter = {
  partitions: list<JobFiltersButState>('partitions', 'Partitions', 'partitions'),
  users: list<JobFiltersButState>('users', 'Users', 'users'),
  accounts: list<JobFiltersButState>('accounts', 'Accounts', 'accounts'),
  qos: list<JobFiltersButState>('qos', 'QOS', 'qos'),
  nodes: list<JobFiltersButState>('nodes', 'Nodes', 'nodes', { tooltip: 'Jobs allocated any of these nodes' }),
  reasons: list<JobFiltersButState>('reasons', 'Reasons', 'reasons', {
    tooltip: 'Why a job waits: Resources, Priority, Dependency, …',
  }),
};

/** The filters of `pending`, which explains PENDING jobs only: those of `jobs` but the state. */
export const PENDING_FILTER_ROWS: FieldRows<JobFiltersButState> = [
  [jobFilter.partitions, jobFilter.users],
  [jobFilter.accounts, jobFilter.qos, jobFilter.nodes, jobFilter.reasons],
  [{ type: 'jobIds' }, { type: 'nameRegex', what: 'job' }],
];

/** The filters `jobs` and `job_counts` share. */
const JOB_FILTER_ROWS: FieldRows<JobFilters> = [
  [
    list<JobFilters>('states', 'States', 'states', {
      of: 'jobs',
      tooltip: 'Base state or flag, e.g. RUNNING, PENDING, COMPLETING',
    }),
    jobFilter.partitions,
    jobFilter.users,
  ],
  ...PENDING_FILTER_ROWS.slice(1),
];

const NODE_FILTER_ROW: Array<FieldSpec<NodeFilters>> = [
  list<NodeFilters>('states', 'States', 'states', {
    of: 'nodes',
    tooltip: 'Base state or flag, e.g. IDLE, MIXED, DOWN, DRAIN',
  }),
  list<NodeFilters>('partitions', 'Partitions', 'partitions'),
  list<NodeFilters>('features', 'Features', 'features'),
  { type: 'nameRegex', what: 'node' },
];

/** Users, accounts and partitions: the filters `history_series` and `usage` share. */
const ACCOUNTING_FILTER_ROW: Array<FieldSpec<AccountingFilters>> = [
  list<AccountingFilters>('users', 'Users', 'users'),
  list<AccountingFilters>('accounts', 'Accounts', 'accounts'),
  list<AccountingFilters>('partitions', 'Partitions', 'partitions'),
];

const HISTORY_METRICS: Array<ChoiceOption & { value: HistoryMetric }> = [
  { label: 'Submitted', value: 'submitted', description: 'Jobs submitted per bucket' },
  { label: 'Started', value: 'started', description: 'Jobs started per bucket' },
  { label: 'Finished', value: 'finished', description: 'Jobs finished per bucket' },
  { label: 'Wait p50', value: 'wait_p50', description: 'Median queue wait (s) of jobs started per bucket' },
  { label: 'Wait p90', value: 'wait_p90', description: '90th percentile queue wait (s) per bucket' },
];

const USAGE_TRES: Array<ChoiceOption & { value: UsageTres }> = [
  { label: 'CPU-hours', value: 'cpu' },
  { label: 'GPU-hours', value: 'gpu' },
  { label: 'Memory (GB-hours)', value: 'mem' },
];
const USAGE_GROUP_BY: Array<ChoiceOption & { value: UsageGroupBy }> = [
  { label: 'Account', value: 'account' },
  { label: 'User', value: 'user' },
  { label: 'Partition', value: 'partition' },
];
const USAGE_FORMATS: Array<ChoiceOption & { value: UsageFormat }> = [
  { label: 'Table', value: 'table', description: 'One row per group over the whole range' },
  { label: 'Series', value: 'series', description: 'One series per group, per time bucket' },
];

type QueryOf<T extends QueryType> = Extract<SlurmTypedQuery, { queryType: T }>;

/** The query types whose editor is a table of fields (`pending` has its own; annotations their own editor). */
export type TableEditedType = Exclude<QueryType, 'pending' | 'annotations'>;

/** Every query editor's fields, by query type. */
export const QUERY_FIELDS: { [T in TableEditedType]: FieldRows<QueryOf<T>> } = {
  // One row per job or array task, like squeue.
  jobs: [...JOB_FILTER_ROWS, [{ type: 'sort' }, { type: 'limit' }]],
  // A numeric long frame, one count per group, for panels and alert rules.
  job_counts: [...JOB_FILTER_ROWS, [{ type: 'groupBy', keys: JOB_GROUP_BY_KEYS }]],
  // One row per node with state, reason and allocation, like sinfo -N.
  nodes: [NODE_FILTER_ROW],
  // Nodes counted by state and/or partition, one series per group.
  node_counts: [NODE_FILTER_ROW, [{ type: 'groupBy', keys: NODE_GROUP_BY_KEYS }]],
  // One row per partition with totals and running/pending jobs.
  partitions: [[list('partitions', 'Partitions', 'partitions')]],
  // One row per reservation, optionally only those whose name matches.
  reservations: [[{ type: 'nameRegex', what: 'reservation' }]],
  scheduler: [
    [
      {
        type: 'note',
        text: 'One row of numbers from slurmctld diagnostics: cycle times, backfill, RPC and agent queue figures.',
      },
    ],
  ],
  // Fairshare per account and user, like sshare.
  shares: [[list('users', 'Users', 'users'), list('accounts', 'Accounts', 'accounts')]],
  // Finished jobs from slurmdbd over the dashboard's time range, with efficiencies.
  job_history: [
    [list('users', 'Users', 'users'), list('accounts', 'Accounts', 'accounts')],
    [
      list('partitions', 'Partitions', 'partitions'),
      list('states', 'States', 'states', {
        of: 'jobs',
        tooltip: 'Final state, e.g. COMPLETED, FAILED, TIMEOUT, CANCELLED',
      }),
      { type: 'limit' },
    ],
  ],
  // Accounting over the dashboard range, bucketed into a time series.
  history_series: [
    [
      {
        type: 'choice',
        key: 'metric',
        label: 'Metric',
        options: HISTORY_METRICS,
        fallback: 'submitted',
        labelWidth: 14,
      },
      {
        type: 'toggle',
        id: 'by-partition',
        label: 'Per partition',
        tooltip: 'One series per partition',
        isOn: (q: HistorySeriesQuery) => q.groupBy?.includes('partition') ?? false,
        patch: (on) => ({ groupBy: on ? ['partition'] : undefined }),
      },
    ],
    ACCOUNTING_FILTER_ROW,
  ],
  // Metering from accounting over the dashboard range.
  usage: [
    [
      { type: 'choice', key: 'tres', label: 'Resource', options: USAGE_TRES, fallback: 'cpu', labelWidth: 14 },
      { type: 'choice', key: 'groupBy', label: 'By', options: USAGE_GROUP_BY, fallback: 'account' },
      { type: 'choice', key: 'format', label: 'Format', options: USAGE_FORMATS, fallback: 'table' },
    ],
    ACCOUNTING_FILTER_ROW,
  ],
};
