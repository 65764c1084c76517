import { PanelBuilders, SceneAppPage, SceneFlexLayout } from '@grafana/scenes';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { pageScene } from '../page';
import { countsBarGauge, flexItem, linkedTable, slurmQuery } from '../panels';
import type { SceneContext } from '../sceneContext';
import { csv, SlurmResourceVariable } from '../variables';
import { partitionUtilisation } from './partitionPanels';

export function partitionsPage(ctx: SceneContext): SceneAppPage {
  const partitions = csv('partition');
  return new SceneAppPage({
    title: 'Partitions',
    subTitle: 'Queues: backlog, running and pending jobs, why jobs wait, wait times and utilisation',
    url: prefixRoute(ROUTES.Partitions),
    routePath: `${ROUTES.Partitions}/*`,
    getScene: () =>
      pageScene({
        ctx,
        timePicker: true,
        variables: [
          new SlurmResourceVariable({
            name: 'partition',
            label: 'Partition',
            kind: 'partitions',
            datasourceUid: ctx.slurm.uid!,
          }),
        ],
        body: () => [
          flexItem(
            linkedTable('Partitions')
              .setData(slurmQuery(ctx.slurm, 'partitions', { partitions }))
              .build(),
            300
          ),
          new SceneFlexLayout({
            children: [
              flexItem(partitionUtilisation('CPU and GPU use', ctx), 260),
              flexItem(
                countsBarGauge('Pending jobs by partition and reason', ctx.slurm, 'job_counts', {
                  states: ['PENDING'],
                  partitions,
                  groupBy: ['partition', 'reason'],
                }),
                260
              ),
            ],
          }),
          flexItem(
            PanelBuilders.timeseries()
              .setTitle('Wait time (from accounting)')
              .setUnit('s')
              .setData(
                slurmQuery(ctx.slurm, 'history_series', { metric: 'wait_p90', groupBy: ['partition'], partitions })
              )
              .build(),
            260
          ),
          flexItem(
            PanelBuilders.timeseries()
              .setTitle('Jobs submitted and started (from accounting)')
              .setData(
                slurmQuery(ctx.slurm, 'history_series', { metric: 'submitted', groupBy: ['partition'], partitions })
              )
              .build(),
            260
          ),
        ],
      }),
  });
}
