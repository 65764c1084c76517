import { EmbeddedScene, SceneAppPage, SceneFlexLayout } from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { countByState, flexItem, slurmTable, stateCounts } from '../panels';
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
                // Counted from the jobs and nodes rows until the backend's job_counts/node_counts (issue 4).
                flexItem(stateCounts('Jobs by state', countByState(ctx.slurm, 'jobs', 'job_id', 'jobs')), 200),
                flexItem(stateCounts('Nodes by state', countByState(ctx.slurm, 'nodes', 'node', 'nodes')), 200),
              ],
            }),
            flexItem(slurmTable('Partitions', ctx.slurm, 'partitions')),
          ],
        }),
      }),
  });
}
