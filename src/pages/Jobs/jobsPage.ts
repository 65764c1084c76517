import { EmbeddedScene, SceneAppPage, SceneFlexLayout } from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { jobDetailPage } from '../JobDetail/jobDetailPage';
import { flexItem, slurmTable } from '../panels';
import type { SceneContext } from '../sceneContext';

export function jobsPage(ctx: SceneContext): SceneAppPage {
  return new SceneAppPage({
    title: 'Jobs',
    subTitle: 'Running, pending and recently finished jobs',
    url: prefixRoute(ROUTES.Jobs),
    routePath: `${ROUTES.Jobs}/*`,
    getScene: () =>
      new EmbeddedScene({
        body: new SceneFlexLayout({
          direction: 'column',
          children: [flexItem(slurmTable('Jobs', ctx.slurm, 'jobs'), 500)],
        }),
      }),
    drilldowns: [
      {
        routePath: ':id/*',
        getPage: (match, parent) => jobDetailPage(ctx, match.params.id ?? '', parent),
      },
    ],
  });
}
