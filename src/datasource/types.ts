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
}

/** Data source secureJsonData: write-only from the browser; Grafana only tells whether each is set. */
export interface SlurmSecureJsonData {
  token?: string;
  jwtKey?: string;
  tlsCACert?: string;
}

/** Query types the backend answers (issue 4 adds more and their filters). */
export type QueryType = 'jobs' | 'job_counts' | 'nodes' | 'node_counts' | 'partitions';

export interface SlurmQuery extends DataQuery {
  queryType?: QueryType;
}

export const DEFAULT_QUERY: Partial<SlurmQuery> = {
  queryType: 'jobs',
};
