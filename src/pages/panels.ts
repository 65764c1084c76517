import { PanelBuilders, SceneDataTransformer, SceneFlexItem, SceneQueryRunner, type VizPanel } from '@grafana/scenes';
import type { DataSourceRef } from '@grafana/schema';
import type { QueryType } from '../datasource/types';

/** A query runner for one Slurm query type; the backend serves it from its cached snapshot. */
export function slurmQuery(datasource: DataSourceRef, queryType: QueryType): SceneQueryRunner {
  return new SceneQueryRunner({
    datasource,
    queries: [{ refId: 'A', datasource, queryType }],
  });
}

export function slurmTable(title: string, datasource: DataSourceRef, queryType: QueryType): VizPanel {
  return PanelBuilders.table().setTitle(title).setData(slurmQuery(datasource, queryType)).build();
}

/**
 * The one row of a jobs or nodes answer whose key column (`job_id`, `node`) equals `value`, picked in the
 * browser from the cached answer until the backend takes id filters (issue 4).
 */
export function slurmRow(datasource: DataSourceRef, queryType: QueryType, keyField: string, value: string) {
  return new SceneDataTransformer({
    $data: slurmQuery(datasource, queryType),
    transformations: [
      {
        id: 'filterByValue',
        options: {
          type: 'include',
          match: 'all',
          filters: [{ fieldName: keyField, config: { id: 'equal', options: { value } } }],
        },
      },
    ],
  });
}

/** A table of the one job or node a detail page is about. */
export function slurmRowTable(
  title: string,
  datasource: DataSourceRef,
  queryType: QueryType,
  keyField: string,
  value: string
): VizPanel {
  return PanelBuilders.table()
    .setTitle(title)
    .setData(slurmRow(datasource, queryType, keyField, value))
    .build();
}

/**
 * Rows of a jobs or nodes answer counted per base state (RUNNING, PENDING, IDLE, …). Counting happens in
 * the browser from the rows the backend already cached; `idField` is the frame's key column
 * (`job_id` for jobs, `node` for nodes) and `label` names the count.
 */
export function countByState(
  datasource: DataSourceRef,
  queryType: QueryType,
  idField: string,
  label: string
): SceneDataTransformer {
  return new SceneDataTransformer({
    $data: slurmQuery(datasource, queryType),
    transformations: [
      {
        id: 'groupBy',
        options: {
          fields: {
            state_base: { operation: 'groupby', aggregations: [] },
            [idField]: { operation: 'aggregate', aggregations: ['count'] },
          },
        },
      },
      { id: 'organize', options: { renameByName: { state_base: 'state', [`${idField} (count)`]: label } } },
    ],
  });
}

/** A bar gauge with one bar per state. */
export function stateCounts(title: string, data: SceneDataTransformer): VizPanel {
  return PanelBuilders.bargauge()
    .setTitle(title)
    .setData(data)
    .setOption('reduceOptions', { values: true, calcs: [], fields: '' })
    .build();
}

export function flexItem(body: VizPanel, minHeight = 300): SceneFlexItem {
  return new SceneFlexItem({ minHeight, body });
}
