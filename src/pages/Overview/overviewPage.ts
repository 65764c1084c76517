import { PanelBuilders, SceneAppPage, SceneFlexLayout, VizPanel } from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { pageScene } from '../page';
import { countsBarGauge, flexItem, NO_PROMETHEUS_NOTE, promTimeseries, slurmQuery } from '../panels';
import type { SceneContext } from '../sceneContext';
import { partitionUtilisation } from '../Partitions/partitionPanels';

/** Top users or accounts by what their running jobs hold now (server-side `usage`, one row per group). */
function topUsage(title: string, ctx: SceneContext, tres: 'cpu' | 'gpu', groupBy: 'user' | 'account') {
  return PanelBuilders.bargauge()
    .setTitle(title)
    .setData(slurmQuery(ctx.slurm, 'usage', { tres, groupBy, format: 'table' }))
    .setOption('reduceOptions', { values: true, calcs: [], fields: '', limit: 10 })
    .build();
}

/** Cluster-wide hardware from node_exporter, DCGM and IPMI (all nodes the Prometheus scrapes). */
function hardwarePanels(ctx: SceneContext) {
  if (!ctx.prometheus) {
    return [NO_PROMETHEUS_NOTE('Cluster CPU, memory, GPU and temperature')];
  }
  const prom = ctx.prometheus;
  return [
    new SceneFlexLayout({
      children: [
        flexItem(
          promTimeseries(
            'Cluster CPU use',
            prom,
            [
              {
                expr: '1 - avg(rate(node_cpu_seconds_total{mode="idle"}[$__rate_interval]))',
                legendFormat: 'CPU busy',
              },
            ],
            'percentunit'
          ),
          220
        ),
        flexItem(
          promTimeseries(
            'Cluster memory use',
            prom,
            [
              {
                expr: '1 - sum(node_memory_MemAvailable_bytes) / sum(node_memory_MemTotal_bytes)',
                legendFormat: 'memory used',
              },
            ],
            'percentunit'
          ),
          220
        ),
        flexItem(
          promTimeseries(
            'Cluster GPU use',
            prom,
            [{ expr: 'avg(DCGM_FI_DEV_GPU_UTIL)', legendFormat: 'GPU busy' }],
            'percent'
          ),
          220
        ),
        flexItem(
          promTimeseries(
            'Hottest sensor',
            prom,
            [{ expr: 'max(ipmi_temperature_celsius)', legendFormat: 'max IPMI temperature' }],
            'celsius'
          ),
          220
        ),
      ],
    }),
  ];
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
        timePicker: Boolean(ctx.prometheus),
        body: () => [
          new SceneFlexLayout({
            children: [
              flexItem(countsBarGauge('Nodes by state', ctx.slurm, 'node_counts', { groupBy: ['state'] }), 220),
              flexItem(countsBarGauge('Jobs by state', ctx.slurm, 'job_counts', { groupBy: ['state'] }), 220),
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
          flexItem(partitionUtilisation('Partition utilisation', ctx), 260),
          new SceneFlexLayout({
            children: [
              flexItem(topUsage('Top users by running CPUs', ctx, 'cpu', 'user'), 260),
              flexItem(topUsage('Top users by running GPUs', ctx, 'gpu', 'user'), 260),
              flexItem(topUsage('Top accounts by running CPUs', ctx, 'cpu', 'account'), 260),
              flexItem(topUsage('Top accounts by running GPUs', ctx, 'gpu', 'account'), 260),
            ],
          }),
          flexItem(
            PanelBuilders.stat().setTitle('Scheduler health').setData(slurmQuery(ctx.slurm, 'scheduler')).build(),
            160
          ),
          ...hardwarePanels(ctx),
        ],
      }),
  });
}
