import { SceneAppPage, SceneFlexItem, SceneQueryRunner } from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { NodeMapScene, type MapMetric } from '../../components/NodeMap/NodeMapScene';
import { prefixRoute } from '../../utils/utils.routing';
import { nodeDetailPage } from '../NodeDetail/nodeDetailPage';
import { nodeLabelOf, perNodeExpr } from '../NodeDetail/nodeSeries';
import { pageScene } from '../page';
import { appLink, flexItem, linkedTable, promQuery, slurmQuery } from '../panels';
import type { SceneContext } from '../sceneContext';
import { csv, SlurmResourceVariable } from '../variables';

/** PromQL templates for the map's metric colouring, one value per node. */
const MAP_METRICS: Record<MapMetric, [string, string]> = {
  load: ['node_load1{__NODE__}', 'avg'],
  temperature: ['ipmi_temperature_celsius{__NODE__}', 'max'],
  power: ['ipmi_power_watts{__NODE__}', 'sum'],
};

export function nodesPage(ctx: SceneContext): SceneAppPage {
  const filters = { partitions: csv('partition'), states: csv('state') };
  const prom = ctx.prometheus;
  return new SceneAppPage({
    title: 'Nodes',
    subTitle: 'Every node on one map: hover for state, reason and jobs, click for the node',
    url: prefixRoute(ROUTES.Nodes),
    routePath: `${ROUTES.Nodes}/*`,
    getScene: () =>
      pageScene({
        ctx,
        variables: [
          new SlurmResourceVariable({
            name: 'partition',
            label: 'Partition',
            kind: 'partitions',
            datasourceUid: ctx.slurm.uid!,
          }),
          new SlurmResourceVariable({ name: 'state', label: 'State', kind: 'states', datasourceUid: ctx.slurm.uid! }),
        ],
        body: () => [
          new SceneFlexItem({
            minHeight: 300,
            $data: new SceneQueryRunner({
              datasource: ctx.slurm,
              queries: [
                { refId: 'nodes', datasource: ctx.slurm, queryType: 'nodes', ...filters },
                // Running jobs, for the hover's job list; the map expands their node lists once.
                {
                  refId: 'jobs',
                  datasource: ctx.slurm,
                  queryType: 'jobs',
                  states: ['RUNNING'],
                  limit: 10000,
                  partitions: filters.partitions,
                },
              ],
            }),
            body: new NodeMapScene({
              groupBy: 'partition',
              colorBy: 'state',
              metric: 'load',
              filter: '',
              nodeUrl: (node) => appLink(`nodes/${encodeURIComponent(node)}`),
              metricNodeLabel: nodeLabelOf(ctx.nodeMapping),
              makeMetricQuery:
                prom && ctx.nodeMapping.mode !== 'regex'
                  ? (metric) => {
                      const [template, agg] = MAP_METRICS[metric];
                      return promQuery(prom, [{ expr: perNodeExpr(template, '.+', ctx.nodeMapping, agg) }], true);
                    }
                  : undefined,
            }),
          }),
          flexItem(
            linkedTable('Nodes')
              .setData(slurmQuery(ctx.slurm, 'nodes', filters))
              .build(),
            400
          ),
        ],
      }),
    drilldowns: [
      {
        routePath: ':name/*',
        getPage: (match, parent) => nodeDetailPage(ctx, match.params.name ?? '', parent),
      },
    ],
  });
}
