import { from, lastValueFrom, map, of, throwError } from 'rxjs';
import type { DataQuery, DataSourceRef } from '@grafana/schema';
import {
  dataFrameToJSON,
  LoadingState,
  type DataQueryRequest,
  type PanelData,
  type DataFrame,
  type DataSourceInstanceSettings,
  type ScopedVars,
  DataSourceApi,
  toDataFrame,
} from '@grafana/data';
import {
  DataSourceWithBackend,
  getBackendSrv,
  getTemplateSrv,
  setBackendSrv,
  setDataSourceSrv,
  setPluginImportUtils,
  setRunRequest,
  setTemplateSrv,
  type BackendSrv,
  type BackendSrvRequest,
  type FetchResponse,
} from '@grafana/runtime';
import { sceneGraph, type SceneObject } from '@grafana/scenes';
import { DataSource } from '../datasource/datasource';

/**
 * What a test's Grafana server answers: Slurm queries by query body, GET routes by URL. Everything above
 * the HTTP boundary is real: Scenes, the app's pages, the data source class (src/datasource), Grafana's
 * DataSourceWithBackend request building and response parsing (toDataQueryResponse).
 */
export interface FakeServer {
  /** Frames for one Slurm query (the body Grafana would POST to /api/ds/query), or an Error. */
  slurm: (query: SentQuery, uid: string) => DataFrame[] | Error;
  /** GET answers by path (e.g. /api/datasources/uid/slurm/resources/snapshot/status). */
  get?: (url: string) => unknown;
  /** POST answers by path and body (operator actions): the HTTP status and the JSON body. */
  post?: (url: string, body: unknown) => { status: number; data: unknown };
}

export interface Recorded {
  queries: SentQuery[];
  gets: string[];
  posts: Array<{ url: string; body: unknown }>;
}

/** A query as Grafana posts it to /api/ds/query: the page's query fields (a Prometheus `expr` too) after interpolation. */
export type SentQuery = Record<string, unknown> & { refId: string; queryType?: string; datasource?: DataSourceRef };

const SLURM_TYPE = 'hpc-slurm-datasource';
let pluginLoaderSet = false;

function instanceSettings(uid: string, name: string): DataSourceInstanceSettings {
  return {
    uid,
    name,
    type: SLURM_TYPE,
    access: 'proxy',
    readOnly: false,
    jsonData: {},
    meta: { id: SLURM_TYPE, name: 'Slurm', type: 'datasource', info: {} } as never,
  } as DataSourceInstanceSettings;
}

/**
 * Grafana resolves `${cluster}` in a data source uid through its template service, which for Scenes
 * delegates to the scene object in scopedVars.__sceneObject; this does the same with Scenes' own
 * interpolation.
 */
function interpolate(target: string | undefined, scopedVars?: ScopedVars, format?: string): string {
  const holder = scopedVars?.__sceneObject?.value as { valueOf(): SceneObject } | undefined;
  const obj = holder?.valueOf();
  return obj && target ? sceneGraph.interpolate(obj, target, scopedVars, format) : (target ?? '');
}

/**
 * The Prometheus data source's part that matters to the pages: like Grafana's own, it interpolates the
 * query's `expr` with the scene's variables before posting it to /api/ds/query, so a test sees the
 * expression Prometheus would receive.
 */
class PrometheusLike extends DataSourceWithBackend<DataQuery & { expr?: string }> {
  applyTemplateVariables(query: DataQuery & { expr?: string }, scopedVars: ScopedVars) {
    return { ...query, expr: getTemplateSrv().replace(query.expr ?? '', scopedVars) };
  }
}

/**
 * Grafana's built-in "-- Grafana --" data source, for annotation queries by tags (the operator actions on a
 * job or node): like Grafana's own, it asks GET /api/annotations with the query's tags, so a test sees the
 * tags a page asks for and the server answers the annotations.
 */
class GrafanaAnnotationsLike extends DataSourceApi<
  DataQuery & { tags?: string[]; limit?: number; matchAny?: boolean }
> {
  annotations = {};

  async query(request: DataQueryRequest<DataQuery & { tags?: string[]; limit?: number; matchAny?: boolean }>) {
    const q = request.targets[0] ?? { refId: 'Anno' };
    const params: Record<string, string> = { type: 'annotation', limit: String(q.limit ?? 100) };
    if (q.tags?.length) {
      params.tags = q.tags.join(',');
      params.matchAny = String(Boolean(q.matchAny));
    }
    const list = (await getBackendSrv().get('/api/annotations', params)) as Array<Record<string, unknown>>;
    return { data: [toDataFrame(list ?? [])] };
  }

  async testDatasource() {
    return { status: 'success', message: '' };
  }
}

export interface InstallOptions {
  /**
   * The Prometheus data source's uid, `prometheus` as in the provisioned settings (renderApp's PROVISIONED); its
   * queries reach `server.slurm` with that uid. `null`: no Prometheus in this Grafana.
   */
  prometheusUid?: string | null;
}

/** Installs Grafana's runtime services for a test: the configured Slurm data sources and the server. */
export function installGrafana(
  server: FakeServer,
  slurmUids: Record<string, string> = { slurm: 'Slurm' },
  { prometheusUid = 'prometheus' }: InstallOptions = {}
): Recorded {
  const recorded: Recorded = { queries: [], gets: [], posts: [] };
  const instances = new Map<string, { settings: DataSourceInstanceSettings; api: DataSourceApi }>(
    Object.entries(slurmUids).map(([uid, name]) => {
      const settings = instanceSettings(uid, name);
      return [uid, { settings, api: new DataSource(settings as never) as unknown as DataSourceApi }];
    })
  );
  if (prometheusUid) {
    const settings = {
      ...instanceSettings(prometheusUid, 'Prometheus'),
      type: 'prometheus',
      meta: { id: 'prometheus', name: 'Prometheus', type: 'datasource', info: {} } as never,
    } as DataSourceInstanceSettings;
    instances.set(prometheusUid, { settings, api: new PrometheusLike(settings) as unknown as DataSourceApi });
  }
  const grafanaSettings = {
    ...instanceSettings('-- Grafana --', '-- Grafana --'),
    type: 'grafana',
    meta: { id: 'grafana', name: '-- Grafana --', type: 'datasource', info: {}, builtIn: true } as never,
  } as DataSourceInstanceSettings;
  instances.set('-- Grafana --', {
    settings: grafanaSettings,
    api: new GrafanaAnnotationsLike(grafanaSettings) as never,
  });
  const resolve = (ref: DataSourceRef | string | null | undefined, scopedVars?: ScopedVars) => {
    const uid = interpolate(typeof ref === 'string' ? ref : (ref?.uid ?? undefined), scopedVars);
    return instances.get(uid);
  };

  setTemplateSrv({
    getVariables: () => [],
    replace: (target?: string, scopedVars?: ScopedVars, format?: string) => interpolate(target, scopedVars, format),
    containsTemplate: (t?: string) => Boolean(t?.includes('$')),
    updateTimeRange: () => {},
  } as never);

  setDataSourceSrv({
    get: async (ref: DataSourceRef | string | null | undefined, scopedVars?: ScopedVars) => {
      const ds = resolve(ref, scopedVars);
      if (!ds) {
        throw new Error(`Data source ${JSON.stringify(ref)} was not found`);
      }
      return ds.api;
    },
    getInstanceSettings: (ref: DataSourceRef | string | null | undefined, scopedVars?: ScopedVars) =>
      resolve(ref, scopedVars)?.settings,
    getList: () => [...instances.values()].map((d) => d.settings),
    reload: async () => {},
    registerRuntimeDataSource: () => {},
  } as never);

  const respond = <T>(data: T, status = 200): FetchResponse<T> =>
    ({
      data,
      status,
      ok: status < 300,
      statusText: 'OK',
      headers: new Headers(),
      redirected: false,
      type: 'basic',
      url: '',
      config: {},
    }) as never;

  const fetch = (req: BackendSrvRequest) => {
    if (req.url.startsWith('/api/ds/query')) {
      const results: Record<string, unknown> = {};
      for (const q of (req.data as { queries: SentQuery[] }).queries) {
        recorded.queries.push(q);
        const answer = server.slurm(q, (q.datasource as DataSourceRef).uid ?? '');
        results[q.refId] =
          answer instanceof Error
            ? { status: 500, error: answer.message }
            : { status: 200, frames: answer.map((f) => dataFrameToJSON({ ...f, refId: q.refId })) };
      }
      return of(respond({ results }));
    }
    if (req.method === 'POST') {
      recorded.posts.push({ url: req.url, body: req.data });
      const answer = server.post?.(req.url, req.data) ?? { status: 404, data: { message: 'Not found' } };
      // Like Grafana's fetch: a non-2xx answer is an error carrying the body as `data`.
      return answer.status < 300 ? of(respond(answer.data, answer.status)) : throwError(() => answer);
    }
    const url = req.params ? `${req.url}?${new URLSearchParams(req.params as Record<string, string>)}` : req.url;
    recorded.gets.push(url);
    // Grafana always has its own annotations: none unless the test's server says otherwise.
    const answer = server.get?.(req.url) ?? (req.url === '/api/annotations' ? [] : undefined);
    if (answer === undefined || answer instanceof Error) {
      return throwError(() => ({
        status: answer ? 500 : 404,
        data: { message: answer ? answer.message : 'Not found' },
      }));
    }
    return of(respond(answer));
  };

  setBackendSrv({
    fetch,
    get: (url: string, params?: Record<string, string>) => lastValueFrom(fetch({ url, params })).then((r) => r.data),
  } as unknown as BackendSrv);

  // Grafana's runRequest (public/app, not in a package) turns a data source answer into PanelData for
  // Scenes; this is its essential part: one answer, Done or Error with the answer's errors.
  setRunRequest((ds: DataSourceApi, request: DataQueryRequest) =>
    from(ds.query(request) as never).pipe(
      map((rsp: { data: DataFrame[]; errors?: PanelData['errors'] }): PanelData => ({
        state: rsp.errors?.length ? LoadingState.Error : LoadingState.Done,
        series: rsp.data,
        errors: rsp.errors,
        timeRange: request.range,
        request,
      }))
    )
  );

  // Panels load their visualization plugin through Grafana's plugin loader, which exists only in a running
  // Grafana; panels stay in "loading plugin" (header and title render). The app's own components render fully.
  // Grafana allows setting it once per page load (a jest module registry here).
  if (!pluginLoaderSet) {
    setPluginImportUtils({ importPanelPlugin: () => new Promise(() => {}), getPanelPluginFromCache: () => undefined });
    pluginLoaderSet = true;
  }
  return recorded;
}
