import { SceneAppPage, SceneFlexItem, type SceneAppDrilldownView } from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { NodeMapScene } from '../../components/NodeMap/NodeMapScene';
import { prefixRoute } from '../../utils/utils.routing';
import { mapMetricQuery } from '../../promql/hardwareQueries';
import { pageScene } from '../../scenes/pageScene';
import { appLink, contentItem, flexItem, promQuery, slurmQueries, slurmTable } from '../../scenes/panels';
import { BulkNodeActions } from '../../components/Actions/ActionScenes';
import { NODE_TABLE_HIDDEN } from '../../scenes/tableColumns';
import type { SceneContext } from '../../scenes/sceneContext';
import { csv, SlurmResourceVariable } from '../../scenes/variables';

/** The Nodes page; `drilldowns` open a node from it (the app's route table wires the node page in). */
export function nodesPage(ctx: SceneContext, drilldowns: SceneAppDrilldownView[] = []): SceneAppPage {
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
            // As tall as the map: the map sizes its cells to the node count.
            ySizing: 'content',
            $data: slurmQueries(ctx.slurm, [
              { refId: 'nodes', queryType: 'nodes', ...filters },
              // Running jobs, for the hover's job list; the map expands their node lists once. No limit: the
              // backend sends up to the data source's maximum rows (a fixed limit above it would be refused).
              { refId: 'jobs', queryType: 'jobs', states: ['RUNNING'], partitions: filters.partitions },
            ]),
            body: new NodeMapScene({
              groupBy: 'partition',
              colorBy: 'state',
              metric: 'load',
              filter: '',
              nodeUrl: (node) => appLink(`nodes/${encodeURIComponent(node)}`),
              metricNodeLabel: (metric) => mapMetricQuery(metric, ctx.nodeMapping).nodeLabel,
              // In regex mode a series names its node only through instance's pattern: no value per node name.
              makeMetricQuery:
                prom && ctx.nodeMapping.mode !== 'regex'
                  ? (metric) => promQuery(prom, [{ expr: mapMetricQuery(metric, ctx.nodeMapping).expr }], true)
                  : undefined,
            }),
          }),
          // Nodes to drain or resume are chosen among those the map's filter shows.
          contentItem(new BulkNodeActions({ datasourceUid: ctx.slurm.uid! })),
          flexItem(slurmTable('Nodes', ctx.slurm, { queryType: 'nodes', ...filters }, NODE_TABLE_HIDDEN), 400),
        ],
      }),
    drilldowns,
  });
}
