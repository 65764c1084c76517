import { EmbeddedScene, PanelBuilders, SceneAppPage, SceneFlexLayout } from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { flexItem, slurmQuery, slurmTable } from '../panels';
import type { SceneContext } from '../sceneContext';

export function overviewPage(ctx: SceneContext): SceneAppPage {
  return new SceneAppPage({
    title: 'Overview',
    subTitle: 'Jobs and nodes by state, and the partitions of the cluster',
    url: prefixRoute(ROUTES.Overview),
    routePath: `${ROUTES.Overview}/*`,
    getScene: () =>
      new EmbeddedScene({
        body: new SceneFlexLayout({
          direction: 'column',
          children: [
            new SceneFlexLayout({
              children: [
                flexItem(
                  PanelBuilders.bargauge()
                    .setTitle('Jobs by state')
                    .setData(slurmQuery(ctx.slurm, 'job_counts'))
                    .build(),
                  200
                ),
                flexItem(
                  PanelBuilders.bargauge()
                    .setTitle('Nodes by state')
                    .setData(slurmQuery(ctx.slurm, 'node_counts'))
                    .build(),
                  200
                ),
              ],
            }),
            flexItem(slurmTable('Partitions', ctx.slurm, 'partitions')),
          ],
        }),
      }),
  });
}
