import {
  PanelBuilders,
  SceneDataTransformer,
  SceneFlexItem,
  SceneFlexLayout,
  SceneQueryRunner,
  SceneReactObject,
  type SceneDataProvider,
  type SceneObject,
  type VizPanel,
} from '@grafana/scenes';
import { FieldMatcherID, type DataFrame } from '@grafana/data';
import {
  BarGaugeDisplayMode,
  BarGaugeNamePlacement,
  BarGaugeSizing,
  BarGaugeValueMode,
  VizOrientation,
  type DataSourceRef,
} from '@grafana/schema';
import { Alert } from '@grafana/ui';
import React from 'react';
import { map, type Observable } from 'rxjs';
import { PLUGIN_BASE_URL } from '../constants';
import type { SlurmQueryBody, SlurmTypedQuery } from '../datasource/types';
import { CLUSTER_VAR } from './sceneContext';
import { FRAME_FIELDS } from '../frames/frameFields';
import type { PromRow } from '../promql/hardwareQueries';

/** A query runner for Slurm queries, each one typed by the data source's query model (refIds are the caller's). */
export function slurmQueries(datasource: DataSourceRef, queries: SlurmTypedQuery[]): SceneQueryRunner {
  return new SceneQueryRunner({ datasource, queries: queries.map((q) => ({ ...q, datasource })) });
}

/** A query runner for one Slurm query; the backend serves it from its cached snapshot or accounting. */
export function slurmQuery(datasource: DataSourceRef, query: SlurmQueryBody): SceneQueryRunner {
  return slurmQueries(datasource, [{ refId: 'A', ...query }]);
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

/**
 * Link to a job or node page that keeps the picked cluster, for the app's own React links (allocated nodes,
 * the node map). Table cells get theirs from the backend.
 */
export function appLink(path: string): string {
  return `${PLUGIN_BASE_URL}/${path}?var-${CLUSTER_VAR}=\${${CLUSTER_VAR}}`;
}

/**
 * A table of a Slurm query. The backend names the columns for people (with units), hides the ones that
 * repeat another, and links job and node cells to the app's pages on the data source's own cluster
 * (pkg/query): the page adds no links of its own, because Grafana 12.4 shows a panel's links next to the
 * data source's and a cell with two links opens a menu instead of the page. `hidden` are field names this
 * page leaves out (an operator rarely needs them here; Explore still has them).
 */
export function slurmTable(
  title: string,
  datasource: DataSourceRef,
  query: SlurmQueryBody,
  hidden: readonly string[] = []
): VizPanel {
  return tableBuilder(title, hidden).setData(slurmQuery(datasource, query)).build();
}

/** The table builder behind slurmTable, for pages that attach their own data. */
export function tableBuilder(title: string, hidden: readonly string[] = []) {
  const builder = PanelBuilders.table().setTitle(title);
  if (hidden.length > 0) {
    builder.setOverrides((b) =>
      b
        // byNames matches a field's name as well as its display name.
        .match({ id: FieldMatcherID.byNames, options: { mode: 'include', names: [...hidden] } })
        .overrideCustomFieldConfig('hideFrom', { viz: true, legend: false, tooltip: false })
    );
  }
  return builder;
}

/**
 * The one row of a jobs or nodes answer whose key column (`job_id`, `node`) equals `value`. The query
 * also asks the backend for that id (jobIds / nameRegex); the filter keeps the page right while a
 * backend without id filters answers with every row.
 */
export function slurmRow(datasource: DataSourceRef, query: SlurmQueryBody, keyField: string, value: string) {
  return new SceneDataTransformer({
    $data: slurmQuery(datasource, query),
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

/**
 * A bar gauge with one bar per row of one number field, drawn horizontally with the row's name on the
 * left, so names like CANCELLED or a user's login are read whole instead of cut to "CANC…" under a column.
 * Bars start at 0 and take one neutral colour unless `colors` names one per row (e.g. per state).
 */
export function rowBarGauge(title: string, colors: Record<string, string> = {}) {
  return PanelBuilders.bargauge()
    .setTitle(title)
    .setMin(0)
    .setColor({ mode: 'fixed', fixedColor: 'blue' })
    .setOption('reduceOptions', { values: true, calcs: [], fields: '' })
    .setOption('orientation', VizOrientation.Horizontal)
    .setOption('displayMode', BarGaugeDisplayMode.Basic)
    .setOption('valueMode', BarGaugeValueMode.Text)
    .setOption('namePlacement', BarGaugeNamePlacement.Left)
    .setOption('showUnfilled', true)
    .setOption('sizing', BarGaugeSizing.Manual)
    .setOption('maxVizHeight', 28)
    .setOption('minVizHeight', 16)
    .setOverrides((b) => {
      // A bar gauge colours a row by an override on the row's name (lookupRowColorFromOverride).
      for (const [name, color] of Object.entries(colors)) {
        b.matchFieldsWithName(name).overrideColor({ mode: 'fixed', fixedColor: color });
      }
    });
}

/** Counts per group from the backend's job_counts / node_counts (long frame: group fields + `jobs` / `nodes` count). */
export function countsBarGauge(
  title: string,
  datasource: DataSourceRef,
  query: SlurmQueryBody<'job_counts' | 'node_counts'>,
  colors: Record<string, string> = {}
): VizPanel {
  return rowBarGauge(title, colors)
    .setData(slurmQuery(datasource, query))
    .setOption('reduceOptions', { values: true, calcs: [], fields: `/^${FRAME_FIELDS[query.queryType].count}$/` })
    .setUnit('none')
    .setNoValue('0')
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

/** Panels side by side, one time series per spec (hardwareQueries.ts). */
export function promRow(datasource: DataSourceRef, row: PromRow, minHeight = 240): SceneFlexLayout {
  return new SceneFlexLayout({
    children: row.map((p) => flexItem(promTimeseries(p.title, datasource, p.targets, p.unit), minHeight)),
  });
}

/** Rows of panels, top to bottom. */
export function promRows(datasource: DataSourceRef, rows: PromRow[], minHeight = 240): SceneFlexLayout[] {
  return rows.map((row) => promRow(datasource, row, minHeight));
}

export function flexItem(body: SceneObject, minHeight = 300): SceneFlexItem {
  return new SceneFlexItem({ minHeight, body });
}

/**
 * An item as tall as its content (a summary, a note, the node map): in a column layout Scenes lets every
 * item grow by default, which opened empty space above and below such content.
 */
export function contentItem(body: SceneObject, $data?: SceneDataProvider): SceneFlexItem {
  return new SceneFlexItem({ ySizing: 'content', body, $data });
}

/** An explanatory note in place of panels that cannot be shown (e.g. no Prometheus configured). */
export function noteItem(title: string, text: string, severity: 'info' | 'warning' | 'error' = 'info'): SceneFlexItem {
  return contentItem(new SceneReactObject({ component: () => React.createElement(Alert, { severity, title }, text) }));
}

export const NO_PROMETHEUS_NOTE = (what: string) =>
  noteItem(
    'No Prometheus data source chosen',
    `${what} come from Prometheus; choose one on the app's configuration page. The Slurm panels work without it.`
  );
