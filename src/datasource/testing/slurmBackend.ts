import { of, throwError } from 'rxjs';
import { setBackendSrv, type BackendSrv, type BackendSrvRequest, type FetchResponse } from '@grafana/runtime';
import { DataSource } from '../datasource';
import type { SlurmDataSourceOptions, VariableOption } from '../types';

/** A data source as Grafana constructs it from its settings; `id` is deprecated and unused. */
export function newDataSource(jsonData: SlurmDataSourceOptions = {}): DataSource {
  return new DataSource({
    uid: 'slurm',
    type: 'hpc-slurm-datasource',
    name: 'Slurm',
    access: 'proxy',
    readOnly: false,
    jsonData,
    meta: {} as DataSource['meta'],
  } as ConstructorParameters<typeof DataSource>[0]);
}

/**
 * Grafana's HTTP client is the only seam: the real DataSourceWithBackend builds the resource request
 * (/api/datasources/uid/<uid>/resources/<path>?…), and this answers it as the Go backend's
 * `variables/<kind>` route would (a list), or with the given body for another route (`capabilities`).
 * Keys are the path after `resources/` plus the query string, e.g. `variables/nodes?partition=gpu`.
 * Every request is recorded.
 */
export function installSlurmBackend(answers: Record<string, string[] | object>): { requests: string[] } {
  const requests: string[] = [];
  const fetch = (req: BackendSrvRequest) => {
    const path = req.url.replace(/^\/api\/datasources\/uid\/[^/]+\/resources\//, '');
    const search = new URLSearchParams(req.params ?? {}).toString();
    const key = search ? `${path}?${search}` : path;
    requests.push(key);
    const values = answers[key];
    if (!values) {
      return throwError(() => ({ status: 404, data: { error: `no answer for ${key}` } }));
    }
    // A list is a `variables/<kind>` answer; anything else (e.g. `capabilities`) is sent as it is.
    const data = Array.isArray(values) ? values.map((v): VariableOption => ({ text: v, value: v })) : values;
    return of({ data, status: 200, ok: true, url: req.url } as FetchResponse<unknown>);
  };
  setBackendSrv({ fetch } as unknown as BackendSrv);
  return { requests };
}
