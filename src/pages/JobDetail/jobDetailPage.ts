import {
  SceneAppPage,
  SceneDataLayerSet,
  SceneFlexLayout,
  SceneTimeRange,
  type SceneAppPageLike,
} from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { JOB_FIELDS, JOB_HISTORY_FIELDS } from '../../frames/frameFields';
import { decodeParam, invalidParamItem } from '../../scenes/invalidParam';
import { pageScene } from '../../scenes/pageScene';
import { contentItem, flexItem, NO_PROMETHEUS_NOTE, slurmRow, tableBuilder } from '../../scenes/panels';
import type { SceneContext } from '../../scenes/sceneContext';
import { ACCOUNTING_RECORD_HIDDEN } from '../../scenes/tableColumns';
import { actionAnnotationsLayer, actionLogPanel } from '../../components/Actions/actionAnnotations';
import { JobActions } from './JobActions';
import { JobHardware } from './JobHardware';
import { JobSummary } from './JobSummary';
import { PendingReason } from './PendingReason';

/**
 * Slurm job ids as the backend gives them: 123, 123_4 for an array task, and 123_[5-9] for the array's
 * tasks still pending as one record (the backend drops squeue's throttle "%2": a "%" cannot travel in a
 * page path).
 */
export const JOB_ID = /^\d+(_\d+|_\[[\d,-]+\])?$/;

/**
 * The numeric id the backend's jobIds filter takes: an array task (123_4) or an array's pending record
 * (123_[5-9]) is found among its array's tasks, which the array's id selects.
 */
export function queryJobId(id: string): string {
  return id.split('_')[0];
}

export function jobDetailPage(ctx: SceneContext, rawId: string, parent: SceneAppPageLike): SceneAppPage {
  const id = decodeParam(rawId);
  const valid = JOB_ID.test(id);
  const problem = `"${id}" is not a Slurm job id (expected digits, digits_digits for an array task, or digits_[range] for an array's pending tasks)`;
  return new SceneAppPage({
    title: valid ? `Job ${id}` : 'Invalid job id',
    subTitle: valid ? 'Slurm’s record of the job beside the hardware it ran on' : problem,
    url: `${prefixRoute(ROUTES.Jobs)}/${encodeURIComponent(id)}`,
    routePath: ':id/*',
    getParentPage: () => parent,
    getScene: () => {
      const jobIds = [queryJobId(id)];
      // The job's queue row and its accounting record: read by the summary, the actions and the hardware panels.
      const queue = slurmRow(ctx.slurm, { queryType: 'jobs', jobIds }, JOB_FIELDS.jobId, id);
      // slurmdbd keeps the record once the job has left the queue; it is looked for over the page's time range,
      // which JobSummary sets to the job's own run.
      const accounting = slurmRow(ctx.slurm, { queryType: 'job_history', jobIds }, JOB_HISTORY_FIELDS.jobId, id);
      return pageScene({
        ctx,
        timePicker: true,
        timeRange: new SceneTimeRange({ from: 'now-6h', to: 'now' }),
        body: () =>
          valid
            ? [
                contentItem(
                  new SceneFlexLayout({
                    direction: 'column',
                    $data: queue,
                    children: [
                      // A pending job's page starts with why it waits (nothing for other jobs).
                      contentItem(new PendingReason({ jobId: id, datasourceUid: ctx.slurm.uid! })),
                      contentItem(new JobSummary({ jobId: id })),
                      contentItem(new JobActions({ jobId: id, datasourceUid: ctx.slurm.uid! })),
                    ],
                  })
                ),
                flexItem(
                  // Accounting keeps finished jobs; job_history covers the page's time range, which
                  // JobSummary sets to the job's own run.
                  tableBuilder('Accounting record (efficiency)', ACCOUNTING_RECORD_HIDDEN).setData(accounting).build(),
                  120
                ),
                ctx.prometheus
                  ? contentItem(
                      new SceneFlexLayout({
                        direction: 'column',
                        $data: new SceneDataLayerSet({ layers: [actionAnnotationsLayer('job', id)] }),
                        children: [
                          contentItem(
                            new JobHardware(
                              { jobId: id, prometheus: ctx.prometheus, nodeMapping: ctx.nodeMapping },
                              { queue, accounting }
                            )
                          ),
                        ],
                      })
                    )
                  : NO_PROMETHEUS_NOTE('Hardware series of the job’s nodes'),
                // The operator actions on the job (also marked on the hardware panels' time axis).
                flexItem(actionLogPanel('job', id), 160),
              ]
            : [invalidParamItem('Invalid job id', problem)],
      });
    },
  });
}
