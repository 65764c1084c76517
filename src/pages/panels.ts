import {
  PanelBuilders,
  SceneDataTransformer,
  SceneFlexItem,
  SceneQueryRunner,
  SceneReactObject,
  type SceneObject,
  type VizPanel,
} from '@grafana/scenes';
import type { DataFrame } from '@grafana/data';
import type { DataSourceRef } from '@grafana/schema';
import { Alert } from '@grafana/ui';
import React from 'react';
import { map, type Observable } from 'rxjs';
import { PLUGIN_BASE_URL } from '../constants';
import type { QueryType } from '../datasource/types';
import { CLUSTER_VAR } from './sceneContext';
import { FRAME_FIELDS, JOB_FIELDS, NODE_FIELDS } from './frameFields';

/** Filters and options of one Slurm query (issue 4's query model); lists may be `${var:csv}` strings. */
export type SlurmQueryFields = Record<string, unknown>;

/** A query runner for one Slurm query type; the backend serves it from its cached snapshot. */
export function slurmQuery(
  datasource: DataSourceRef,
  queryType: QueryType | string,
  fields: SlurmQueryFields = {}
): SceneQueryRunner {
  return new SceneQueryRunner({
    datasource,
    queries: [{ refId: 'A', datasource, queryType, ...fields }],
  });
}

/** A Prometheus query runner; `instant` for tables and maps, range for time series. */
export function promQuery(
  datasource: DataSourceRef,
  queries: Array<{ expr: string; legendFormat?: string; refId?: string }>,
  instant = false
): SceneQueryRunner {
  return new SceneQueryRunner({
    datasource,
    queries: queries.map((q, i) => ({
      refId: q.refId ?? String.fromCharCode(65 + i),
      datasource,
      expr: q.expr,
      legendFormat: q.legendFormat,
      instant,
      range: !instant,
    })),
  });
}

export function slurmTable(
  title: string,
  datasource: DataSourceRef,
  queryType: QueryType | string,
  fields: SlurmQueryFields = {}
): VizPanel {
  return linkedTable(title)
    .setData(slurmQuery(datasource, queryType, fields))
    .build();
}

/** App link to a job or node page that keeps the picked cluster. */
export function appLink(path: string): string {
  return `${PLUGIN_BASE_URL}/${path}?var-${CLUSTER_VAR}=\${${CLUSTER_VAR}}`;
}

/**
 * A table whose job_id and node columns open the app's detail pages. The backend's own data links omit
 * the cluster; these keep the picked cluster (var-cluster) so a second cluster's job opens on its cluster.
 */
export function linkedTable(title: string) {
  return PanelBuilders.table()
    .setTitle(title)
    .setOverrides((b) =>
      b
        .matchFieldsWithName(JOB_FIELDS.jobId)
        .overrideLinks([{ title: 'Open job', url: appLink('jobs/${__value.raw}') }])
        .matchFieldsWithName(NODE_FIELDS.node)
        .overrideLinks([{ title: 'Open node', url: appLink('nodes/${__value.raw}') }])
    );
}

/**
 * The one row of a jobs or nodes answer whose key column (`job_id`, `node`) equals `value`. The query
 * also asks the backend for that id (jobIds / nameRegex); the filter keeps the page right while a
 * backend without id filters answers with every row.
 */
export function slurmRow(
  datasource: DataSourceRef,
  queryType: QueryType | string,
  keyField: string,
  value: string,
  fields: SlurmQueryFields = {}
) {
  return new SceneDataTransformer({
    $data: slurmQuery(datasource, queryType, fields),
    transformations: [
      () => (source: Observable<DataFrame[]>) => source.pipe(map((frames) => rowsWith(frames, keyField, value))),
    ],
  });
}

/**
 * The rows whose field named `keyField` (the frame's field name, not its display name: the backend gives
 * job_id and node the display names Job and Node, which Grafana's filterByValue would match on) equals `value`.
 */
export function rowsWith(frames: DataFrame[], keyField: string, value: string): DataFrame[] {
  return frames.map((frame) => {
    const keys = frame.fields.find((f) => f.name === keyField)?.values ?? [];
    const rows = keys.flatMap((v, i) => (String(v) === value ? [i] : []));
    return {
      ...frame,
      length: rows.length,
      fields: frame.fields.map((f) => ({ ...f, values: rows.map((i) => f.values[i]) })),
    };
  });
}

/** Counts per group from the backend's job_counts / node_counts (long frame: group fields + `jobs` / `nodes` count). */
export function countsBarGauge(
  title: string,
  datasource: DataSourceRef,
  queryType: 'job_counts' | 'node_counts',
  fields: SlurmQueryFields
): VizPanel {
  return PanelBuilders.bargauge()
    .setTitle(title)
    .setData(slurmQuery(datasource, queryType, fields))
    .setOption('reduceOptions', { values: true, calcs: [], fields: `/^${FRAME_FIELDS[queryType].count}$/` })
    .setOption('displayMode', 'basic' as never)
    .build();
}

/** A time series panel of Prometheus queries. */
export function promTimeseries(
  title: string,
  datasource: DataSourceRef,
  queries: Array<{ expr: string; legendFormat?: string }>,
  unit?: string
): VizPanel {
  const panel = PanelBuilders.timeseries().setTitle(title).setData(promQuery(datasource, queries));
  if (unit) {
    panel.setUnit(unit);
  }
  return panel.build();
}

export function flexItem(body: SceneObject, minHeight = 300): SceneFlexItem {
  return new SceneFlexItem({ minHeight, body });
}

/** An explanatory note in place of panels that cannot be shown (e.g. no Prometheus configured). */
export function noteItem(title: string, text: string, severity: 'info' | 'warning' | 'error' = 'info'): SceneFlexItem {
  return new SceneFlexItem({
    body: new SceneReactObject({ component: () => React.createElement(Alert, { severity, title }, text) }),
  });
}

export const NO_PROMETHEUS_NOTE = (what: string) =>
  noteItem(
    'No Prometheus data source chosen',
    `${what} come from Prometheus; choose one on the app's configuration page. The Slurm panels work without it.`
  );
