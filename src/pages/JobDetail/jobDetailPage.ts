import { EmbeddedScene, SceneAppPage, SceneFlexLayout, type SceneAppPageLike } from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { invalidParamItem } from '../invalidParam';
import { flexItem, slurmRowTable } from '../panels';
import type { SceneContext } from '../sceneContext';

/** Slurm job ids: 123, or 123_4 for an array task. */
const JOB_ID = /^\d+(_\d+)?$/;

export function jobDetailPage(ctx: SceneContext, rawId: string, parent: SceneAppPageLike): SceneAppPage {
  const id = decodeURIComponent(rawId);
  const valid = JOB_ID.test(id);
  const problem = `"${id}" is not a Slurm job id (expected digits, or digits_digits for an array task)`;
  return new SceneAppPage({
    title: valid ? `Job ${id}` : 'Invalid job id',
    subTitle: valid ? 'The job in the current queue' : problem,
    url: `${prefixRoute(ROUTES.Jobs)}/${encodeURIComponent(id)}`,
    routePath: ':id/*',
    getParentPage: () => parent,
    getScene: () =>
      new EmbeddedScene({
        body: new SceneFlexLayout({
          direction: 'column',
          children: valid
            ? [flexItem(slurmRowTable(`Job ${id}`, ctx.slurm, 'jobs', 'job_id', id))]
            : [invalidParamItem('Invalid job id', problem)],
        }),
      }),
  });
}
