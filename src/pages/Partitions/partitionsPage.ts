import { PanelBuilders, SceneAppPage, SceneFlexLayout } from '@grafana/scenes';
import { GraphDrawStyle } from '@grafana/schema';
import { ROUTES } from '../../constants';
import { prefixRoute } from '../../utils/utils.routing';
import { pageScene } from '../../scenes/pageScene';
import type { HistoryMetric, HistorySeriesQuery } from '../../datasource/types';
import { countsBarGauge, flexItem, slurmQueries, slurmQuery, slurmTable } from '../../scenes/panels';
import type { SceneContext } from '../../scenes/sceneContext';
import { csv, SlurmResourceVariable } from '../../scenes/variables';
import { partitionUtilisation } from '../../scenes/partitionPanels';
import { pendingCountsGauge, pendingCountsTable } from '../../scenes/pendingPanels';
import { PARTITION_TABLE_HIDDEN } from '../../scenes/tableColumns';

export function partitionsPage(ctx: SceneContext): SceneAppPage {
  const partitions = csv('partition');
  const history = (metric: HistoryMetric, refId: string): HistorySeriesQuery => ({
    refId,
    queryType: 'history_series',
    metric,
    groupBy: ['partition'],
    partitions,
  });
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
            slurmTable('Partitions', ctx.slurm, { queryType: 'partitions', partitions }, PARTITION_TABLE_HIDDEN),
            200
          ),
          partitionUtilisation(ctx, partitions),
          flexItem(
            countsBarGauge('Pending jobs by partition and reason', ctx.slurm, {
              queryType: 'job_counts',
              states: ['PENDING'],
              partitions,
              groupBy: ['partition', 'reason'],
            }),
            220
          ),
          // What blocks the queue: why the pending jobs wait and what they ask for, per partition and per limit.
          new SceneFlexLayout({
            children: [
              flexItem(
                pendingCountsGauge('Pending jobs by partition and why they wait', ctx.slurm, { partitions }, [
                  'partition',
                  'category',
                ]),
                260
              ),
              flexItem(
                pendingCountsTable('What blocks the queue: pending jobs, CPUs and GPUs', ctx.slurm, { partitions }, [
                  'partition',
                  'category',
                ]),
                260
              ),
            ],
          }),
          flexItem(
            pendingCountsTable(
              'Pending jobs held by a limit: CPUs and GPUs they ask for',
              ctx.slurm,
              { partitions, categories: ['limit', 'impossible'] },
              ['limit'],
              true
            ),
            200
          ),
          new SceneFlexLayout({
            children: [
              flexItem(
                PanelBuilders.timeseries()
                  .setTitle('Wait time before start, 90th percentile (from accounting)')
                  .setUnit('s')
                  // A value only where jobs started in the interval: points, not lines through the gaps.
                  .setCustomFieldConfig('drawStyle', GraphDrawStyle.Points)
                  .setCustomFieldConfig('pointSize', 7)
                  .setData(
                    slurmQuery(ctx.slurm, {
                      queryType: 'history_series',
                      metric: 'wait_p90',
                      groupBy: ['partition'],
                      partitions,
                    })
                  )
                  .build(),
                260
              ),
              flexItem(
                PanelBuilders.timeseries()
                  .setTitle('Jobs submitted and started (from accounting)')
                  .setUnit('none')
                  .setDecimals(0)
                  .setData(slurmQueries(ctx.slurm, [history('submitted', 'A'), history('started', 'B')]))
                  .build(),
                260
              ),
            ],
          }),
        ],
      }),
  });
}
