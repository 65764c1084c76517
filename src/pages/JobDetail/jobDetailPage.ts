import {
  PanelBuilders,
  SceneAppPage,
  SceneFlexItem,
  SceneFlexLayout,
  SceneTimeRange,
  TextBoxVariable,
  type SceneAppPageLike,
  type SceneObject,
} from '@grafana/scenes';
import { VariableHide } from '@grafana/schema';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { JOB_FIELDS, JOB_HISTORY_FIELDS } from '../frameFields';
import { invalidParamItem } from '../invalidParam';
import { nodeLabelOf, perNodeExpr } from '../NodeDetail/nodeSeries';
import { pageScene } from '../page';
import { flexItem, NO_PROMETHEUS_NOTE, noteItem, promQuery, promTimeseries, slurmRow } from '../panels';
import type { SceneContext } from '../sceneContext';
import { JobSummary } from './JobSummary';
import { PerJobSeriesNote } from './PerJobSeriesNote';

/** Slurm job ids: 123, or 123_4 for an array task. */
export const JOB_ID = /^\d+(_\d+)?$/;
const NODES_VAR = 'jobnodes';
const CPUS_VAR = 'jobcpus';

/** Node-level hardware of the job's nodes over the job's window (DESIGN §6), one series per node. */
function hardwarePanels(ctx: SceneContext, id: string): SceneObject[] {
  if (!ctx.prometheus) {
    return [NO_PROMETHEUS_NOTE('Hardware series of the job’s nodes')];
  }
  const prom = ctx.prometheus;
  const m = ctx.nodeMapping;
  const nodes = `$${NODES_VAR}`;
  const legend = `{{${nodeLabelOf(m)}}}`;
  const gpuMapping = { mode: 'label' as const, label: 'Hostname' };
  const series = (title: string, template: string, unit: string, agg = 'sum', mapping = m, legendFormat = legend) =>
    flexItem(
      promTimeseries(title, prom, [{ expr: perNodeExpr(template, nodes, mapping, agg), legendFormat }], unit),
      240
    );
  return [
    new SceneFlexItem({
      $data: promQuery(prom, [{ expr: `count({jobid="${id}"})` }], true),
      body: new PerJobSeriesNote({ jobId: id }),
    }),
    flexItem(
      promTimeseries('Per-job series (cgroup / jobstats exporter)', prom, [
        { expr: `{jobid="${id}"}`, legendFormat: '{{__name__}} {{instance}}' },
      ]),
      240
    ),
    flexItem(
      // Busy CPU seconds per second on the job's nodes over the CPUs Slurm gave the job: 1 = every
      // allocated CPU busy. Node-level, so other jobs on shared nodes count too (see the note above).
      PanelBuilders.timeseries()
        .setTitle('CPU efficiency (live, node-level)')
        .setUnit('percentunit')
        .setData(
          promQuery(prom, [
            {
              expr: `sum(${perNodeExpr('rate(node_cpu_seconds_total{mode!="idle",__NODE__}[$__rate_interval])', nodes, m)}) / $${CPUS_VAR}`,
              legendFormat: 'busy / allocated CPUs',
            },
          ])
        )
        .build(),
      200
    ),
    new SceneFlexLayout({
      children: [
        series(
          'CPU busy per node',
          '1 - rate(node_cpu_seconds_total{mode="idle",__NODE__}[$__rate_interval])',
          'percentunit',
          'avg'
        ),
        series(
          'Memory used per node',
          'node_memory_MemTotal_bytes{__NODE__} - node_memory_MemAvailable_bytes{__NODE__}',
          'bytes'
        ),
        series(
          'Network received per node',
          'rate(node_network_receive_bytes_total{device!="lo",__NODE__}[$__rate_interval])',
          'Bps'
        ),
      ],
    }),
    new SceneFlexLayout({
      children: [
        series('GPU utilisation', 'DCGM_FI_DEV_GPU_UTIL{__NODE__}', 'percent', 'avg', gpuMapping, '{{Hostname}}'),
        series('GPU memory used', 'DCGM_FI_DEV_FB_USED{__NODE__}', 'decmbytes', 'sum', gpuMapping, '{{Hostname}}'),
        series('GPU power', 'DCGM_FI_DEV_POWER_USAGE{__NODE__}', 'watt', 'sum', gpuMapping, '{{Hostname}}'),
      ],
    }),
  ];
}

export function jobDetailPage(ctx: SceneContext, rawId: string, parent: SceneAppPageLike): SceneAppPage {
  const id = decodeURIComponent(rawId);
  const valid = JOB_ID.test(id);
  const problem = `"${id}" is not a Slurm job id (expected digits, or digits_digits for an array task)`;
  return new SceneAppPage({
    title: valid ? `Job ${id}` : 'Invalid job id',
    subTitle: valid ? 'Slurm’s record of the job beside the hardware it ran on' : problem,
    url: `${prefixRoute(ROUTES.Jobs)}/${encodeURIComponent(id)}`,
    routePath: ':id/*',
    getParentPage: () => parent,
    getScene: () =>
      pageScene({
        ctx,
        timePicker: true,
        timeRange: new SceneTimeRange({ from: 'now-6h', to: 'now' }),
        variables: [
          new TextBoxVariable({ name: NODES_VAR, value: '', hide: VariableHide.hideVariable }),
          new TextBoxVariable({ name: CPUS_VAR, value: '', hide: VariableHide.hideVariable }),
        ],
        body: () =>
          valid
            ? [
                new SceneFlexItem({
                  $data: slurmRow(ctx.slurm, 'jobs', JOB_FIELDS.jobId, id, { jobIds: [id] }),
                  body: new JobSummary({ jobId: id, nodesVariable: NODES_VAR, cpusVariable: CPUS_VAR }),
                }),
                flexItem(
                  // Accounting keeps finished jobs; job_history covers the page's time range, which
                  // JobSummary sets to the job's own window.
                  PanelBuilders.table()
                    .setTitle('Efficiency from accounting')
                    .setData(slurmRow(ctx.slurm, 'job_history', JOB_HISTORY_FIELDS.jobId, id, { jobIds: [id] }))
                    .build(),
                  140
                ),
                noteItem(
                  'Actions',
                  'Cancel, hold, release and requeue arrive with the actions issue; they will appear here for users whose Grafana role allows them.'
                ),
                ...hardwarePanels(ctx, id),
              ]
            : [invalidParamItem('Invalid job id', problem)],
      }),
  });
}
