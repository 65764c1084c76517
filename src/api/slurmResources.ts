import { lastValueFrom } from 'rxjs';
import { getBackendSrv } from '@grafana/runtime';

/** Answer of the data source's `snapshot/status` resource route (pkg/plugin handler_resources.go). */
export interface SnapshotStatus {
  /** Seconds since the snapshot the backend serves was fetched from slurmrestd. */
  ageSeconds: number;
  /** True when slurmrestd failed and the last good snapshot is being served. */
  stale: boolean;
  lastError?: string;
  counts?: Record<string, number>;
}

/** One option of a `variables/<kind>` resource route. */
export interface VariableOption {
  text: string;
  value: string;
}

export type VariableKind =
  'partitions' | 'nodes' | 'users' | 'accounts' | 'qos' | 'states' | 'reservations' | 'features' | 'reasons';

/** Grafana proxies GET resource calls of a backend data source under this path. */
export function resourceUrl(datasourceUid: string, path: string): string {
  return `/api/datasources/uid/${encodeURIComponent(datasourceUid)}/resources/${path}`;
}

async function getJson<T>(url: string, params?: Record<string, string>): Promise<T> {
  // showErrorAlert: the pages show their own banner; Grafana's global toast would repeat it every poll.
  const response = await lastValueFrom(
    getBackendSrv().fetch<T>({ url, params, method: 'GET', showErrorAlert: false, showSuccessAlert: false })
  );
  return response.data;
}

export function fetchSnapshotStatus(datasourceUid: string): Promise<SnapshotStatus> {
  return getJson<SnapshotStatus>(resourceUrl(datasourceUid, 'snapshot/status'));
}

export async function fetchVariableOptions(
  datasourceUid: string,
  kind: VariableKind,
  params?: Record<string, string>
): Promise<VariableOption[]> {
  const options = await getJson<VariableOption[] | null>(resourceUrl(datasourceUid, `variables/${kind}`), params);
  return Array.isArray(options) ? options : [];
}

/** Grafana's message for a failed fetch: the backend's `message`/`error` when it sent one. */
export function errorMessage(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as {
      data?: { message?: string; error?: string };
      message?: string;
      statusText?: string;
      status?: number;
    };
    return e.data?.message || e.data?.error || e.message || e.statusText || `HTTP ${e.status ?? 'error'}`;
  }
  return String(err);
}
