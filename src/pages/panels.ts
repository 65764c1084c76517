import { PanelBuilders, SceneFlexItem, SceneQueryRunner, type VizPanel } from '@grafana/scenes';
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

export function flexItem(body: VizPanel, minHeight = 300): SceneFlexItem {
  return new SceneFlexItem({ minHeight, body });
}
