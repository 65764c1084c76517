import { getResourceJson } from '../datasource/resources';

/** Answer of the data source's `snapshot/status` resource route (pkg/plugin handler_resources.go). */
export interface SnapshotStatus {
  /** Seconds since the snapshot the backend serves was fetched from slurmrestd. */
  ageSeconds: number;
  /** True when slurmrestd failed and the last good snapshot is being served. */
  stale: boolean;
  lastError?: string;
  counts?: Record<string, number>;
}

export function fetchSnapshotStatus(datasourceUid: string): Promise<SnapshotStatus> {
  return getResourceJson<SnapshotStatus>(datasourceUid, 'snapshot/status');
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
