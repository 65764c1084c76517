import { DataSourceInstanceSettings, CoreApp, ScopedVars } from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';
import { DEFAULT_QUERY, type SlurmDataSourceOptions, type SlurmQuery } from './types';

/** All work happens in the Go backend (QueryData); the browser only shapes queries. */
export class DataSource extends DataSourceWithBackend<SlurmQuery, SlurmDataSourceOptions> {
  constructor(instanceSettings: DataSourceInstanceSettings<SlurmDataSourceOptions>) {
    super(instanceSettings);
  }

  getDefaultQuery(_: CoreApp): Partial<SlurmQuery> {
    return DEFAULT_QUERY;
  }

  /** A query without a type would only earn a backend error, so it is not sent. */
  filterQuery(query: SlurmQuery): boolean {
    return !query.hide && Boolean(query.queryType);
  }

  applyTemplateVariables(query: SlurmQuery, scopedVars: ScopedVars): SlurmQuery {
    // String filters (issue 4) are interpolated here so dashboard variables work; keys are left alone.
    const templateSrv = getTemplateSrv();
    const interpolated: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(query)) {
      interpolated[key] =
        typeof value === 'string' && key !== 'refId' && key !== 'queryType'
          ? templateSrv.replace(value, scopedVars)
          : value;
    }
    return interpolated as unknown as SlurmQuery;
  }
}
