import { PanelBuilders, SceneAppPage, SceneDataTransformer, SceneFlexLayout, VizPanel } from '@grafana/scenes';
import { BigValueColorMode, BigValueTextMode } from '@grafana/schema';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { pageScene } from '../../scenes/pageScene';
import { countsBarGauge, flexItem, NO_PROMETHEUS_NOTE, promRow, rowBarGauge, slurmQuery } from '../../scenes/panels';
import { clusterHardware } from '../../promql/hardwareQueries';
import type { SceneContext } from '../../scenes/sceneContext';
import { partitionUtilisation } from '../../scenes/partitionPanels';
import { JOB_STATE_COLORS, NODE_STATE_COLORS } from '../../scenes/stateColors';
import { keepFields } from '../../scenes/transforms';
import { SCHEDULER_FIELDS, USAGE_FIELDS } from '../../frames/frameFields';

/**
 * Who used the cluster most over the page's time range: CPU- or GPU-hours of allocated resources by user or
 * account, from accounting (server-side `usage`). One measure per panel, largest first.
 */
function topUsage(title: string, ctx: SceneContext, tres: 'cpu' | 'gpu', groupBy: 'user' | 'account') {
  const hours = tres === 'cpu' ? USAGE_FIELDS.cpuHours : USAGE_FIELDS.gpuHours;
  return rowBarGauge(title)
    .setData(
      new SceneDataTransformer({
        $data: slurmQuery(ctx.slurm, { queryType: 'usage', tres, groupBy, format: 'table' }),
        transformations: [keepFields([groupBy, hours], { sortBy: hours, limit: 10 })],
      })
    )
    .setNoValue(`No ${tres.toUpperCase()} time recorded in this time range`)
    .build();
}

/**
 * The scheduler at a glance: how long slurmctld's main and backfill cycles take and whether its RPC threads and
 * agent queues pile up. The rest of sdiag is on the scheduler health dashboard.
 */
function schedulerHealth(ctx: SceneContext) {
  const S = SCHEDULER_FIELDS;
  return PanelBuilders.stat()
    .setTitle('Scheduler')
    .setDescription('slurmctld (sdiag): cycle times in the last cycle and on average, server threads and agent queues')
    .setData(
      new SceneDataTransformer({
        $data: slurmQuery(ctx.slurm, { queryType: 'scheduler' }),
        transformations: [
          keepFields([
            S.mainCycleLast,
            S.mainCycleMean,
            S.backfillCycleLast,
            S.serverThreads,
            S.agentQueue,
            S.dbdAgentQueue,
          ]),
        ],
      })
    )
    .setOption('textMode', BigValueTextMode.ValueAndName)
    .setOption('colorMode', BigValueColorMode.None)
    .setOption('reduceOptions', { values: false, calcs: ['lastNotNull'], fields: '' })
    .build();
}

/** Cluster-wide hardware from node_exporter, DCGM and IPMI (all nodes the Prometheus scrapes). */
function hardwarePanels(ctx: SceneContext) {
  return ctx.prometheus
    ? [promRow(ctx.prometheus, clusterHardware(), 220)]
    : [NO_PROMETHEUS_NOTE('Cluster CPU, memory, GPU and temperature')];
}

export function overviewPage(ctx: SceneContext): SceneAppPage {
  return new SceneAppPage({
    title: 'Overview',
    subTitle: 'The cluster at a glance: nodes, jobs, partitions, users, the scheduler, hardware and alerts',
    url: prefixRoute(ROUTES.Overview),
    routePath: `${ROUTES.Overview}/*`,
    getScene: () =>
      pageScene({
        ctx,
        // The usage panels cover the time range, so the picker is there even without Prometheus.
        timePicker: true,
        body: () => [
          new SceneFlexLayout({
            children: [
              flexItem(
                countsBarGauge(
                  'Nodes by state',
                  ctx.slurm,
                  { queryType: 'node_counts', groupBy: ['state'] },
                  NODE_STATE_COLORS
                ),
                220
              ),
              flexItem(
                countsBarGauge(
                  'Jobs by state',
                  ctx.slurm,
                  { queryType: 'job_counts', groupBy: ['state'] },
                  JOB_STATE_COLORS
                ),
                220
              ),
              flexItem(
                new VizPanel({
                  pluginId: 'alertlist',
                  title: 'Firing alerts',
                  options: { viewMode: 'stat', stateFilter: { firing: true } },
                }),
                220
              ),
            ],
          }),
          partitionUtilisation(ctx),
          new SceneFlexLayout({
            children: [
              flexItem(topUsage('CPU-hours by user', ctx, 'cpu', 'user'), 260),
              flexItem(topUsage('GPU-hours by user', ctx, 'gpu', 'user'), 260),
              flexItem(topUsage('CPU-hours by account', ctx, 'cpu', 'account'), 260),
              flexItem(topUsage('GPU-hours by account', ctx, 'gpu', 'account'), 260),
            ],
          }),
          flexItem(schedulerHealth(ctx), 130),
          ...hardwarePanels(ctx),
        ],
      }),
  });
}
