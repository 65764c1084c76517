import {
  type AnnotationQuery,
  type AnnotationSupport,
  CoreApp,
  type DataSourceInstanceSettings,
  type MetricFindValue,
  type ScopedVars,
} from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';
import { AnnotationQueryEditor } from './components/AnnotationQueryEditor/AnnotationQueryEditor';
import {
  DEFAULT_MAX_ROWS,
  QUERY_DEFAULTS,
  type AnnotationsQuery,
  type SlurmDataSourceOptions,
  type SlurmQuery,
  type SlurmVariableQuery,
  type VariableKind,
  type VariableOption,
} from './types';
import { fetchVariableOptions, type VariableParams } from './resources';
import { SlurmVariableSupport } from './variables';

/** Query keys that are never interpolated: they say what to ask, not for what. */
const KEYS_NOT_INTERPOLATED = new Set(['refId', 'queryType', 'kind', 'datasource', 'key']);

/** All work happens in the Go backend (QueryData); the browser only shapes queries. */
export class DataSource extends DataSourceWithBackend<SlurmQuery, SlurmDataSourceOptions> {
  /** Upper bound of any `limit` the editors accept (the backend enforces the same). */
  readonly maxRows: number;

  constructor(instanceSettings: DataSourceInstanceSettings<SlurmDataSourceOptions>) {
    super(instanceSettings);
    this.maxRows = instanceSettings.jsonData?.maxRows ?? DEFAULT_MAX_ROWS;
    this.variables = new SlurmVariableSupport(this);
    this.annotations = annotationSupport;
  }

  /**
   * A new query's type: an alert rule starts with job counts (a numeric long frame alerting can evaluate),
   * anything else (Explore, a panel) with the jobs table.
   */
  getDefaultQuery(app: CoreApp): Partial<SlurmQuery> {
    return app === CoreApp.UnifiedAlerting ? QUERY_DEFAULTS.job_counts : QUERY_DEFAULTS.jobs;
  }

  /** A query without a type would only earn a backend error, so it is not sent. */
  filterQuery(query: SlurmQuery): boolean {
    return !query.hide && Boolean(query.queryType);
  }

  /**
   * Dashboard variables work in every string and list filter. A multi-value variable in a list
   * (`users: ["$user"]`) becomes one entry per value, so `$user = alice + bob` filters on both.
   */
  applyTemplateVariables(query: SlurmQuery, scopedVars: ScopedVars): SlurmQuery {
    const templateSrv = getTemplateSrv();
    const interpolated: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(query)) {
      if (KEYS_NOT_INTERPOLATED.has(key)) {
        interpolated[key] = value;
      } else if (typeof value === 'string') {
        interpolated[key] = templateSrv.replace(value, scopedVars);
      } else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
        interpolated[key] = value
          .flatMap((v: string) => templateSrv.replace(v, scopedVars, 'csv').split(','))
          .map((v) => v.trim())
          .filter((v) => v !== '');
      } else {
        interpolated[key] = value;
      }
    }
    return interpolated as unknown as SlurmQuery;
  }

  /**
   * Values of one kind from the backend's snapshot (`variables/<kind>`): no slurmrestd call of its own.
   * Nodes can be narrowed to a partition or a state.
   */
  getVariableOptions(kind: VariableKind, params?: VariableParams): Promise<VariableOption[]> {
    return fetchVariableOptions(this.uid, kind, params);
  }

  /** Template variable values; `partition` and `state` may themselves hold variables. */
  async metricFindQuery(query: SlurmVariableQuery, options?: { scopedVars?: ScopedVars }): Promise<MetricFindValue[]> {
    const templateSrv = getTemplateSrv();
    const scopedVars = options?.scopedVars ?? {};
    const partition = query.partition ? templateSrv.replace(query.partition, scopedVars) : undefined;
    const state = query.state ? templateSrv.replace(query.state, scopedVars) : undefined;
    const values = await this.getVariableOptions(query.kind, { partition, state });
    return values.map(({ text, value }) => ({ text, value }));
  }
}

/**
 * Annotations go through QueryData like any query, with queryType `annotations`; Grafana turns the
 * backend's frames (time, timeEnd, title, text, tags) into events itself.
 */
const annotationSupport: AnnotationSupport<SlurmQuery> = {
  QueryEditor: AnnotationQueryEditor,
  getDefaultQuery: () => QUERY_DEFAULTS.annotations,
  prepareQuery: (anno: AnnotationQuery<SlurmQuery>): SlurmQuery | undefined => {
    const target = anno.target as Partial<AnnotationsQuery> | undefined;
    return {
      ...QUERY_DEFAULTS.annotations,
      ...target,
      refId: target?.refId || 'Anno',
      queryType: 'annotations',
    };
  },
};
