import { EmbeddedScene, SceneAppPage, SceneFlexLayout } from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { nodeDetailPage } from '../NodeDetail/nodeDetailPage';
import { flexItem, slurmTable } from '../panels';
import type { SceneContext } from '../sceneContext';

export function nodesPage(ctx: SceneContext): SceneAppPage {
  return new SceneAppPage({
    title: 'Nodes',
    subTitle: 'Compute nodes with state, reason and allocation',
    url: prefixRoute(ROUTES.Nodes),
    routePath: `${ROUTES.Nodes}/*`,
    getScene: () =>
      new EmbeddedScene({
        body: new SceneFlexLayout({
          direction: 'column',
          children: [flexItem(slurmTable('Nodes', ctx.slurm, 'nodes'), 500)],
        }),
      }),
    drilldowns: [
      {
        routePath: ':name/*',
        getPage: (match, parent) => nodeDetailPage(ctx, match.params.name ?? '', parent),
      },
    ],
  });
}
