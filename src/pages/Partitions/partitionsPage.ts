import { EmbeddedScene, SceneAppPage, SceneFlexLayout } from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { flexItem, slurmTable } from '../panels';
import type { SceneContext } from '../sceneContext';

export function partitionsPage(ctx: SceneContext): SceneAppPage {
  return new SceneAppPage({
    title: 'Partitions',
    subTitle: 'Queues with their nodes, limits and load',
    url: prefixRoute(ROUTES.Partitions),
    routePath: `${ROUTES.Partitions}/*`,
    getScene: () =>
      new EmbeddedScene({
        body: new SceneFlexLayout({
          direction: 'column',
          children: [flexItem(slurmTable('Partitions', ctx.slurm, 'partitions'), 400)],
        }),
      }),
  });
}
