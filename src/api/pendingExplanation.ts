import { lastValueFrom } from 'rxjs';
import { getBackendSrv } from '@grafana/runtime';
import { resourceUrl } from '../datasource/resources';
import type { PendingCategory } from '../datasource/types';

export type { PendingCategory };

/** Body of the data source's `pending/{jobId}` route (pkg/plugin pending_json.go). */
export interface PendingAnswer {
  explanation: PendingExplanation;
  /** What could not be read (e.g. slurmdbd's limits), in words. */
  warnings: string[];
  snapshotAgeSeconds: number;
}

export interface PendingExplanation {
  jobId: string;
  name: string;
  user: string;
  /** Slurm's reason code, e.g. Resources. */
  reason: string;
  /** Slurm's longer text when it says more, e.g. "ReqNodeNotAvail, Reserved for maintenance". */
  detail?: string;
  category: PendingCategory;
  categoryTitle: string;
  meaning: string;
  summary: string;
  canEverStart: boolean;
  blockers: string[];
  request: {
    partition: string;
    qos: string;
    account: string;
    nodes: number;
    cpus: number;
    cpusPerNode: number;
    memoryMB: number;
    memoryPerNodeMB: number;
    gpus: number;
    gpusPerNode: number;
    timeLimitMinutes: number | null;
    timeLimitUnlimited: boolean;
    features: string;
    licenses: string;
    reservation: string;
    requiredNodes: string;
  };
  partition: {
    name: string;
    state: string;
    nodes: number;
    usableNodes: number;
    /** -1: not counted. */
    nodesWithRoom: number;
    idleCPUs: number;
    idleGPUs: number;
    freeMemoryMB: number;
    totalCPUs: number;
    totalGPUs: number;
    maxCPUsPerNode: number;
    maxGPUsPerNode: number;
    maxMemoryPerNodeMB: number;
    maxTimeMinutes: number | null;
  } | null;
  limit: {
    label: string;
    scope: string;
    owner: string;
    setting: string;
    tres: string;
    unit: string;
    value: number | null;
    used: number | null;
    requested: number;
    usedBy: string;
    text: string;
  } | null;
  dependencies: Array<{ type: string; jobId: string; status: string; name: string; state: string; text: string }>;
  reservation: {
    name: string;
    start: string | null;
    end: string | null;
    nodes: string;
    maintenance: boolean;
    active: boolean;
    crossesStart: boolean;
    fitsBeforeMinutes: number;
    text: string;
  } | null;
  queue: {
    rank: number;
    of: number;
    kind: string;
    aheadSameKind: number;
    aheadCPUs: number;
    aheadGPUs: number;
    priority: number | null;
    fairShare: number | null;
    text: string;
  } | null;
  expectedStart: string | null;
  help: string[];
  notes: string[];
}

/** One pending job's explanation; rejects with the backend's message (404 no such job, 409 not pending). */
export async function fetchPendingExplanation(datasourceUid: string, jobId: string): Promise<PendingAnswer> {
  const response = await lastValueFrom(
    getBackendSrv().fetch<PendingAnswer>({
      url: resourceUrl(datasourceUid, `pending/${encodeURIComponent(jobId)}`),
      method: 'GET',
      showErrorAlert: false,
      showSuccessAlert: false,
    })
  );
  return response.data;
}
