import { lastValueFrom } from 'rxjs';
import { getBackendSrv } from '@grafana/runtime';

/** The exporters the pages read (DESIGN §1, §6), each recognised by a metric name it always exposes. */
export const EXPORTERS = [
  { id: 'node_exporter', name: 'node_exporter', test: (m: string) => m === 'node_uname_info' },
  { id: 'dcgm', name: 'DCGM (NVIDIA GPUs)', test: (m: string) => m.startsWith('DCGM_FI_DEV_') },
  { id: 'ipmi', name: 'IPMI exporter', test: (m: string) => m.startsWith('ipmi_') },
  { id: 'kube_state_metrics', name: 'kube-state-metrics', test: (m: string) => m.startsWith('kube_') },
] as const;

export type ExporterId = (typeof EXPORTERS)[number]['id'] | 'jobstats';

export interface ExporterFinding {
  id: ExporterId;
  name: string;
  found: boolean;
}

async function values(promUid: string, label: string): Promise<string[]> {
  // Grafana's Prometheus data source forwards resource calls under api/v1 to Prometheus with the data
  // source's auth, so the browser never needs Prometheus' URL or credentials.
  const url = `/api/datasources/uid/${encodeURIComponent(promUid)}/resources/api/v1/label/${label}/values`;
  const rsp = await lastValueFrom(getBackendSrv().fetch<{ data?: string[] }>({ url, showErrorAlert: false }));
  return rsp.data?.data ?? [];
}

/**
 * Which exporters this Prometheus holds series from: metric names for node_exporter, DCGM, IPMI and
 * kube-state-metrics, and any value of a `jobid` label for a cgroup / jobstats exporter.
 */
export async function detectExporters(promUid: string): Promise<ExporterFinding[]> {
  const [names, jobids] = await Promise.all([values(promUid, '__name__'), values(promUid, 'jobid')]);
  return [
    ...EXPORTERS.map((e) => ({ id: e.id, name: e.name, found: names.some(e.test) })),
    { id: 'jobstats', name: 'cgroup / jobstats (per-job series, jobid label)', found: jobids.length > 0 },
  ];
}
