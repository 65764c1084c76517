import { from, map, type Observable } from 'rxjs';
import {
  CustomVariableSupport,
  FieldType,
  createDataFrame,
  type DataQueryRequest,
  type DataQueryResponse,
} from '@grafana/data';
import type { DataSource } from './datasource';
import { VariableQueryEditor } from './components/VariableQueryEditor/VariableQueryEditor';
import type { SlurmVariableQuery } from './types';

/**
 * Template variables read the backend's `variables/<kind>` resource (the snapshot), so a dashboard with
 * many variables still causes no slurmrestd call of its own.
 */
export class SlurmVariableSupport extends CustomVariableSupport<DataSource, SlurmVariableQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: DataSource) {
    super();
  }

  query(request: DataQueryRequest<SlurmVariableQuery>): Observable<DataQueryResponse> {
    const [query] = request.targets;
    if (!query?.kind) {
      return from(Promise.resolve({ data: [] }));
    }
    return from(this.datasource.metricFindQuery(query, { scopedVars: request.scopedVars })).pipe(
      map((values) => ({
        data: [
          createDataFrame({
            refId: query.refId,
            fields: [
              { name: 'text', type: FieldType.string, values: values.map((v) => String(v.text)) },
              { name: 'value', type: FieldType.string, values: values.map((v) => String(v.value ?? v.text)) },
            ],
          }),
        ],
      }))
    );
  }
}
